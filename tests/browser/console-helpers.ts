// What the console's browser tests share: sending a form the way a person does, and a real image
// to upload (made here rather than kept as a binary fixture).
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';

/** A 16 × 16 green PNG, made here (8-bit RGB, one filter byte a row). */
export function greenSquare(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(16, 0);
  header.writeUInt32BE(16, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(16 * 3, Buffer.from([0x2e, 0x7d, 0x32]))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: 16 }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Does what sends a form (a click, a key) and waits for the page that answers it: the response to
 * the POST, or to the page it redirected to. Answers that page's status.
 */
export async function submit(on: Page, act: () => Promise<unknown>): Promise<number> {
  const answered = on.waitForResponse((r) => {
    const request = r.request();
    if (!request.isNavigationRequest() || (r.status() >= 300 && r.status() < 400)) return false;
    return request.method() === 'POST' || request.redirectedFrom()?.method() === 'POST';
  });
  const [response] = await Promise.all([answered, act()]);
  await on.waitForLoadState('domcontentloaded');
  return response.status();
}
