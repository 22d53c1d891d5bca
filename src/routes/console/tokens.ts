import { type Context, Hono } from 'hono';
import { siteConfig } from '../../config';
import { deleteApiToken, listApiTokens, MAX_API_TOKENS } from '../../db/api-tokens';
import { mintApiToken, tokenRequestProblem } from '../../http/api-tokens';
import type { AppEnv } from '../../http/app-env';
import { ProblemError } from '../../http/problem';
import type { FieldError } from '../../render/console/parts';
import { renderTokensPage, type TokenForm } from '../../render/console/tokens';
import { field, fields, postedForm, tokenFor } from './forms';

/** API tokens in the console: made (shown once), listed, revoked. */
export const tokenPages = new Hono<AppEnv>();

type Extra = { form?: TokenForm; errors?: FieldError[]; made?: { token: string; name: string } | null; notice?: string | null };

async function page(c: Context<AppEnv>, extra: Extra): Promise<string> {
  const [tokens, token, signOutToken] = await Promise.all([listApiTokens(c.env.DB), tokenFor(c, 'token'), tokenFor(c, 'sign-out')]);
  return renderTokensPage(siteConfig(c.env), {
    tokens,
    form: extra.form ?? { name: '', scopes: [] },
    errors: extra.errors ?? [],
    made: extra.made ?? null,
    notice: extra.notice ?? null,
    token,
    signOutToken,
  });
}

tokenPages.get('/', async (c) => {
  const revoked = c.req.query('revoked');
  return c.html(await page(c, { notice: revoked ? `The token “${revoked}” is revoked: the API refuses it from now on.` : null }));
});

/** Makes a token and answers with the page that shows it, the only time it is shown (no redirect: nothing keeps it to show again). */
tokenPages.post('/', async (c) => {
  const posted = await postedForm(c, 'token');
  const form: TokenForm = { name: field(posted, 'name').trim(), scopes: fields(posted, 'scopes') };
  const problem = tokenRequestProblem(form.name, form.scopes);
  if (problem) return c.html(await page(c, { form, errors: [problem] }), 400);
  const made = await mintApiToken(c.env.DB, form.name, form.scopes, Date.now());
  if (!made) {
    return c.html(
      await page(c, { form, errors: [{ field: 'name', message: `There are ${MAX_API_TOKENS} tokens already: revoke some first.` }] }),
      409,
    );
  }
  return c.html(await page(c, { made: { token: made.token, name: made.record.name } }));
});

tokenPages.post('/:id/revoke', async (c) => {
  await postedForm(c, 'token');
  const id = Number(c.req.param('id'));
  const token = (await listApiTokens(c.env.DB)).find((t) => t.id === id);
  if (!token || !(await deleteApiToken(c.env.DB, id)))
    throw new ProblemError(404, 'Not Found', 'No such token: it may have been revoked already.');
  return c.redirect(`/admin/tokens?revoked=${encodeURIComponent(token.name)}`, 303);
});
