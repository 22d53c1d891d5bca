import { Hono } from 'hono';
import { z } from 'zod';
import { siteConfig } from '../config';
import { createMove, deleteMove, listMoves, MAX_MOVES, type Move } from '../db/moves';
import type { AppEnv } from '../http/app-env';
import { adminAuth } from '../http/auth';
import { notFound, ProblemError } from '../http/problem';
import { resolveMove } from '../moves/rules';
import { forgetMoves } from '../moves/serve-moves';
import { limitBody, requireJson } from './admin-middleware';
import { validate, wholeNumber } from './query';

/** The admin API for moved and retired paths (src/moves/). Every route needs the bearer token. */
export const moveApi = new Hono<AppEnv>();

moveApi.use('*', adminAuth());
moveApi.post('*', limitBody(16 * 1024));

const moveBody = z
  .strictObject({
    from: z.string().trim().min(1, 'must not be empty').max(2048),
    to: z.string().trim().min(1, 'must not be empty').max(2048).optional(),
    gone: z.boolean().optional(),
  })
  .refine((b) => b.gone === true || b.to !== undefined, { path: ['to'], message: 'is required unless "gone" is true' });

function present(env: Env, move: Move) {
  const config = siteConfig(env);
  return {
    id: move.id,
    from: config.url + move.from,
    to: move.to,
    gone: move.gone,
    status: move.gone ? 410 : 301,
    created_at: new Date(move.createdAt).toISOString(),
  };
}

moveApi.get('/', async (c) => c.json({ moves: (await listMoves(c.env.DB)).map((m) => present(c.env, m)) }));

moveApi.post('/', requireJson, validate('json', moveBody), async (c) => {
  const stored = await listMoves(c.env.DB);
  if (stored.length >= MAX_MOVES) throw new ProblemError(409, 'Conflict', `There are ${MAX_MOVES} moves already: delete some first.`);
  const move = await createMove(c.env.DB, resolveMove(siteConfig(c.env), c.req.valid('json'), stored), Date.now());
  forgetMoves(c.env.DB);
  return c.json(present(c.env, move), 201, { location: `/api/moves/${move.id}` });
});

moveApi.delete('/:id', validate('param', z.object({ id: wholeNumber(1) })), async (c) => {
  const move = await deleteMove(c.env.DB, c.req.valid('param').id, Date.now());
  if (!move) throw notFound(`No move has the id ${c.req.valid('param').id}.`);
  forgetMoves(c.env.DB);
  return c.body(null, 204);
});
