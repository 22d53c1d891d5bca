// The two signatures push requests carry: WebSub's X-Hub-Signature (§7.1, hex HMAC of the body
// keyed by hub.secret) and Standard Webhooks' webhook-signature (base64 HMAC-SHA256 of
// "id.timestamp.body" keyed by the bytes of a whsec_ secret). Both with WebCrypto.

const encoder = new TextEncoder();

async function hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, data));
}

const toBytes = (data: ArrayBuffer | string): Uint8Array => (typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data));

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** X-Hub-Signature's value for a content distribution: `sha256=<hex HMAC-SHA256 of the body, keyed by hub.secret>`. */
export async function hubSignature(secret: string, body: ArrayBuffer | string): Promise<string> {
  return `sha256=${hex(await hmacSha256(encoder.encode(secret), toBytes(body)))}`;
}

/** The prefix Standard Webhooks gives symmetric secrets; the rest is the key, base64. */
const SECRET_PREFIX = 'whsec_';

/** A new webhook secret: 32 random bytes, as `whsec_<base64>`. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + base64(crypto.getRandomValues(new Uint8Array(32)));
}

/** webhook-signature's value: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed by the secret's bytes. */
export async function webhookSignature(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const key = Uint8Array.from(atob(secret.slice(SECRET_PREFIX.length)), (c) => c.charCodeAt(0));
  return `v1,${base64(await hmacSha256(key, encoder.encode(`${id}.${timestamp}.${body}`)))}`;
}

/** A random string no one can guess: hub.challenge, and the webhook-id of an event. */
export function randomToken(bytes = 32): string {
  return base64(crypto.getRandomValues(new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
