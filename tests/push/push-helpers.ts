// Shared by tests/push/hub-*.test.ts and tests/push/webhooks.suite.ts: the push receivers that the stub
// server runs on 127.0.0.1 (tests/setup/subscriber.ts), and the push queue driven by hand.
import { createExecutionContext, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { inject } from 'vitest';
import worker from '../../src';
import type { PushMessage } from '../../src/push/messages';
import { SITE } from '../support/worker';

export const AUTH = { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' };

type Behaviour = 'ok' | 'wrong' | '404' | '410' | '500' | 'redirect' | 'slow' | 'huge';
export type ReceiverConfig = { verify?: Behaviour; deliver?: Behaviour; hubSecret?: string; webhookSecret?: string };
export type ReceivedGet = { query: Record<string, string>; url: string; at: number };
export type ReceivedPost = {
  url: string;
  at: number;
  headers: Record<string, string>;
  body: string;
  hubSignature: 'valid' | 'invalid' | 'absent';
  webhookSignature: 'valid' | 'invalid' | 'absent';
};

let receivers = 0;
/** Test files run side by side against one stub server: a receiver's name is unique across them. */
const run = crypto.randomUUID().slice(0, 8);

/** A new receiver, configured; its callback URL (with `query` appended, when given). */
export async function receiver(prefix: string, config: ReceiverConfig = {}, query = ''): Promise<{ name: string; url: string }> {
  const name = `${prefix}-${run}-${++receivers}`;
  await configure(name, config);
  return { name, url: `${inject('upstreamUrl')}/receiver/${name}${query}` };
}

export async function configure(name: string, config: ReceiverConfig): Promise<void> {
  await fetch(`${inject('upstreamUrl')}/receiver-config/${name}`, { method: 'PUT', body: JSON.stringify(config) });
}

/** What a receiver got so far. */
export async function received(name: string): Promise<{ gets: ReceivedGet[]; posts: ReceivedPost[] }> {
  return (await fetch(`${inject('upstreamUrl')}/receiver-log/${name}`)).json();
}

/** Polls `read` until `done` holds (then returns the value), or fails after `ms`. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A subscription request to the hub, as a subscriber sends it. */
export function hubRequest(params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`${SITE}/hub`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
}

/** Publishes a post through the admin API; resolves with its JSON. */
export async function publish(post: Record<string, unknown>): Promise<{ id: string; url: string; title: string }> {
  const res = await SELF.fetch(`${SITE}/api/posts`, {
    method: 'POST',
    headers: AUTH,
    body: JSON.stringify({ authors: [{ name: 'Ada' }], ...post }),
  });
  if (res.status !== 201) throw new Error(`publish: ${res.status} ${await res.text()}`);
  return res.json();
}

/** An env whose push queue only records what is sent to it (nothing is delivered by itself). */
export function recordingQueue(): { env: Env; sent: PushMessage[] } {
  const sent: PushMessage[] = [];
  const queue = {
    send: async (body: PushMessage) => void sent.push(body),
    sendBatch: async (batch: { body: PushMessage }[]) => void sent.push(...batch.map((m) => m.body)),
  };
  return { env: { ...env, PUSH_QUEUE: queue } as unknown as Env, sent };
}

/** Runs push messages through the worker's queue handler, as one batch; what each message came to. */
export async function consume(
  bodies: PushMessage[],
  options: { env?: Env; attempts?: number } = {},
): Promise<{ acked: boolean; retryIn: number | null }[]> {
  const outcomes = bodies.map(() => ({ acked: false, retryIn: null as number | null }));
  const messages = bodies.map((body, i) => ({
    id: String(i),
    timestamp: new Date(),
    body,
    attempts: options.attempts ?? 1,
    ack: () => {
      outcomes[i]!.acked = true;
    },
    retry: (o?: { delaySeconds?: number }) => {
      outcomes[i]!.retryIn = o?.delaySeconds ?? 0;
    },
  }));
  const batch = { queue: 'syndicate-push', messages, ackAll() {}, retryAll() {} } as unknown as MessageBatch<PushMessage>;
  const ctx = createExecutionContext();
  await worker.queue(batch, options.env ?? env, ctx);
  await waitOnExecutionContext(ctx);
  return outcomes;
}
