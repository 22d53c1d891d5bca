import { type Context, Hono } from 'hono';
import { siteConfig } from '../../config';
import { listSources } from '../../db/sources';
import { InvalidFieldError } from '../../domain/invalid-field-error';
import type { AppEnv } from '../../http/app-env';
import { sourcesOpml } from '../../opml/export';
import { ALREADY_A_SOURCE, importOpml, MAX_OPML_BYTES } from '../../opml/import';
import type { FieldError } from '../../render/console/parts';
import { type OpmlOutcome, renderOpmlPage } from '../../render/console/opml';
import { fileField, postedForm, tokenFor } from './forms';

/**
 * OPML in the console: an uploaded file imported as sources by importOpml (the same write as
 * POST /api/sources/import), and every source exported by sourcesOpml (as GET /api/sources/export).
 */
export const opmlPages = new Hono<AppEnv>();

async function page(c: Context<AppEnv>, extra: { errors?: FieldError[]; outcome?: OpmlOutcome }): Promise<string> {
  const [{ total }, token, signOutToken] = await Promise.all([
    listSources(c.env.DB, { limit: 1, offset: 0 }),
    tokenFor(c, 'opml'),
    tokenFor(c, 'sign-out'),
  ]);
  return renderOpmlPage(siteConfig(c.env), {
    sources: total,
    maxBytes: MAX_OPML_BYTES,
    errors: extra.errors ?? [],
    outcome: extra.outcome ?? null,
    token,
    signOutToken,
  });
}

opmlPages.get('/', async (c) => c.html(await page(c, {})));

opmlPages.get('/export', async (c) =>
  c.body(await sourcesOpml(c.env), 200, {
    'content-type': 'text/x-opml; charset=utf-8',
    'content-disposition': 'attachment; filename="sources.opml"',
  }),
);

/** Imports the file, and answers with what was added, what existed and what was refused; a file that is not OPML stores nothing (400). */
opmlPages.post('/', async (c) => {
  const posted = await postedForm(c, 'opml');
  const file = fileField(posted, 'file');
  const refuse = async (message: string, status: 400 | 413) => c.html(await page(c, { errors: [{ field: 'file', message }] }), status);
  if (!file) return refuse('choose an OPML file to import', 400);
  // The console's body limit (src/routes/console/index.ts) already holds the whole form to about this.
  if (file.size > MAX_OPML_BYTES) return refuse(`is ${file.size} bytes; at most ${MAX_OPML_BYTES} bytes are taken`, 413);
  let result: Awaited<ReturnType<typeof importOpml>>;
  try {
    result = await importOpml(c.env, await file.text(), Date.now());
  } catch (error) {
    if (error instanceof InvalidFieldError) return refuse(`${file.name || 'the file'} ${error.reason}`, 400);
    throw error;
  }
  const outcome: OpmlOutcome = {
    added: result.added.map((s) => ({ title: s.titleOverride ?? s.title ?? s.url, url: s.url })),
    existing: result.skipped.filter((s) => s.reason === ALREADY_A_SOURCE).map((s) => s.url),
    refused: result.skipped.filter((s) => s.reason !== ALREADY_A_SOURCE),
    warnings: result.warnings,
  };
  return c.html(await page(c, { outcome }));
});
