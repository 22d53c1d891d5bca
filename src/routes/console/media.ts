import { Hono } from 'hono';
import { siteConfig } from '../../config';
import type { AppEnv } from '../../http/app-env';
import { listMedia, MediaRefused, storeMedia } from '../../media/store';
import { renderMediaPage } from '../../render/console/media';
import { fileField, postedForm, tokenFor } from './forms';

/** Uploaded images and audio in the console: the list and the upload form (src/media/store.ts, as POST /api/media). */
export const mediaPages = new Hono<AppEnv>();

mediaPages.get('/', async (c) => {
  const config = siteConfig(c.env);
  const [files, token, signOutToken] = await Promise.all([
    listMedia(c.env.MEDIA, config.url),
    tokenFor(c, 'media'),
    tokenFor(c, 'sign-out'),
  ]);
  return c.html(renderMediaPage(config, { files, errors: [], uploaded: null, token, signOutToken }));
});

mediaPages.post('/', async (c) => {
  const config = siteConfig(c.env);
  const posted = await postedForm(c, 'media');
  const file = fileField(posted, 'file');
  let uploaded = null;
  let refused: MediaRefused | null = null;
  if (file) {
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      uploaded = await storeMedia(c.env.MEDIA, config.url, { bytes, declaredType: file.type, name: file.name }, Date.now());
    } catch (error) {
      if (!(error instanceof MediaRefused)) throw error;
      refused = error;
    }
  }
  const errors = refused
    ? [{ field: 'file', message: refused.message }]
    : file
      ? []
      : [{ field: 'file', message: 'choose a file to upload' }];
  const [files, token, signOutToken] = await Promise.all([
    listMedia(c.env.MEDIA, config.url),
    tokenFor(c, 'media'),
    tokenFor(c, 'sign-out'),
  ]);
  return c.html(renderMediaPage(config, { files, errors, uploaded, token, signOutToken }), refused ? refused.status : file ? 200 : 400);
});
