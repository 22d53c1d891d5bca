import { expect, it } from 'vitest';
import { AUTH, get, SITE } from '../support/worker';
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

it('the admin API lists posts by ?q= the same way, and refuses a q it cannot run with a problem naming q', async () => {
  const post = await createPost({ title: 'API search', content_html: '<p>A pangolin curls up.</p>', status: 'draft' });
  const res = await get('/api/posts?q=pangolin', { headers: AUTH });
  expect(res.status).toBe(200);
  const list = (await res.json()) as { total: number; posts: { id: string }[] };
  expect(list.posts.map((p) => p.id)).toEqual([post.id]);
  expect(list.total).toBe(1);
  const refused = await get('/api/posts?q=%20', { headers: AUTH });
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['q']);
});
