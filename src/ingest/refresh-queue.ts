// The refresh queue's source messages: the cron sends the due sources it does not refresh itself,
// and a source just added is sent at once (refreshSoon), so that it is read within seconds, not at
// the next cron run. The consumer is in src/scheduled.ts.

import type { ArticleMessage } from './article-queue';
import { CLAIM_PER_RUN } from './schedule';

/** Refresh one source (messages without `kind`, sent before articles had messages of their own, are these). */
export type SourceMessage = { kind?: 'source'; sourceId: number };
/** Read an older page of a page source's list (backfill, refresh.ts): `page` is its number, the source's URL being 1. */
export type BackfillMessage = { kind: 'backfill'; sourceId: number; url: string; page: number };
/** A message of the refresh queue: a source to refresh, article pages a refresh left to the queue, or a list page to backfill. */
export type RefreshMessage = SourceMessage | ArticleMessage | BackfillMessage;

/** Sends one refresh message per source, 100 to a batch (the most a batch takes). Throws when the queue refuses them. */
export async function sendRefreshMessages(env: Pick<Env, 'REFRESH_QUEUE'>, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    await env.REFRESH_QUEUE.sendBatch(
      ids.slice(i, i + 100).map((sourceId) => ({ body: { kind: 'source', sourceId } satisfies RefreshMessage })),
    );
  }
}

/**
 * Asks the queue to refresh sources just added, at once, up to one cron run's claim
 * (CLAIM_PER_RUN); the rest, and any the queue refuses, stay due for the cron, which takes them
 * in turn. Never throws: the sources are stored either way.
 */
export async function refreshSoon(env: Pick<Env, 'REFRESH_QUEUE'>, sources: { id: number }[]): Promise<void> {
  try {
    await sendRefreshMessages(
      env,
      sources.slice(0, CLAIM_PER_RUN).map((s) => s.id),
    );
  } catch (error) {
    console.error('new sources could not be queued for refresh; the cron refreshes them', sources.length, error);
  }
}
