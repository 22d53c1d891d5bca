// The refresh queue's source messages: the cron sends the due sources it does not refresh itself.
// The consumer is in src/scheduled.ts.

import type { ArticleMessage } from './article-queue';

/** Refresh one source (messages without `kind`, sent before articles had messages of their own, are these). */
export type SourceMessage = { kind?: 'source'; sourceId: number };
/** A message of the refresh queue: a source to refresh, or article pages a refresh left to the queue. */
export type RefreshMessage = SourceMessage | ArticleMessage;

/** Sends one refresh message per source, 100 to a batch (the most a batch takes). Throws when the queue refuses them. */
export async function sendRefreshMessages(env: Pick<Env, 'REFRESH_QUEUE'>, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    await env.REFRESH_QUEUE.sendBatch(
      ids.slice(i, i + 100).map((sourceId) => ({ body: { kind: 'source', sourceId } satisfies RefreshMessage })),
    );
  }
}
