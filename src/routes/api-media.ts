import { Hono } from 'hono';
import { z } from 'zod';
import { siteConfig } from '../config';
import type { AppEnv } from '../http/app-env';
import { adminAuth } from '../http/auth';
import { ProblemError } from '../http/problem';
import { MAX_AUDIO_BYTES } from '../media/sniff';
import { MediaRefused, storeMedia } from '../media/store';
import { limitBody } from './admin-middleware';
import { validate } from './query';

/**
 * POST /api/media: the body is one image or audio file, sent with its Content-Type (and `?name=`
 * for its original name); 201 with its address, type and size. The same checks as the console's
 * uploads (src/media/store.ts): a lying type, SVG or anything else the site does not serve is a
 * 415, a file over the limit a 413.
 */
export const mediaApi = new Hono<AppEnv>();

mediaApi.use('*', adminAuth());
mediaApi.post('/', limitBody(MAX_AUDIO_BYTES), validate('query', z.object({ name: z.string().max(200).optional() })), async (c) => {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  try {
    const file = { bytes, declaredType: c.req.header('content-type') ?? '', name: c.req.valid('query').name ?? '' };
    const stored = await storeMedia(c.env.MEDIA, siteConfig(c.env).url, file, Date.now());
    return c.json({ url: stored.url, type: stored.type, length: stored.length, name: stored.name }, 201, { location: stored.url });
  } catch (error) {
    if (error instanceof MediaRefused) {
      throw new ProblemError(error.status, error.status === 413 ? 'Payload Too Large' : 'Unsupported Media Type', error.message);
    }
    throw error;
  }
});
