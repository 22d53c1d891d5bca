import { type Context, Hono } from 'hono';
import { siteConfig } from '../../config';
import { listMoves } from '../../db/moves';
import { ConflictError } from '../../domain/conflict-error';
import type { AppEnv } from '../../http/app-env';
import { ProblemError } from '../../http/problem';
import { addMove, removeMove } from '../../moves/manage';
import type { FieldError } from '../../render/console/parts';
import { type MoveForm, renderMovesPage } from '../../render/console/moves';
import { field, postedForm, tokenFor } from './forms';

/** Moved and retired addresses in the console: the same functions as POST and DELETE /api/moves (src/moves/manage.ts). */
export const movePages = new Hono<AppEnv>();

const EMPTY: MoveForm = { from: '', to: '', gone: false };

async function page(c: Context<AppEnv>, form: MoveForm, errors: FieldError[], notice: string | null) {
  const [moves, token, signOutToken] = await Promise.all([listMoves(c.env.DB), tokenFor(c, 'move'), tokenFor(c, 'sign-out')]);
  return renderMovesPage(siteConfig(c.env), { moves, form, errors, notice, token, signOutToken });
}

movePages.get('/', async (c) => {
  const { added, removed } = c.req.query();
  const notice = added
    ? `${added} is moved: it answers as listed below from now on.`
    : removed
      ? `${removed} answers as before it moved.`
      : null;
  return c.html(await page(c, EMPTY, [], notice));
});

movePages.post('/', async (c) => {
  const posted = await postedForm(c, 'move');
  const form: MoveForm = { from: field(posted, 'from').trim(), to: field(posted, 'to').trim(), gone: field(posted, 'gone') === '1' };
  try {
    const move = await addMove(c.env, { from: form.from, ...(form.to ? { to: form.to } : {}), gone: form.gone });
    return c.redirect(`/admin/moves?added=${encodeURIComponent(move.from)}`, 303);
  } catch (error) {
    let errors: FieldError[];
    if (error instanceof ConflictError) errors = [{ field: error.field === 'to' ? 'to' : 'from', message: error.reason }];
    else if (error instanceof ProblemError)
      errors = (error.problem.errors ?? [{ field: 'from', message: error.problem.detail ?? error.problem.title }]).map((e) => ({
        field: e.field === 'to' ? 'to' : 'from',
        message: e.message,
      }));
    else throw error;
    return c.html(await page(c, form, errors, null), error instanceof ConflictError ? 409 : 400);
  }
});

movePages.post('/:id/remove', async (c) => {
  await postedForm(c, 'move');
  const id = Number(c.req.param('id'));
  if (!Number.isSafeInteger(id) || id < 1) throw new ProblemError(404, 'Not Found', 'No such move.');
  const move = await removeMove(c.env, id);
  return c.redirect(`/admin/moves?removed=${encodeURIComponent(move.from)}`, 303);
});
