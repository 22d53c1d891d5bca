// Runs in Node, in the stub upstream server (tests/setup/upstream.ts): push receivers on
// 127.0.0.1 for the own WebSub hub and the webhooks (tests/push/hub-*.test.ts, tests/push/webhooks.suite.ts).
// Each receiver has a name of the test's choosing and answers as its test configured it:
//
//   PUT /receiver-config/<name>  {"verify": how it answers the hub's GETs, "deliver": how it answers
//                                 POSTs, "hubSecret": its hub.secret, "webhookSecret": its whsec_ secret}
//   GET|POST /receiver/<name>    the callback itself (any query string)
//   GET /receiver-log/<name>     {"gets": [...], "posts": [...]}: every request, in order, as it arrived
//
// Signatures are checked here, with Node's crypto, not with the code under test: each POST is
// logged with `hubSignature` (X-Hub-Signature against hubSecret, WebSub §7.1) and `webhookSignature`
// (webhook-signature against webhookSecret, Standard Webhooks) as "valid", "invalid" or "absent".
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/**
 * ok: echo hub.challenge (GET) or 204 (POST); wrong: a 2xx with another body; 404, 410, 500: that
 * status; redirect: a 302/307 to a receiver that would have echoed or taken it; slow: the answer
 * after 30 s; huge: a 2xx whose body never ends (it starts with the challenge).
 */
type Behaviour = 'ok' | 'wrong' | '404' | '410' | '500' | 'redirect' | 'slow' | 'huge';
type Config = { verify: Behaviour; deliver: Behaviour; hubSecret?: string; webhookSecret?: string };
type Get = { query: Record<string, string>; url: string; at: number };
type Post = {
  url: string;
  at: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  hubSignature: 'valid' | 'invalid' | 'absent';
  webhookSignature: 'valid' | 'invalid' | 'absent';
};

const configs = new Map<string, Config>();
const logs = new Map<string, { gets: Get[]; posts: Post[] }>();

const SLOW_MS = 30_000;

const logOf = (name: string) => {
  const log = logs.get(name) ?? { gets: [], posts: [] };
  logs.set(name, log);
  return log;
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** X-Hub-Signature: `sha256=<hex HMAC-SHA256 of the body keyed by hub.secret>`. */
function checkHubSignature(header: string | undefined, secret: string | undefined, body: Buffer): Post['hubSignature'] {
  if (!header) return 'absent';
  if (!secret) return 'invalid';
  const [method, signature] = header.split('=', 2);
  if (method !== 'sha256' || !signature) return 'invalid';
  return same(signature, createHmac('sha256', secret).update(body).digest('hex')) ? 'valid' : 'invalid';
}

/** Standard Webhooks: some `v1,<sig>` of webhook-signature is base64 HMAC-SHA256 of "id.timestamp.body", keyed by the secret's bytes. */
function checkWebhookSignature(req: IncomingMessage, secret: string | undefined, body: Buffer): Post['webhookSignature'] {
  const header = req.headers['webhook-signature'];
  if (typeof header !== 'string') return 'absent';
  const id = req.headers['webhook-id'];
  const timestamp = req.headers['webhook-timestamp'];
  if (!secret?.startsWith('whsec_') || typeof id !== 'string' || typeof timestamp !== 'string') return 'invalid';
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return 'invalid';
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
  const found = header.split(' ').some((part) => {
    const [version, signature] = part.split(',', 2);
    return version === 'v1' && signature !== undefined && same(signature, expected);
  });
  return found ? 'valid' : 'invalid';
}

/** Answers with a body that never ends, until the client goes away. */
function endless(res: ServerResponse, start: string) {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.write(start);
  const chunk = 'x'.repeat(64 * 1024);
  const write = () => {
    while (!res.destroyed) if (!res.write(chunk)) return void res.once('drain', write);
  };
  write();
}

function answer(res: ServerResponse, behaviour: Behaviour, okBody: string, url: URL, name: string, method: string) {
  switch (behaviour) {
    case 'ok':
      return void (method === 'GET' ? res.writeHead(200, { 'content-type': 'text/plain' }).end(okBody) : res.writeHead(204).end());
    case 'wrong':
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`not ${okBody}`);
    case 'redirect': {
      const to = `/receiver/${name}-redirected${url.search}`;
      return void res.writeHead(method === 'GET' ? 302 : 307, { location: to }).end();
    }
    case 'slow': {
      const timer = setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end(okBody), SLOW_MS);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    case 'huge':
      return endless(res, okBody);
    default:
      return void res.writeHead(Number(behaviour), { 'content-type': 'text/plain' }).end('no');
  }
}

export const RECEIVER_ROUTES: [RegExp, Handler][] = [
  [
    /^\/receiver-config\/[\w.-]+$/,
    async (req, res, url) => {
      const name = url.pathname.split('/').pop()!;
      const given = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Partial<Config>;
      configs.set(name, { verify: 'ok', deliver: 'ok', ...given });
      res.writeHead(204).end();
    },
  ],
  [
    /^\/receiver-log\/[\w.-]+$/,
    (_req, res, url) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(logOf(url.pathname.split('/').pop()!)));
    },
  ],
  [
    /^\/receiver\/[\w.-]+$/,
    async (req, res, url) => {
      const name = url.pathname.split('/').pop()!;
      const config = configs.get(name) ?? { verify: 'ok', deliver: 'ok' };
      const log = logOf(name);
      if (req.method === 'POST') {
        const body = await readBody(req);
        const signature = req.headers['x-hub-signature'];
        log.posts.push({
          url: url.pathname + url.search,
          at: Date.now(),
          headers: req.headers,
          body: body.toString('utf8'),
          hubSignature: checkHubSignature(typeof signature === 'string' ? signature : undefined, config.hubSecret, body),
          webhookSignature: checkWebhookSignature(req, config.webhookSecret, body),
        });
        return answer(res, config.deliver, '', url, name, 'POST');
      }
      log.gets.push({ query: Object.fromEntries(url.searchParams), url: url.pathname + url.search, at: Date.now() });
      const mode = url.searchParams.get('hub.mode');
      // A denial needs no echo; every other GET is a verification of intent.
      if (mode === 'denied') return void res.writeHead(200).end();
      return answer(res, config.verify, url.searchParams.get('hub.challenge') ?? '', url, name, 'GET');
    },
  ],
];
