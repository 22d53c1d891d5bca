import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { notFound } from '../http/problem';

/**
 * GET /media/<sha-256>.<ext>: an uploaded image or audio file (src/media/store.ts), public. Its
 * address names its content, so it is cached for a year and never revalidated (immutable); Range
 * requests (audio players seek with them) and If-None-Match are answered by R2. It is served as
 * the type its bytes were recognized as, with `nosniff` (every response has it) and a sandboxing
 * Content-Security-Policy, so that not even a browser opening it directly runs anything in it.
 */
export const mediaRoutes = new Hono<AppEnv>();

const FILE = /^[0-9a-f]{64}\.(?:png|jpg|gif|webp|avif|mp3|m4a|ogg|wav|flac)$/;

mediaRoutes.get('/media/:file', async (c) => {
  const key = c.req.param('file');
  if (!FILE.test(key)) throw notFound('There is no file at this address.');
  const object = await c.env.MEDIA.get(key, { range: c.req.raw.headers, onlyIf: c.req.raw.headers });
  if (!object) throw notFound('There is no file at this address.');
  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set('etag', object.httpEtag);
  headers.set('cache-control', 'public, max-age=31536000, immutable');
  headers.set('accept-ranges', 'bytes');
  headers.set('content-security-policy', "default-src 'none'; sandbox");
  headers.set('content-disposition', 'inline');
  // An object without a body: the request's If-None-Match matched (R2 answers the precondition).
  if (!('body' in object)) return new Response(null, { status: 304, headers });
  const range = object.range as { offset?: number; length?: number } | undefined;
  if (range && c.req.header('range')) {
    const offset = range.offset ?? 0;
    const length = range.length ?? object.size - offset;
    headers.set('content-range', `bytes ${offset}-${offset + length - 1}/${object.size}`);
    headers.set('content-length', String(length));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set('content-length', String(object.size));
  return new Response(object.body, { headers });
});
