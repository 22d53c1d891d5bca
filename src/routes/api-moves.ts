import { Hono } from 'hono';
import { z } from 'zod';
import { siteConfig } from '../config';
import { listMoves, type Move } from '../db/moves';
import type { AppEnv } from '../http/app-env';
import { adminAuth } from '../http/auth';
import { addMove, removeMove } from '../moves/manage';
import { limitBody, requireJson } from './admin-middleware';
import { validate, wholeNumber } from './query';

/** The admin API for moved and retired paths (src/moves/). Every route needs the bearer token (or an API token with the moves scopes). */
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
  const move = await addMove(c.env, c.req.valid('json'));
  return c.json(present(c.env, move), 201, { location: `/api/moves/${move.id}` });
});

moveApi.delete('/:id', validate('param', z.object({ id: wholeNumber(1) })), async (c) => {
  await removeMove(c.env, c.req.valid('param').id);
  return c.body(null, 204);
});
