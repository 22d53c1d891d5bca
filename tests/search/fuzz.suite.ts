import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { searchEntries } from '../../src/db/search';
import { isQueryError, parseSearchQuery } from '../../src/domain/search-query';
import { get } from '../support/worker';

// FTS5's query syntax and whatever else a reader may type: every query is answered, none is a 5xx.
const PIECES = [
  '"',
  '""',
  "'",
  '*',
  '^',
  '-',
  '+',
  ':',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  'NEAR',
  'NEAR(',
  'NEAR/3',
  'AND',
  'OR',
  'NOT',
  'title:',
  'body:',
  '{title body}:',
  'entry_search',
  'rank',
  '%',
  '_',
  '\\',
  '/',
  '?',
  '&',
  '#',
  ';',
  '--',
  '/*',
  '\u0000',
  '\u0001',
  '東京',
  'タワー',
  '夜',
  'é',
  'e\u0301',
  '🦘',
  'ocelot',
  'xylophone',
  'a',
  'zz',
  ' ',
  '  ',
  '\t',
  '\n',
];

/** A small seeded generator: the same queries on every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const queries = (() => {
  const next = random(24);
  return Array.from({ length: 300 }, () => {
    const n = 1 + Math.floor(next() * 8);
    return Array.from({ length: n }, () => PIECES[Math.floor(next() * PIECES.length)]!).join(next() < 0.5 ? ' ' : '');
  });
})();

it('answers 120 random queries of FTS5 syntax on the page and the feed, never with a 5xx', { timeout: 180_000 }, async () => {
  const statuses = new Map<number, number>();
  const paths = queries
    .slice(0, 120)
    .flatMap((q) => [`/search?q=${encodeURIComponent(q)}`, `/search/feed.json?q=${encodeURIComponent(q)}`]);
  // A few at a time, as readers send them.
  for (let i = 0; i < paths.length; i += 8) {
    await Promise.all(
      paths.slice(i, i + 8).map(async (path) => {
        const res = await get(path, { redirect: 'manual' });
        await res.arrayBuffer();
        expect([200, 301, 400], path).toContain(res.status);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }),
    );
  }
  // Both kinds of answer occur: the fuzz reaches the index, not only the refusals.
  expect(statuses.get(200)).toBeGreaterThan(40);
  expect(statuses.get(400)).toBeGreaterThan(0);
});

it('runs all 300 random queries accepted in every scope without an error', async () => {
  for (const q of queries) {
    const query = parseSearchQuery(q);
    if (isQueryError(query)) continue;
    await searchEntries(env.DB, query, { scope: { kind: 'public', now: Date.now() }, limit: 5, offset: 0 });
    await searchEntries(env.DB, query, { scope: { kind: 'own' }, limit: 5, offset: 0 });
    await searchEntries(env.DB, query, { scope: { kind: 'source', id: 1 }, limit: 5, offset: 0 });
  }
});
