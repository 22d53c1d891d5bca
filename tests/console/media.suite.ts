// Uploaded images and audio (src/media/): what a file is comes from its bytes, a file that says it
// is something else is refused, SVG never gets in, and what is stored is served at an address
// made from its content: cached for good, as what it is, never as a document that runs anything.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES, sniffMedia } from '../../src/media/sniff';
import { get, SITE } from '../support/worker';

const ADMIN = { authorization: 'Bearer test-admin-token' };
const upload = (bytes: Uint8Array, type: string, query = '') =>
  get(`/api/media${query}`, { method: 'POST', headers: { ...ADMIN, 'content-type': type }, body: bytes });

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='), (c) =>
  c.charCodeAt(0),
);
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0]);
const MP3 = bytes('ID3', [4, 0, 0, 0, 0, 0, 0]);
const SVG = bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const HTML = bytes('<!doctype html><script>alert(1)</script>');

describe('recognizing files by their bytes', () => {
  it.each([
    ['PNG', PNG, 'image/png', 'png'],
    ['JPEG', JPEG, 'image/jpeg', 'jpg'],
    ['GIF', bytes('GIF89a', [1, 0, 1, 0]), 'image/gif', 'gif'],
    ['WebP', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'image/webp', 'webp'],
    ['AVIF', bytes([0, 0, 0, 28], 'ftypavif'), 'image/avif', 'avif'],
    ['MP3 with ID3', MP3, 'audio/mpeg', 'mp3'],
    ['MP3 frame', bytes([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg', 'mp3'],
    ['M4A', bytes([0, 0, 0, 32], 'ftypM4A '), 'audio/mp4', 'm4a'],
    ['Ogg', bytes('OggS', [0]), 'audio/ogg', 'ogg'],
    ['WAV', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '), 'audio/wav', 'wav'],
    ['FLAC', bytes('fLaC', [0]), 'audio/flac', 'flac'],
  ])('%s', (_name, data, type, ext) => {
    expect(sniffMedia(data)).toMatchObject({ type, ext });
  });

  it.each([
    ['SVG', SVG],
    ['HTML', HTML],
    ['an MP4 video', bytes([0, 0, 0, 32], 'ftypisom')],
    ['text', bytes('hello')],
    ['nothing', new Uint8Array()],
  ])('not %s', (_name, data) => {
    expect(sniffMedia(data)).toBeNull();
  });
});

describe('POST /api/media and GET /media/<file>', () => {
  it('stores a file under the hash of its content, once, and serves it immutable, as what it is, sandboxed', async () => {
    const res = await upload(PNG, 'image/png', '?name=pixel.png');
    expect(res.status).toBe(201);
    const body = (await res.json()) as { url: string; type: string; length: number; name: string };
    expect(body).toMatchObject({ type: 'image/png', length: PNG.length, name: 'pixel.png' });
    expect(body.url).toMatch(new RegExp(`^${SITE}/media/[0-9a-f]{64}\\.png$`));
    expect(res.headers.get('location')).toBe(body.url);
    // The same bytes again are the same file.
    expect(((await (await upload(PNG, 'image/png')).json()) as { url: string }).url).toBe(body.url);

    const served = await get(body.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-length')).toBe(String(PNG.length));
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    expect((await get(body.url, { headers: { 'if-none-match': served.headers.get('etag')! } })).status).toBe(304);
    const part = await get(body.url, { headers: { range: 'bytes=0-7' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-7/${PNG.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(PNG.slice(0, 8));
  });

  it('takes other names of a type, and a part sent as application/octet-stream', async () => {
    expect((await upload(JPEG, 'image/jpg')).status).toBe(201);
    expect((await upload(MP3, 'audio/mp3')).status).toBe(201);
    expect((await upload(JPEG, 'application/octet-stream')).status).toBe(201);
  });

  it.each([
    ['JPEG bytes sent as image/png', JPEG, 'image/png', 415, 'says it is image/png, but its content is image/jpeg'],
    ['HTML sent as an image', HTML, 'image/png', 415, 'not an image or audio file the site accepts'],
    ['an SVG', SVG, 'image/svg+xml', 415, 'SVG files are refused'],
    ['an SVG sent as a PNG', SVG, 'image/png', 415, 'not an image or audio file the site accepts'],
    ['a PNG sent as audio', PNG, 'audio/mpeg', 415, 'says it is audio/mpeg, but its content is image/png'],
    ['an empty body', new Uint8Array(), 'image/png', 415, 'The file is empty.'],
  ])('refuses %s, storing nothing', async (_name, data, type, status, message) => {
    const before = (await env.MEDIA.list()).objects.length;
    const res = await upload(data, type);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(((await res.json()) as { detail: string }).detail).toContain(message);
    expect((await env.MEDIA.list()).objects.length).toBe(before);
  });

  it('refuses an image over the limit (413)', async () => {
    const big = new Uint8Array(MAX_IMAGE_BYTES + 1);
    big.set(PNG);
    const res = await upload(big, 'image/png');
    expect(res.status).toBe(413);
    expect(((await res.json()) as { detail: string }).detail).toContain('image files may have up to 10 MB');
  });

  it('needs the token', async () => {
    expect((await get('/api/media', { method: 'POST', headers: { 'content-type': 'image/png' }, body: PNG })).status).toBe(401);
  });

  it('answers 404 for any other address under /media', async () => {
    for (const path of ['/media/', '/media/x.png', `/media/${'0'.repeat(64)}.png`, `/media/${'0'.repeat(64)}.svg`]) {
      expect((await get(path)).status, path).toBe(404);
    }
  });
});
