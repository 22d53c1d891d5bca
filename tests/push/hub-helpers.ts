// What the hub's tests share (tests/push/hub-subscribe.suite.ts, tests/push/hub-deliver.test.ts):
// stored subscriptions, a tag feed per test, subscribing through the hub, and waiting for the queue.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { insertPost, SITE } from '../support/worker';
import { hubRequest, type ReceiverConfig, received, receiver, until } from './push-helpers';

export type Row = {
  id: number;
  topic: string;
  callback: string;
  secret: string | null;
  lease_seconds: number;
  verified_at: number;
  expires_at: number;
};
export const rowOf = (callback: string) =>
  env.DB.prepare('SELECT * FROM hub_subscriptions WHERE callback = ?1').bind(callback).first<Row & Record<string, unknown>>();

let tags = 0;
/** A tag feed of its own for one test (its first post makes it exist), and its topic URLs. */
export async function tagFeed(): Promise<{ slug: string; rss: string; atom: string; json: string; summary: string }> {
  const slug = `hub-topic-${++tags}`;
  await insertPost({
    id: `urn:uuid:00000000-0000-4000-8000-0000000d${String(tags).padStart(4, '0')}`,
    slug: `${slug}-first`,
    title: `First of ${slug}`,
    publishedAt: Date.UTC(2020, 0, 1) + tags * 60_000,
    tags: [[slug, slug]],
  });
  const base = `${SITE}/tags/${slug}/`;
  return { slug, rss: `${base}feed.xml`, atom: `${base}atom.xml`, json: `${base}feed.json`, summary: `${base}feed.xml?content=summary` };
}

/** Subscribes a new receiver to `topic` through the hub and waits until the subscription is stored. */
export async function subscribed(topic: string, config: ReceiverConfig = {}, params: Record<string, string> = {}, query = '') {
  const r = await receiver('sub', config, query);
  const res = await hubRequest({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': r.url, ...params });
  expect(res.status, await res.clone().text()).toBe(202);
  const row = await until(
    () => rowOf(r.url),
    (row) => row !== null,
  );
  return { ...r, row: row! };
}

export const deliveries = async (name: string) => (await received(name)).posts;

// Every test leaves no subscription behind: a hostile one would slow the deliveries of the next.

/** Gives the queue time to do what it would do (to see that nothing more happens). */
export const settle = (ms = 1500) => new Promise((resolve) => setTimeout(resolve, ms));
