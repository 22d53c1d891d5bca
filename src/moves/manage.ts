import { siteConfig } from '../config';
import { createMove, deleteMove, listMoves, MAX_MOVES, type Move } from '../db/moves';
import { notFound, ProblemError } from '../http/problem';
import { resolveMove } from './rules';
import { forgetMoves } from './serve-moves';

// Adding and removing a move, whoever asks: the admin API (src/routes/api-moves.ts) and the
// console (src/routes/console/moves.ts). Both then forget the moves this isolate holds, so the
// next request here follows the change.

/** What a move is made from: the admin API's body, or the console's form. */
export type MoveRequest = { from: string; to?: string; gone?: boolean };

/** Checks and stores a move (400 naming the field, 409 when the path is moved already or there are too many). */
export async function addMove(env: Env, request: MoveRequest): Promise<Move> {
  const stored = await listMoves(env.DB);
  if (stored.length >= MAX_MOVES) throw new ProblemError(409, 'Conflict', `There are ${MAX_MOVES} moves already: delete some first.`);
  const move = await createMove(env.DB, resolveMove(siteConfig(env), request, stored), Date.now());
  forgetMoves(env.DB);
  return move;
}

/** Removes a move: its path is served as before it moved. 404 problem when there is no such move. */
export async function removeMove(env: Env, id: number): Promise<Move> {
  const move = await deleteMove(env.DB, id, Date.now());
  if (!move) throw notFound(`No move has the id ${id}.`);
  forgetMoves(env.DB);
  return move;
}
