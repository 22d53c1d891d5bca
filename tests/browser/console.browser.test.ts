// The publisher's console driven the way a person drives it, in Chromium, by the names people
// see (labels, buttons, links): sign in; write a Markdown post with an uploaded image, publish it
// and find it in every feed and on its page; schedule one and see it go live; edit, unpublish and
// delete it (410); move a feed and follow the 301; import an OPML file and export it again; read
// the subscriber counts; add a source found at an address served on 127.0.0.1 and refresh it; block
// the demo source's item with a filter rule (previewed, then saved); sign out and be refused. Once
// more with the keyboard alone. Runs in Node (the `browser` project).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, CHROMIUM, type Demo, root, startDemo } from './demo-server';
import { FEED_ITEMS, get, greenSquare, serveFeed, submit } from './console-helpers';

const PNG = greenSquare();

let demo: Demo | null = null;
/** A feed on 127.0.0.1 for the sources flow; the demo server may fetch it (ALLOW_LOOPBACK_UPSTREAMS). */
let feed: Awaited<ReturnType<typeof serveFeed>> | undefined;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
let context: BrowserContext;
let page: Page;
/** Errors the pages logged (a CSP violation is one): none is expected. */
const problems: string[] = [];

beforeAll(async () => {
  feed = await serveFeed();
  demo = await startDemo({ ALLOW_LOOPBACK_UPSTREAMS: 'true' });
  if (!demo) return;
  context = await demo.browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: demo.origin });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error' || m.location().url.endsWith('/favicon.ico')) return;
    // A page answered with an error status on purpose (a refused file or address, a wrong token, 404, 410) says so in the console.
    if (/^Failed to load resource: the server responded with a status of (400|401|404|410)/.test(m.text())) return;
    problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
}, 300_000);

afterAll(async () => {
  await demo?.stop();
  await feed?.close();
});

const shot = async (name: string) => {
  mkdirSync(join(root, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(root, 'test-results', `console-flow-${name}.png`), fullPage: true });
};

/** The titles in one of the site's feeds, read the way a feed reader reads them. */
async function feedTitles(path: '/feed.xml' | '/atom.xml' | '/feed.json'): Promise<string[]> {
  const body = await (await get(page.request, path)).text();
  if (path === '/feed.json') return (JSON.parse(body) as { items: { title: string }[] }).items.map((i) => i.title);
  const element = path === '/feed.xml' ? 'item' : 'entry';
  const titles = new RegExp(`<${element}>[\\s\\S]*?<title[^>]*>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</title>`, 'g');
  return [...body.matchAll(titles)].map((m) => m[1] ?? m[2]!.replace(/&amp;/g, '&'));
}

/** Waits for the page to say `text` in a status message (the page after a form's answer). */
const said = (on: Page, text: string) => on.getByRole('status').filter({ hasText: text }).first().waitFor();

/** `Publish at` for a moment `ms` from now, in UTC as the form takes it. */
const inUtc = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 19);

describe('the console, with a mouse', () => {
  let postUrl = '';

  it('signs in with the admin token', async (ctx) => {
    if (!demo) return ctx.skip(`${CHROMIUM} is not installed (npm run checkers:install)`);
    await page.goto('/admin');
    await page.getByLabel('Admin token').fill('not-the-token');
    await submit(page, () => page.getByRole('button', { name: 'Sign in' }).click());
    await expect(page.getByRole('alert').textContent()).resolves.toContain('That is not the admin token.');
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Console' }).waitFor();
    await shot('dashboard');
  });

  it('writes a Markdown post with an uploaded image, publishes it, and finds it in every feed and on its page', async (ctx) => {
    if (!demo) return ctx.skip();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'New post' }).click();
    await page.getByLabel('Title').fill('Hello from the console');
    await page.getByLabel('Markdown').check();
    await page.getByLabel('Content', { exact: true }).fill('A post written **in the console**, with a picture:\n');
    // The preview follows the typing (the console's script, allowed by the page's policy).
    await page.locator('#preview strong', { hasText: 'in the console' }).waitFor();
    await page.getByLabel('Tags').fill('Console, News');
    await page.getByLabel('Authors').fill('Ada Writer');
    await page.getByLabel('File').setInputFiles({ name: 'square.png', mimeType: 'image/png', buffer: PNG });
    await page.getByLabel('Description of an image (alt text)').fill('A small green square');
    await page.getByLabel('in the content').check();
    await submit(page, () => page.getByRole('button', { name: 'Upload' }).click());
    await said(page, 'Uploaded square.png');
    expect(await page.getByLabel('Content', { exact: true }).inputValue()).toMatch(
      /!\[A small green square\]\(http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f]{64}\.png\)/,
    );
    await shot('editor-uploaded');
    await submit(page, () => page.getByRole('button', { name: 'Publish', exact: true }).click());
    await said(page, 'Published');
    await shot('editor-published');

    for (const feed of ['/feed.xml', '/atom.xml', '/feed.json'] as const) {
      expect(await feedTitles(feed), feed).toContain('Hello from the console');
    }
    postUrl = (await page.getByRole('link', { name: 'View the post' }).getAttribute('href'))!;
    await page.goto(postUrl);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Hello from the console');
    const image = page.getByRole('img', { name: 'A small green square' });
    await expect(image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).resolves.toBe(16);
  });

  it('schedules a post, which goes live by itself', async (ctx) => {
    if (!demo) return ctx.skip();
    await page.goto('/admin/posts/new');
    await page.getByLabel('Title').fill('A scheduled post');
    await page.getByLabel('Content', { exact: true }).fill('It waited for its time.');
    await page.getByLabel('Publish at').fill(inUtc(12_000));
    await submit(page, () => page.getByRole('button', { name: 'Schedule' }).click());
    await said(page, 'Scheduled: it goes live on');
    expect(await feedTitles('/feed.json')).not.toContain('A scheduled post');
    await page.goto('/admin/posts?status=scheduled');
    await page.getByRole('link', { name: 'A scheduled post' }).waitFor();
    await shot('posts-scheduled');
    for (let i = 0; !(await feedTitles('/feed.json')).includes('A scheduled post'); i++) {
      expect(i, 'the scheduled post went live').toBeLessThan(60);
      await new Promise((r) => setTimeout(r, 1000));
    }
  });

  it('edits the post, unpublishes it, and deletes it (410)', async (ctx) => {
    if (!demo) return ctx.skip();
    await page.goto('/admin/posts');
    await page.getByLabel('Text contains').fill('from the console');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('link', { name: 'Hello from the console' }).click();
    await page.getByLabel('Title').fill('Hello again from the console');
    await page.getByLabel('Slug').fill('hello-again');
    await submit(page, () => page.getByRole('button', { name: 'Publish', exact: true }).click());
    await said(page, 'Published');
    expect(await feedTitles('/feed.json')).toContain('Hello again from the console');
    await expect(page.locator('#slug-hint').textContent()).resolves.toContain('hello-from-the-console');
    // The former address follows the post.
    const former = await get(page.request, postUrl, { maxRedirects: 0 });
    expect(former.status()).toBe(301);

    await submit(page, () => page.getByRole('button', { name: 'Unpublish' }).click());
    await said(page, 'Unpublished');
    expect(await feedTitles('/feed.json')).not.toContain('Hello again from the console');
    expect((await get(page.request, postUrl.replace('hello-from-the-console', 'hello-again'))).status()).toBe(404);

    await page.getByRole('link', { name: 'Delete this post…' }).click();
    await expect(page.getByRole('main').textContent()).resolves.toContain('410 Gone');
    await shot('delete-confirm');
    await submit(page, () => page.getByRole('button', { name: 'Delete this post' }).click());
    await said(page, 'answers 410 Gone');
    await shot('posts-deleted');
    const gone = await page.goto(postUrl.replace('hello-from-the-console', 'hello-again'));
    expect(gone?.status()).toBe(410);
    expect((await get(page.request, postUrl)).status()).toBe(410);
  });

  it('moves a feed, and a reader following the old address gets a 301 to the new one', async (ctx) => {
    if (!demo) return ctx.skip();
    await page.goto('/admin');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Moves' }).click();
    await page.getByLabel('From').fill('/tags/lifestyle/feed.xml');
    await page.getByLabel('To', { exact: true }).fill('/feed.xml');
    await submit(page, () => page.getByRole('button', { name: 'Add move' }).click());
    await said(page, '/tags/lifestyle/feed.xml is moved');
    await shot('moves');
    const moved = await get(page.request, '/tags/lifestyle/feed.xml', { maxRedirects: 0 });
    expect(moved.status()).toBe(301);
    expect(moved.headers().location).toBe(`${demo.origin}/feed.xml`);
    const followed = await page.goto('/tags/lifestyle/feed.xml');
    expect(followed?.url()).toBe(`${demo.origin}/feed.xml`);
    expect((await followed?.request().redirectedFrom()?.response())?.status()).toBe(301);
  });

  it('imports an OPML file, sees what was added, existed and was refused, refuses a page, and exports OPML', async (ctx) => {
    if (!demo) return ctx.skip();
    await page.goto('/admin');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'OPML' }).click();
    // Not OPML: refused plainly, the field named.
    await page.getByLabel('OPML file').setInputFiles({ name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<p>Hello</p>') });
    expect(await submit(page, () => page.getByRole('button', { name: 'Import' }).click())).toBe(400);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('OPML file: page.html is not an OPML document');
    // A reserved name (never reached), the demo's own source, and a private address.
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body><outline text="Friends">
<outline type="rss" text="A friend" xmlUrl="https://feeds.example/console-flow.xml"/>
<outline type="rss" text="Upstream" xmlUrl="https://upstream.example/feed.xml"/>
<outline type="rss" text="Private" xmlUrl="http://10.0.0.1/feed.xml"/></outline></body></opml>`;
    await page.getByLabel('OPML file').setInputFiles({ name: 'mine.opml', mimeType: 'text/x-opml', buffer: Buffer.from(opml) });
    expect(await submit(page, () => page.getByRole('button', { name: 'Import' }).click())).toBe(200);
    await said(page, '1 added, 1 already followed, 1 refused.');
    const listed = async (heading: string) =>
      page.getByRole('heading', { name: heading }).locator('xpath=following-sibling::ul[1]').textContent();
    await expect(listed('Added (1)')).resolves.toContain('https://feeds.example/console-flow.xml: A friend');
    await expect(listed('Already sources (1)')).resolves.toContain('https://upstream.example/feed.xml');
    await expect(listed('Refused (1)')).resolves.toContain('http://10.0.0.1/feed.xml');
    await shot('opml-imported');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export OPML' }).click()]);
    expect(download.suggestedFilename()).toBe('sources.opml');
    const exported = readFileSync((await download.path())!, 'utf8');
    expect(exported).toContain('xmlUrl="https://feeds.example/console-flow.xml"');
    expect(exported).toContain('category="Friends"');
  });

  it('reads the subscriber counts', async (ctx) => {
    if (!demo) return ctx.skip();
    await page.goto('/admin');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Subscribers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Subscribers' }).waitFor();
    await page.getByRole('link', { name: 'Show 365 days' }).click();
    await expect(page.getByRole('main').textContent()).resolves.toContain('the last 365 days');
    await shot('stats');
  });

  it('adds a source: Address, Find feed, the preview, Add source, then its page refreshes it', async (ctx) => {
    if (!demo) return ctx.skip();
    await page.goto('/admin');
    const sources = async () => ((await (await get(page.request, '/api/sources', { headers: admin })).json()) as { total: number }).total;
    const before = await sources();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Sources' }).click();
    await page.getByRole('link', { name: 'Add a source' }).click();
    // An address that may not be fetched is said beside the field, kept as typed.
    await page.getByLabel('Address').fill('http://10.0.0.1/feed.xml');
    await submit(page, () => page.getByRole('button', { name: 'Find feed' }).click());
    await expect(page.getByLabel('Address').inputValue()).resolves.toBe('http://10.0.0.1/feed.xml');
    await expect(page.locator('#address-error').textContent()).resolves.toContain('cannot be followed');
    // A feed: its items are shown before anything is stored.
    await page.getByLabel('Address').fill(feed!.url);
    await submit(page, () => page.getByRole('button', { name: 'Find feed' }).click());
    const preview = page.getByRole('region', { name: 'What this address gives' });
    for (const title of FEED_ITEMS) await preview.getByRole('link', { name: title }).waitFor();
    await shot('find-feed');
    expect(await sources()).toBe(before);
    await page.getByLabel('Tags').fill('Local, Gardens');
    await page.getByLabel('Title', { exact: true }).fill('The local feed');
    await submit(page, () => page.getByRole('button', { name: 'Add source' }).click());
    await page.getByRole('heading', { level: 1, name: 'The local feed' }).waitFor();
    await said(page, 'The source is added');
    await submit(page, () => page.getByRole('button', { name: 'Refresh now' }).click());
    // The local queue may have run the first refresh already: how many items are new is not fixed.
    await said(page, 'Refreshed: 2 items read');
    for (const title of FEED_ITEMS) await page.getByRole('link', { name: title }).first().waitFor();
    await expect(page.getByRole('table', { name: 'Refreshes, newest first' }).textContent()).resolves.toContain('ok (200)');
    await shot('source');
    expect(await sources()).toBe(before + 1);
  });

  it("blocks the demo source's item with a filter rule: Add a rule, Preview rules, Save filter rules", async (ctx) => {
    if (!demo) return ctx.skip();
    await page.goto('/admin/sources/1/edit');
    // Run alone (-t), the flow signs in here.
    if (await page.getByLabel('Admin token').count()) {
      await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
      await submit(page, () => page.getByRole('button', { name: 'Sign in' }).click());
    }
    const sourceFeed = async () => (await get(page.request, '/sources/1/feed.xml')).text();
    expect(await sourceFeed()).toContain('An upstream post');
    await submit(page, () => page.getByRole('button', { name: 'Add a rule' }).click());
    await page.getByLabel('Rule 1 action').selectOption({ label: 'Block' });
    await page.getByLabel('Rule 1 field').selectOption({ label: 'Title' });
    await page.getByLabel('Rule 1 match').selectOption({ label: 'Words' });
    await page.getByLabel('Rule 1 pattern').fill('upstream');
    await submit(page, () => page.getByRole('button', { name: 'Preview rules' }).click());
    const preview = page.getByRole('region', { name: 'What these rules do' });
    await said(page, '0 kept and 1 blocked');
    const blocked = preview.getByRole('table', { name: 'Blocked items and the rule that blocks each' });
    await expect(blocked.getByRole('row', { name: /An upstream post/ }).textContent()).resolves.toContain('Rule 1');
    await shot('filters-preview');
    // Nothing is saved by a preview.
    expect(await sourceFeed()).toContain('An upstream post');
    await submit(page, () => page.getByRole('button', { name: 'Save filter rules' }).click());
    await said(page, 'Filter rules saved');
    await expect(page.getByLabel('Rule 1 pattern').inputValue()).resolves.toBe('upstream');
    expect(await sourceFeed()).not.toContain('An upstream post');
    const api = (await (await get(page.request, '/api/sources/1', { headers: admin })).json()) as { filters: unknown[] };
    expect(api.filters).toEqual([{ action: 'block', field: 'title', match: 'words', pattern: 'upstream' }]);
    // Removed again, the item is back.
    await page.getByLabel('Remove rule 1').check();
    await submit(page, () => page.getByRole('button', { name: 'Save filter rules' }).click());
    await said(page, 'Filter rules saved');
    expect(await sourceFeed()).toContain('An upstream post');
    expect(problems).toEqual([]);
  });

  it('signs out, and is refused from then on', async (ctx) => {
    if (!demo) return ctx.skip();
    await submit(page, () => page.getByRole('button', { name: 'Sign out' }).click());
    await page.getByLabel('Admin token').waitFor();
    const refused = await page.goto('/admin/posts');
    expect(new URL(refused!.url()).pathname).toBe('/admin');
    await page.getByLabel('Admin token').waitFor();
    const action = await page.request.post('/admin/posts/new', { form: { title: 'After sign-out' }, headers: { origin: demo.origin } });
    expect(action.status()).toBe(401);
    expect(problems).toEqual([]);
  });
});

/**
 * Presses Tab until the focused element is the one `matches` picks (by its tag, label or text),
 * as a keyboard user moves through a page; fails if it is not reached in `max` presses.
 */
async function tabTo(page: Page, name: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const labels = (el as HTMLInputElement).labels;
      return (labels?.[0]?.textContent ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
    });
    if (focused === name) return;
  }
  throw new Error(`${name} was not reached with Tab`);
}

describe('the post flow with the keyboard alone', () => {
  it('signs in, writes and publishes, edits, unpublishes and deletes a post without a pointer', async (ctx) => {
    if (!demo) return ctx.skip(`${CHROMIUM} is not installed (npm run checkers:install)`);
    const keyboard = await demo.browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: demo.origin });
    const kb = await keyboard.newPage();
    const k = kb.keyboard;
    await kb.goto('/admin');
    await tabTo(kb, 'Admin token');
    await k.type(ADMIN_TOKEN);
    await submit(kb, () => k.press('Enter'));
    await kb.getByRole('heading', { level: 1, name: 'Console' }).waitFor();

    await tabTo(kb, 'New post');
    await k.press('Enter');
    await kb.getByRole('heading', { level: 1, name: 'New post' }).waitFor();
    await tabTo(kb, 'Title');
    await k.type('Typed with keys');
    await tabTo(kb, 'Content');
    await k.type('Written *without* a mouse.');
    await tabTo(kb, 'Tags');
    await k.type('Keyboard');
    await tabTo(kb, 'Publish');
    await submit(kb, () => k.press('Enter'));
    await said(kb, 'Published');
    expect(JSON.stringify(await (await get(kb.request, '/feed.json')).json())).toContain('Typed with keys');

    // Edit: the title again, then Publish with the space bar.
    await tabTo(kb, 'Title');
    await k.press('ControlOrMeta+A');
    await k.type('Typed with keys, edited');
    await tabTo(kb, 'Publish');
    await submit(kb, () => k.press('Space'));
    await said(kb, 'Published');
    expect(JSON.stringify(await (await get(kb.request, '/feed.json')).json())).toContain('Typed with keys, edited');

    await tabTo(kb, 'Unpublish');
    await submit(kb, () => k.press('Enter'));
    await said(kb, 'Unpublished');
    await tabTo(kb, 'Delete this post…');
    await k.press('Enter');
    await kb.getByRole('heading', { level: 1, name: /^Delete/ }).waitFor();
    await tabTo(kb, 'Delete this post');
    await submit(kb, () => k.press('Enter'));
    await said(kb, 'answers 410 Gone');
    expect((await get(kb.request, '/posts/typed-with-keys')).status()).toBe(410);
    await keyboard.close();
  });
});
