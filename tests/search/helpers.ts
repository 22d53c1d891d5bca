// Helpers of the search suites: posts through the admin API, a source and its items written by
// the one writer, and what a search feed answers.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { storeUpstreamEntries, type UpstreamEntry } from '../../src/db/upstream-entries';
import { AUTH, get } from '../support/worker';

export type Post = { id: string; slug: string };

/** A post through the admin API (the one write path of own posts). */
export async function createPost(body: Record<string, unknown>): Promise<Post> {
  const res = await get('/api/posts', {
    method: 'POST',
    headers: AUTH,
    body: JSON.stringify({ published_at: '2024-05-01T00:00:00Z', ...body }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Post;
}

export async function editPost(id: string, body: Record<string, unknown>): Promise<void> {
  const res = await get(`/api/posts/${id}`, { method: 'PATCH', headers: AUTH, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(200);
}

export async function deletePost(id: string): Promise<void> {
  expect((await get(`/api/posts/${id}`, { method: 'DELETE', headers: AUTH })).status).toBe(204);
}

/** The ids a search finds, newest first (its JSON Feed, at most 20). */
export async function found(q: string): Promise<string[]> {
  const res = await get(`/search/feed.json?q=${encodeURIComponent(q)}`);
  expect(res.status, `${q}: ${await res.clone().text()}`).toBe(200);
  return ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id);
}

let sources = 0;

/** A source row (active unless told), as the sources API would leave it. */
export async function insertSource(state: 'active' | 'paused' = 'active'): Promise<number> {
  sources++;
  const row = await env.DB.prepare(
    `INSERT INTO sources (url, title, site_url, state, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, 0, 0) RETURNING id`,
  )
    .bind(`https://search-source-${sources}.example/feed.xml`, `Source ${sources}`, `https://search-source-${sources}.example/`, state)
    .first<{ id: number }>();
  return row!.id;
}

/** Upstream items stored by the one writer, as a refresh stores them, trimmed to `cap`. */
export async function storeItems(
  sourceId: number,
  items: { key: string; title: string; html: string; publishedAt: number }[],
  cap = 100,
): Promise<void> {
  const entries: (UpstreamEntry & { hash: string })[] = items.map((i) => ({
    id: `${sourceId}:${i.key}`,
    key: i.key,
    hash: i.key + i.html,
    url: `https://search-source.example/${i.key}`,
    canonicalUrl: `https://search-source.example/${i.key}`,
    title: i.title,
    summary: '',
    contentHtml: i.html,
    image: null,
    enclosures: [],
    language: null,
    publishedAt: i.publishedAt,
    updatedAt: i.publishedAt,
    authors: [],
    tags: [],
  }));
  await storeUpstreamEntries(env.DB, { id: sourceId, tags: [], site: false }, entries, null, cap, Date.now());
}
