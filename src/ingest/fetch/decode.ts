// Bytes to text the way browsers and the XML spec agree on: a BOM wins; then the charset of the
// Content-Type; then the XML declaration's encoding; then UTF-8. Labels are WHATWG labels, which
// the runtime's TextDecoder implements (so `iso-8859-1` decodes as windows-1252); a label it does
// not know falls through to the next rule. Invalid sequences become U+FFFD, never an exception.

function decoderFor(label: string | null | undefined): TextDecoder | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim().replace(/^["']|["']$/g, ''));
  } catch {
    return null;
  }
}

/** The charset parameter of a Content-Type header, if any. */
function contentTypeCharset(contentType: string | null): string | null {
  const match = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '');
  return match ? match[2]! : null;
}

/** The encoding named by an XML declaration at the start of the bytes (read as ASCII). */
function declaredEncoding(bytes: Uint8Array): string | null {
  const head = String.fromCharCode(...bytes.subarray(0, Math.min(bytes.length, 512)));
  const match = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match ? match[1]! : null;
}

export type Decoded = { text: string; encoding: string };

/** The decoder of a document: a BOM, else the Content-Type's charset, else what the document declares, else UTF-8. */
function chooseDecoder(bytes: Uint8Array, contentType: string | null, declared: (bytes: Uint8Array) => string | null): TextDecoder {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be');
  return decoderFor(contentTypeCharset(contentType)) ?? decoderFor(declared(bytes)) ?? new TextDecoder('utf-8');
}

/** Bytes to text with the decoder chooseDecoder picks; it strips a BOM of its own encoding. */
function decodeBytes(bytes: Uint8Array, contentType: string | null, declared: (bytes: Uint8Array) => string | null): Decoded {
  const decoder = chooseDecoder(bytes, contentType, declared);
  return { text: decoder.decode(bytes), encoding: decoder.encoding };
}

/**
 * The decoder of a feed read in chunks, chosen from its first bytes as decodeFeedBytes chooses:
 * call it with `{ stream: true }` for every chunk (a character split between chunks is kept for
 * the next), then once without.
 */
export const feedDecoder = (head: Uint8Array, contentType: string | null): TextDecoder =>
  chooseDecoder(head, contentType, declaredEncoding);

/** A feed's bytes to text; what it declares is its XML declaration's encoding. */
export const decodeFeedBytes = (bytes: Uint8Array, contentType: string | null): Decoded =>
  decodeBytes(bytes, contentType, declaredEncoding);

/** The encoding a `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">` names in the first 1024 bytes. */
function metaCharset(bytes: Uint8Array): string | null {
  const head = String.fromCharCode(...bytes.subarray(0, Math.min(bytes.length, 1024)));
  const match = /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head) ?? null;
  return match ? match[1]! : null;
}

/**
 * An HTML page's bytes to text, in the order of the HTML standard's sniffing: a BOM; the
 * Content-Type's charset; a `<meta charset>` (or http-equiv) in the first 1024 bytes; UTF-8.
 */
export const decodeHtmlBytes = (bytes: Uint8Array, contentType: string | null): Decoded => decodeBytes(bytes, contentType, metaCharset);
