// What asking "is this feed a podcast?" costs (src/db/history.ts, carriesAudioStatement): every
// render of an own-post RSS feed asks it of the feed's whole history. Run first in this area,
// while the store holds the demo content alone, which has no audio, as most publications have none.
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { carriesAudioStatement } from '../../src/db/history';
import { insertPost } from '../support/worker';

const DAY = 86_400_000;
const BASE = Date.UTC(2019, 0, 1);
const AUDIO = { url: 'https://cdn.example/ep.mp3', type: 'audio/mpeg', length: 1234 };

it('asking whether a long feed without audio is a podcast reads none of its entries', async () => {
  for (let i = 0; i < 80; i++) {
    await insertPost({
      id: `urn:uuid:00000000-0000-4000-8000-9a00000000${String(i).padStart(2, '0')}`,
      slug: `quiet-${i}`,
      title: `Quiet ${i}`,
      publishedAt: BASE + i * DAY,
      tags: [['quiet', 'Quiet']],
      enclosures: i % 2 === 0 ? [{ url: `https://cdn.example/p${i}.jpg`, type: 'image/jpeg', length: 10 }] : [],
    });
  }
  const asked = await carriesAudioStatement(env.DB, { kind: 'tag', slug: 'quiet' }, Date.now())!.all<{ audio: number }>();
  expect(asked.results[0]!.audio).toBe(0);
  // The walk starts from the entries with audio (an index of them): none here, so it reads
  // next to nothing, where a walk of the feed's history reads every one of the 80 entries.
  expect(asked.meta.rows_read).toBeLessThan(10);
  await insertPost({
    id: 'urn:uuid:00000000-0000-4000-8000-9a0000000099',
    slug: 'quiet-episode',
    title: 'Quiet episode',
    publishedAt: BASE,
    tags: [['quiet', 'Quiet']],
    enclosures: [AUDIO],
  });
  const withAudio = await carriesAudioStatement(env.DB, { kind: 'tag', slug: 'quiet' }, Date.now())!.all<{ audio: number }>();
  expect(withAudio.results[0]!.audio).toBe(1);
  // The suites after this one start from the demo content alone.
  await env.DB.prepare(`DELETE FROM entries WHERE id LIKE 'urn:uuid:00000000-0000-4000-8000-9a%'`).run();
  expect((await env.DB.prepare(`SELECT count(*) AS n FROM entry_tags WHERE slug = 'quiet'`).first<{ n: number }>())!.n).toBe(0);
});
