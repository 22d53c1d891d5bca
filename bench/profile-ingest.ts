// `node bench/profile-ingest.mjs`: bundled by it for Node (bench/.build/), not part of the worker.
// The parse of a refresh (decode, repair, XML parse, normalize, sanitize) on the bench's ingest
// corpus, for a CPU profile: what a refresh spends its CPU on, by phase.
import { sanitizeAll } from '../src/html/sanitize';
import { parseFeed, readXml } from '../src/ingest/parse/parse-feed';

export async function run(docs: string[], rounds: number): Promise<Record<string, number>> {
  const encoder = new TextEncoder();
  const input = (doc: string) => ({ bytes: encoder.encode(doc), contentType: 'application/rss+xml', url: 'https://upstream.example/feed' });
  for (const doc of docs) await parseFeed(input(doc));
  const time = async (what: () => Promise<unknown>) => {
    const t = performance.now();
    for (let r = 0; r < rounds; r++) await what();
    return (performance.now() - t) / (rounds * docs.length);
  };
  // The fragments the sanitizer gets from each document: content and summary of every item.
  const fragments = await Promise.all(
    docs.map(async (doc) =>
      ((await readXml(doc)).items ?? []).flatMap((item) => [
        { html: String((item as Record<string, unknown>)['content:encoded'] ?? ''), base: 'https://upstream.example/' },
        { html: String(item.content ?? ''), base: 'https://upstream.example/' },
      ]),
    ),
  );
  return {
    parseFeedMs: await time(async () => {
      for (const doc of docs) await parseFeed(input(doc));
    }),
    xmlParseMs: await time(async () => {
      for (const doc of docs) await readXml(doc);
    }),
    sanitizeMs: await time(async () => {
      for (const f of fragments) await sanitizeAll(f);
    }),
  };
}
