import { expect, it } from 'vitest';
import { get, SITE } from '../support/worker';
import { createPost } from './helpers';

/** Signs in to the console through its form; the session cookie (name=value). */
async function signIn(): Promise<string> {
  const csrf = /name="csrf" value="([^"]+)"/.exec(await (await get('/admin')).text())![1]!;
  const res = await get('/admin/sign-in', {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: SITE, 'cf-connecting-ip': '192.0.2.24', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, token: 'test-admin-token' }).toString(),
  });
  expect(res.status).toBe(303);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

it("the console's post list finds posts by the words of their text, tags and authors, drafts too", async () => {
  const text = await createPost({ title: 'Console one', content_html: '<p>A narwhal in the text.</p>', status: 'draft' });
  const tagged = await createPost({ title: 'Console two', content_html: '<p>x</p>', tags: ['Narwhals'] });
  const other = await createPost({ title: 'Console three', content_html: '<p>nothing here</p>' });
  const cookie = await signIn();
  const list = await (await get('/admin/posts?q=narwhal', { headers: { cookie } })).text();
  const bare = (id: string) => id.replace(/^urn:uuid:/, '');
  expect(list).toContain(bare(text.id));
  expect(list).toContain(bare(tagged.id));
  expect(list).not.toContain(bare(other.id));
  expect(list).toContain('<label for="q">Text contains</label>');
  // FTS syntax is text here too.
  expect((await get('/admin/posts?q=%22NEAR(%20*', { headers: { cookie } })).status).toBe(200);
});
