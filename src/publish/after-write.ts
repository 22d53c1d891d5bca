import { emitPostEvent } from '../push/webhooks';
import type { PostChange } from '../push/webhook-payloads';
import { warmFeeds } from '../serve/serve-view';
import { announce } from './announce';

/**
 * What a write sets off once its response is on its way: the main feeds are rendered into the
 * cache (so the first reader after a publish doesn't pay for the render), the WebSub hub is told
 * which feeds changed, and the webhooks that take the post's event get it. None can fail the write.
 *
 * The hub is told once every reader can see the change (announce() waits out the freshness window).
 */
export function afterWrite(
  env: Env,
  ctx: Pick<ExecutionContext, 'waitUntil'>,
  changedViews: string[],
  change: PostChange | null = null,
): void {
  ctx.waitUntil(
    Promise.allSettled([
      warmFeeds(env, { kind: 'site' }, Date.now(), ctx),
      announce(env, changedViews),
      ...(change ? [emitPostEvent(env, change)] : []),
    ]),
  );
}
