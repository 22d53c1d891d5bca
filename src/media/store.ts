import { ACCEPTED_TYPES, canonicalType, type MediaKind, sniffMedia } from './sniff';

// Uploaded images and audio, kept in R2 (the MEDIA binding; a local bucket under `npm run dev` and
// in the tests) and served by src/routes/media.ts at /media/<sha-256>.<ext>. The name is the
// content's hash, so a file's address never shows other bytes (cached forever, immutable) and the
// same file uploaded twice is one object. The console's editor and POST /api/media both store
// through storeMedia.

export type StoredMedia = {
  /** The object's key, and the last part of its address: `<sha-256 hex>.<ext>`. */
  key: string;
  /** Absolute: SITE_URL/media/<key>. */
  url: string;
  type: string;
  kind: MediaKind;
  length: number;
  /** The name it was uploaded with ('' when none). */
  name: string;
  uploadedAt: number;
};

/** A file refused: why, in words for the person who sent it. `status` is the HTTP status the API answers with. */
export class MediaRefused extends Error {
  constructor(
    message: string,
    readonly status: 413 | 415,
  ) {
    super(message);
  }
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
const megabytes = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** The address of a stored file. */
export const mediaUrl = (siteUrl: string, key: string): string => `${siteUrl}/media/${key}`;

/**
 * Checks and stores one file. Its kind comes from its bytes (sniffMedia); a declared type that
 * names another kind is a lie and the file is refused, as is SVG whatever its bytes, anything the
 * site does not accept, and a file over its kind's limit.
 */
export async function storeMedia(
  bucket: R2Bucket,
  siteUrl: string,
  file: { bytes: Uint8Array; declaredType: string; name: string },
  now: number,
): Promise<StoredMedia> {
  const declared = canonicalType(file.declaredType);
  if (declared === 'image/svg+xml') throw new MediaRefused('SVG files are refused: an SVG is a document that can run scripts.', 415);
  if (file.bytes.length === 0) throw new MediaRefused('The file is empty.', 415);
  const sniffed = sniffMedia(file.bytes);
  if (!sniffed) {
    throw new MediaRefused(`This file is not an image or audio file the site accepts (${ACCEPTED_TYPES.join(', ')}).`, 415);
  }
  // A part sent without a type (or as the generic application/octet-stream) says nothing to check.
  if (declared !== '' && declared !== 'application/octet-stream' && declared !== sniffed.type) {
    throw new MediaRefused(`The file says it is ${declared}, but its content is ${sniffed.type}: refused.`, 415);
  }
  if (file.bytes.length > sniffed.maxBytes) {
    throw new MediaRefused(
      `The file has ${megabytes(file.bytes.length)}; ${sniffed.kind} files may have up to ${megabytes(sniffed.maxBytes)}.`,
      413,
    );
  }
  const key = `${hex(await crypto.subtle.digest('SHA-256', file.bytes))}.${sniffed.ext}`;
  const name = file.name.slice(0, 200);
  const existing = await bucket.head(key);
  if (!existing) {
    await bucket.put(key, file.bytes, {
      httpMetadata: { contentType: sniffed.type },
      customMetadata: { name, uploadedAt: String(now) },
    });
  }
  return {
    key,
    url: mediaUrl(siteUrl, key),
    type: sniffed.type,
    kind: sniffed.kind,
    length: file.bytes.length,
    name: existing?.customMetadata?.name ?? name,
    uploadedAt: Number(existing?.customMetadata?.uploadedAt ?? now),
  };
}

/** A stored file by its key, or null. */
export async function mediaFacts(bucket: R2Bucket, siteUrl: string, key: string): Promise<StoredMedia | null> {
  const object = await bucket.head(key);
  return object ? toStored(siteUrl, object) : null;
}

/** The files stored, newest first (at most `max`). */
export async function listMedia(bucket: R2Bucket, siteUrl: string, max = 500): Promise<StoredMedia[]> {
  const out: StoredMedia[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ cursor, limit: 500, include: ['httpMetadata', 'customMetadata'] });
    out.push(...page.objects.map((o) => toStored(siteUrl, o)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor && out.length < max);
  return out.sort((a, b) => b.uploadedAt - a.uploadedAt || a.key.localeCompare(b.key)).slice(0, max);
}

function toStored(siteUrl: string, object: R2Object): StoredMedia {
  const type = object.httpMetadata?.contentType ?? 'application/octet-stream';
  return {
    key: object.key,
    url: mediaUrl(siteUrl, object.key),
    type,
    kind: type.startsWith('audio/') ? 'audio' : 'image',
    length: object.size,
    name: object.customMetadata?.name ?? '',
    uploadedAt: Number(object.customMetadata?.uploadedAt ?? object.uploaded.getTime()),
  };
}
