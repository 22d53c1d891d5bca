import type { SiteConfig } from '../config';
import type { WebhookFormat } from '../db/webhooks';
import type { Entry } from '../domain/entry';
import { buildFeedDocument } from '../render/build-document';
import { renderFeed } from '../render/render';
import type { View } from '../views/registry';
import { DEFAULT_VARIANT, feedUrls, SUMMARY_VARIANT } from '../views/urls';
import { MAX_WEBHOOK_PAYLOAD_BYTES } from './limits';

/** The events a webhook may take (Standard Webhooks: hierarchical, full-stop delimited). */
export const WEBHOOK_EVENTS = ['post.published', 'post.updated', 'post.deleted', 'source.item_added'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The payload formats: a Standard Webhooks envelope `{type, timestamp, data}`, or a JSON Feed 1.1 document. */
export const WEBHOOK_FORMATS = ['json', 'jsonfeed'] as const satisfies readonly WebhookFormat[];

/** The Content-Type each format is sent with. */
export const PAYLOAD_TYPES: Record<WebhookFormat, string> = {
  json: 'application/json',
  jsonfeed: 'application/feed+json',
};

/** A write to an own post that readers see (src/routes/api-posts.ts, or a scheduled post going live). */
export type PostChange = {
  type: 'post.published' | 'post.updated' | 'post.deleted';
  post: Entry;
  /** The post as the admin API presents it (src/publish/present-post.ts). */
  json: Record<string, unknown>;
};

/** Items a refresh added to a source (src/ingest/refresh.ts). */
export type ItemsAdded = { source: { id: number; name: string | null; url: string }; items: Entry[] };

/** How much a payload may carry: everything, or summaries only and the first `items` items. */
type Fit = { summaryOnly: boolean; items: number };

/**
 * The first of these that fits in MAX_WEBHOOK_PAYLOAD_BYTES: everything; summaries only; summaries
 * of half the items, and so on down to one. Even that is sent when it does not fit.
 */
function fitted(build: (fit: Fit) => Promise<string>, items: number): Promise<string> {
  const fits = (payload: string) => new TextEncoder().encode(payload).byteLength <= MAX_WEBHOOK_PAYLOAD_BYTES;
  const attempt = async (fit: Fit): Promise<string> => {
    const payload = await build(fit);
    if (fits(payload) || (fit.summaryOnly && fit.items <= 1)) return payload;
    return attempt({ summaryOnly: true, items: fit.summaryOnly ? Math.ceil(fit.items / 2) : fit.items });
  };
  return attempt({ summaryOnly: false, items });
}

/** The JSON Feed of `view` with `entries`, and `_syndicate` (a JSON Feed extension) naming the event. */
async function jsonFeed(
  config: SiteConfig,
  view: View,
  name: string | null,
  entries: Entry[],
  fit: Fit,
  extension: Record<string, unknown>,
): Promise<string> {
  const updated = entries.reduce((max, e) => Math.max(max, e.updatedAt.getTime()), 0);
  const doc = await buildFeedDocument(
    config,
    view,
    name,
    entries.slice(0, fit.items),
    updated,
    fit.summaryOnly ? SUMMARY_VARIANT : DEFAULT_VARIANT,
  );
  return JSON.stringify({ ...JSON.parse(renderFeed(doc, 'json')), _syndicate: extension });
}

const envelope = (type: WebhookEvent, timestamp: Date, data: unknown) => JSON.stringify({ type, timestamp: timestamp.toISOString(), data });

/**
 * A post event's payload. json: the envelope, `data` the post as the admin API presents it.
 * jsonfeed: the site's JSON Feed with the post as its one item (none for post.deleted, whose
 * `_syndicate.deleted` names the post).
 */
export function postPayload(config: SiteConfig, change: PostChange, format: WebhookFormat, at: Date): Promise<string> {
  const deleted = change.type === 'post.deleted';
  return fitted(async ({ summaryOnly }) => {
    if (format === 'json') return envelope(change.type, at, summaryOnly ? { ...change.json, content_html: undefined } : change.json);
    const extension = {
      event: change.type,
      timestamp: at.toISOString(),
      ...(deleted ? { deleted: { id: change.json.id, url: change.json.url } } : {}),
    };
    return jsonFeed(config, { kind: 'site' }, null, deleted ? [] : [change.post], { summaryOnly, items: 1 }, extension);
  }, 1);
}

/**
 * A source.item_added payload. json: the envelope, `data` the source and its new items (their
 * summaries, not their content). jsonfeed: the source's JSON Feed with the new items.
 */
export function itemsAddedPayload(config: SiteConfig, added: ItemsAdded, format: WebhookFormat, at: Date): Promise<string> {
  const view: View = { kind: 'source', id: added.source.id };
  return fitted(async (fit) => {
    const items = added.items.slice(0, fit.items);
    if (format === 'jsonfeed')
      return jsonFeed(config, view, added.source.name, items, fit, { event: 'source.item_added', timestamp: at.toISOString() });
    return envelope('source.item_added', at, {
      source: { id: added.source.id, title: added.source.name, url: added.source.url, feed_url: feedUrls(config, view).json },
      items: items.map((e) => ({
        id: e.id,
        url: e.url,
        title: e.title,
        summary: e.summary,
        published_at: e.publishedAt.toISOString(),
        updated_at: e.updatedAt.toISOString(),
        authors: e.authors.map(({ name, url }) => ({ name, url })),
        tags: e.tags.map((t) => t.name),
      })),
      ...(items.length < added.items.length ? { more: added.items.length - items.length } : {}),
    });
  }, added.items.length);
}
