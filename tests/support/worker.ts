// Helpers for the tests that run inside workerd: requests through the worker's front door, the
// admin API, the stub upstream, the independent checkers and rows written straight to D1.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect, inject, type TestContext } from 'vitest';
import { bumpStatements } from '../../src/db/versions';

/** SITE_URL of the test worker (wrangler.toml). */
export const SITE = env.SITE_URL;

/** The admin token of the test worker (vitest.config.ts). */
export const ADMIN_TOKEN = env.ADMIN_TOKEN;
/** The Authorization header of an admin request. */
export const BEARER = { authorization: `Bearer ${ADMIN_TOKEN}` };
/** The headers of an admin request with a JSON body. */
export const AUTH = { ...BEARER, 'content-type': 'application/json' };

/** A request through the worker's front door (SELF), as a client sends it. */
export function get(path: string, init?: RequestInit): Promise<Response> {
  return SELF.fetch(new URL(path, SITE), init);
}

/** A URL on the stub upstream server (tests/setup/upstream.ts). */
export const upstream = (path: string) => `${inject('upstreamUrl')}${path}`;

/**
 * Adds a source through the admin API (POST /api/sources with `url` and `fields`), failing the
 * test unless it is created; answers the source as the API shows it.
 */
export async function addSource<T extends { id: number } = { id: number }>(url: string, fields: Record<string, unknown> = {}): Promise<T> {
  const res = await get('/api/sources', { method: 'POST', headers: AUTH, body: JSON.stringify({ url, ...fields }) });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as T;
}

export type CheckResult = { available: boolean; ok: boolean; output: string };

/**
 * Runs an independent checker (xmllint, jing, feedparser, newsboat, html5) on a document. Where the tool
 * is not installed the test is skipped with a message, except under CI, where it fails.
 */
export async function check(
  ctx: TestContext,
  tool: 'xmllint' | 'jing' | 'feedparser' | 'newsboat' | 'html5' | 'xss',
  body: string,
): Promise<CheckResult> {
  const response = await fetch(`${inject('checkerUrl')}/${tool}`, { method: 'POST', body });
  const result = (await response.json()) as CheckResult;
  if (!result.available) {
    const message = `${tool} is not installed: run \`npm run checkers:install\` (Debian: jing libxml2-utils python3-feedparser python3-html5lib newsboat)`;
    if (inject('checkersRequired')) throw new Error(message);
    ctx.skip(message);
  }
  return result;
}

/** The stored rows a view should show, read with plain SQL (not through the app's db layer). */
export async function storedPosts(where = '1 = 1', ...binds: unknown[]) {
  const { results } = await env.DB.prepare(
    `SELECT id, slug, title, published_at, updated_at FROM entries
     WHERE source_id IS NULL AND status = 'published' AND published_at <= ?1 AND (${where})
     ORDER BY published_at DESC, id DESC`,
  )
    .bind(Date.now(), ...binds)
    .all<{ id: string; slug: string; title: string; published_at: number; updated_at: number }>();
  return results;
}

/** Inserts an own post straight into D1 (the admin API is a later issue). */
export async function insertPost(post: {
  id: string;
  slug: string;
  title: string;
  summary?: string;
  content?: string;
  publishedAt: number;
  updatedAt?: number;
  status?: 'draft' | 'published';
  tags?: [slug: string, name: string][];
  authors?: [slug: string, name: string][];
  enclosures?: { url: string; type: string; length: number }[];
  image?: string;
}) {
  const statements = [
    env.DB.prepare(
      `INSERT INTO entries (id, slug, title, summary, content_html, status, published_at, updated_at, enclosures, image)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
    ).bind(
      post.id,
      post.slug,
      post.title,
      post.summary ?? '',
      post.content ?? '',
      post.status ?? 'published',
      post.publishedAt,
      post.updatedAt ?? post.publishedAt,
      JSON.stringify(post.enclosures ?? []),
      post.image ?? null,
    ),
    ...(post.tags ?? []).map(([slug, name], i) =>
      env.DB.prepare('INSERT INTO entry_tags (entry_id, slug, name, position) VALUES (?1, ?2, ?3, ?4)').bind(post.id, slug, name, i),
    ),
    ...(post.authors ?? [['tester', 'Tester']]).map(([slug, name], i) =>
      env.DB.prepare('INSERT INTO entry_authors (entry_id, position, slug, name) VALUES (?1, ?2, ?3, ?4)').bind(post.id, i, slug, name),
    ),
  ];
  await env.DB.batch(statements);
}

/** Bumps a view's version as a write through the admin API does (the same statement). */
export async function bumpView(view: string, at = Date.now()) {
  await env.DB.batch(bumpStatements(env.DB, [view], at));
}
