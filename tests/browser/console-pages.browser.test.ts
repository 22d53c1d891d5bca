// Every page of the publisher's console as people see it in Chromium: at a desktop and a phone
// width, in light and dark colour schemes, with no accessibility violation axe-core finds, no
// horizontal scrolling, no console error (a CSP violation is one), and a screenshot kept in
// test-results/. Runs in Node (the `browser` project of vitest.config.ts).
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, CHROMIUM, type Demo, startDemo } from './demo-server';
import { audit, SCHEMES, VIEWPORTS, watchProblems } from './audit';
import { greenSquare, serveFeed, submit } from './console-helpers';

type Opened = { status: number | undefined };
/** How a test reaches a page: by its address, or by what a person does to get there. */
type Open = (page: Page) => Promise<Opened>;

const visit =
  (path: string): Open =>
  async (page) => ({ status: (await page.goto(path))?.status() });

/** Sends the form the way a person does and answers the status of the page that comes back. */
async function submitting(page: Page, act: () => Promise<unknown>): Promise<Opened> {
  return { status: await submit(page, act) };
}

const wrongToken: Open = async (page) => {
  await page.goto('/admin');
  await page.getByLabel('Admin token').fill('not-the-admin-token');
  return submitting(page, () => page.getByRole('button', { name: 'Sign in' }).click());
};

/** The editor of the newest post (the list's first link). */
const editPost: Open = async (page) => {
  await page.goto('/admin/posts');
  const [response] = await Promise.all([page.waitForNavigation(), page.locator('table.list tbody a').first().click()]);
  return { status: response?.status() };
};

const editorErrors: Open = async (page) => {
  await page.goto('/admin/posts/new');
  await page.getByLabel('Title').fill('A post with a bad tag');
  await page.getByLabel('Tags').fill('<b>');
  return submitting(page, () => page.getByRole('button', { name: 'Publish', exact: true }).click());
};

const deleteConfirm: Open = async (page) => {
  await editPost(page);
  const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Delete this post…' }).click()]);
  return { status: response?.status() };
};

const tokenCreated: Open = async (page) => {
  await page.goto('/admin/tokens');
  await page.getByLabel('Name').fill('axe check');
  await page.getByLabel('posts:write').check();
  return submitting(page, () => page.getByRole('button', { name: 'Create token' }).click());
};

/** An OPML file of three feeds: one new (a reserved name, never reached), the demo's source, one refused. */
const SUBSCRIPTIONS = Buffer.from(
  `<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body><outline text="Friends">
<outline type="rss" text="A friend" xmlUrl="https://feeds.example/friend.xml"/>
<outline type="rss" text="Upstream" xmlUrl="https://upstream.example/feed.xml"/>
<outline type="rss" text="Private" xmlUrl="http://10.0.0.1/feed.xml"/></outline></body></opml>`,
);

const opmlImported: Open = async (page) => {
  await page.goto('/admin/opml');
  await page.getByLabel('OPML file').setInputFiles({ name: 'subscriptions.opml', mimeType: 'text/x-opml', buffer: SUBSCRIPTIONS });
  return submitting(page, () => page.getByRole('button', { name: 'Import' }).click());
};

const webhookAdded: Open = async (page) => {
  await page.goto('/admin/webhooks');
  await page.getByLabel('Endpoint URL').fill('https://hooks.example/syndicate');
  await page.getByLabel('post.published').check();
  return submitting(page, () => page.getByRole('button', { name: 'Add webhook' }).click());
};

const webhookErrors: Open = async (page) => {
  await page.goto('/admin/webhooks');
  await page.getByLabel('Endpoint URL').fill('https://hooks.example/no-events');
  return submitting(page, () => page.getByRole('button', { name: 'Add webhook' }).click());
};

/** A feed on 127.0.0.1 for Find feed to find (started in beforeAll). */
let feed: Awaited<ReturnType<typeof serveFeed>> | undefined;

const findFeed =
  (address: () => string): Open =>
  async (page) => {
    await page.goto('/admin/sources/new');
    await page.getByLabel('Address').fill(address());
    return submitting(page, () => page.getByRole('button', { name: 'Find feed' }).click());
  };

const sourceEditErrors: Open = async (page) => {
  await page.goto('/admin/sources/1/edit');
  await page.getByLabel('Web page').check();
  await page.getByLabel('Rules', { exact: true }).fill('{"item": "[[["}');
  return submitting(page, () => page.getByRole('button', { name: 'Save', exact: true }).click());
};

/** A source's filter rules: a rule added, then Preview rules (or Save, for a rule RE2 refuses). */
const sourceFilters =
  (pattern: string, match: 'Words' | 'Regex (RE2)', button: 'Preview rules' | 'Save filter rules'): Open =>
  async (page) => {
    await page.goto('/admin/sources/1/edit');
    await submit(page, () => page.getByRole('button', { name: 'Add a rule' }).click());
    await page.getByLabel('Rule 1 match').selectOption({ label: match });
    await page.getByLabel('Rule 1 pattern').fill(pattern);
    return submitting(page, () => page.getByRole('button', { name: button }).click());
  };

const viewFilters: Open = async (page) => {
  await page.goto('/admin/filters?view=planet');
  await submit(page, () => page.getByRole('button', { name: 'Add a rule' }).click());
  await page.getByLabel('Rule 1 pattern').fill('upstream');
  return submitting(page, () => page.getByRole('button', { name: 'Preview rules' }).click());
};

const PAGES: [kind: string, open: Open, status: number, signedIn: boolean][] = [
  ['sign-in', visit('/admin'), 200, false],
  ['sign-in-error', wrongToken, 401, false],
  ['dashboard', visit('/admin'), 200, true],
  ['posts', visit('/admin/posts'), 200, true],
  ['posts-deleted', visit('/admin/posts?status=deleted'), 200, true],
  ['new-post', visit('/admin/posts/new'), 200, true],
  ['edit-post', editPost, 200, true],
  ['editor-errors', editorErrors, 400, true],
  ['delete-confirm', deleteConfirm, 200, true],
  ['media', visit('/admin/media'), 200, true],
  ['moves', visit('/admin/moves'), 200, true],
  ['stats', visit('/admin/stats'), 200, true],
  ['stats-old-address', visit('/stats'), 200, true],
  ['sources', visit('/admin/sources'), 200, true],
  ['sources-filtered', visit('/admin/sources?state=paused&kind=feed'), 200, true],
  ['new-source', visit('/admin/sources/new'), 200, true],
  ['find-feed', findFeed(() => feed!.url), 200, true],
  ['find-feed-error', findFeed(() => 'http://10.0.0.1/feed.xml'), 400, true],
  ['source', visit('/admin/sources/1'), 200, true],
  ['source-search', visit('/admin/sources/1?q=upstream'), 200, true],
  ['source-search-error', visit('/admin/sources/1?q=a'), 400, true],
  ['source-edit', visit('/admin/sources/1/edit'), 200, true],
  ['source-edit-errors', sourceEditErrors, 400, true],
  ['source-filters-preview', sourceFilters('upstream', 'Words', 'Preview rules'), 200, true],
  ['source-filters-errors', sourceFilters('(a)\\1', 'Regex (RE2)', 'Save filter rules'), 400, true],
  ['filters', visit('/admin/filters'), 200, true],
  ['filters-preview', viewFilters, 200, true],
  ['source-delete', visit('/admin/sources/1/delete'), 200, true],
  ['tokens', visit('/admin/tokens'), 200, true],
  ['token-created', tokenCreated, 200, true],
  ['opml', visit('/admin/opml'), 200, true],
  ['opml-imported', opmlImported, 200, true],
  ['webhooks', visit('/admin/webhooks'), 200, true],
  ['webhook-added', webhookAdded, 200, true],
  ['webhook-errors', webhookErrors, 400, true],
  ['settings', visit('/admin/settings'), 200, true],
  ['not-found', visit('/admin/no-such-page'), 404, true],
];

let demo: Demo | null = null;
/** The cookies of a signed-in browser, given to every signed-in context. */
let signedIn: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;

beforeAll(async () => {
  feed = await serveFeed();
  demo = await startDemo({ ALLOW_LOOPBACK_UPSTREAMS: 'true' });
  if (!demo) return;
  const context = await demo.browser.newContext({ baseURL: demo.origin });
  const page = await context.newPage();
  await page.goto('/admin');
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await submitting(page, () => page.getByRole('button', { name: 'Sign in' }).click());
  signedIn = await context.storageState();
  // Something in every list: an uploaded image and a move.
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const png = greenSquare();
  expect(
    (await page.request.post('/api/media?name=square.png', { headers: { ...admin, 'content-type': 'image/png' }, data: png })).status(),
  ).toBe(201);
  expect((await page.request.post('/api/moves', { headers: admin, data: { from: '/tags/old/feed.xml', to: '/feed.xml' } })).status()).toBe(
    201,
  );
  await context.close();
}, 300_000);

afterAll(async () => {
  await demo?.stop();
  await feed?.close();
});

describe.each(PAGES)('the console page %s', (kind, open, status, needsSession) => {
  for (const viewport of VIEWPORTS) {
    for (const colorScheme of SCHEMES) {
      it(`at ${viewport.width} px, ${colorScheme}: no axe violations, no horizontal scroll, no console error`, async (ctx) => {
        if (!demo) return ctx.skip(`${CHROMIUM} is not installed (npm run checkers:install)`);
        const context = await demo.browser.newContext({
          viewport,
          colorScheme,
          baseURL: demo.origin,
          storageState: needsSession ? signedIn : undefined,
        });
        const page = await context.newPage();
        const problems = watchProblems(page, status);

        const opened = await open(page);
        expect(opened.status).toBe(status);

        await audit(page, viewport, `console-${kind}-${viewport.width}-${colorScheme}`, problems);
        await context.close();
      });
    }
  }
});
