// What an uploaded file is, read from its first bytes (its "magic number"), never from the name or
// the Content-Type it came with: each kind the site accepts, with the signature that identifies it
// (the WHATWG MIME Sniffing standard's patterns for images and audio), the MIME type it is served
// as, and its file extension. SVG is not among them: an SVG is a document that can run script, and
// a file that names itself image/svg+xml is refused by name (src/media/store.ts).

export type MediaKind = 'image' | 'audio';

export type SniffedType = { type: string; ext: string; kind: MediaKind; maxBytes: number };

/** The largest image accepted: 10 MB. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** The largest audio file accepted: 50 MB (an hour of speech at 112 kbit/s). */
export const MAX_AUDIO_BYTES = 50 * 1024 * 1024;

const image = (type: string, ext: string): SniffedType => ({ type, ext, kind: 'image', maxBytes: MAX_IMAGE_BYTES });
const audio = (type: string, ext: string): SniffedType => ({ type, ext, kind: 'audio', maxBytes: MAX_AUDIO_BYTES });

const ascii = (bytes: Uint8Array, at: number, text: string) => [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));
const starts = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b);

/** An ISO base media file (MP4 family) with one of these brands: `ftyp` at offset 4, the major brand at 8. */
const brand = (bytes: Uint8Array, brands: string[]) => ascii(bytes, 4, 'ftyp') && brands.some((b) => ascii(bytes, 8, b));

/** An MP3 frame header (MPEG-1/2/2.5 layer III) at the start, for files without an ID3 tag. */
const mp3Frame = (bytes: Uint8Array) => bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe6) === 0xe2 && ((bytes[2] ?? 0) & 0xf0) !== 0xf0;

/** The accepted kinds, each with how it is recognized. */
const KINDS: [test: (bytes: Uint8Array) => boolean, sniffed: SniffedType][] = [
  [(b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), image('image/png', 'png')],
  [(b) => starts(b, [0xff, 0xd8, 0xff]), image('image/jpeg', 'jpg')],
  [(b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a'), image('image/gif', 'gif')],
  [(b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBPVP'), image('image/webp', 'webp')],
  [(b) => brand(b, ['avif', 'avis']), image('image/avif', 'avif')],
  [(b) => ascii(b, 0, 'ID3') || mp3Frame(b), audio('audio/mpeg', 'mp3')],
  [(b) => brand(b, ['M4A ', 'M4B ']), audio('audio/mp4', 'm4a')],
  [(b) => ascii(b, 0, 'OggS'), audio('audio/ogg', 'ogg')],
  [(b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE'), audio('audio/wav', 'wav')],
  [(b) => ascii(b, 0, 'fLaC'), audio('audio/flac', 'flac')],
];

/** The accepted kinds' MIME types, for an upload field's `accept` and for messages. */
export const ACCEPTED_TYPES = KINDS.map(([, s]) => s.type);

/** What the bytes are, or null when they are none of the accepted kinds. */
export function sniffMedia(bytes: Uint8Array): SniffedType | null {
  return KINDS.find(([test]) => test(bytes))?.[1] ?? null;
}

/** Other names browsers and tools give the accepted types (a file from them is not lying). */
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'audio/mp3': 'audio/mpeg',
  'audio/mpeg3': 'audio/mpeg',
  'audio/x-mpeg': 'audio/mpeg',
  'audio/x-m4a': 'audio/mp4',
  'audio/m4a': 'audio/mp4',
  'audio/aac': 'audio/mp4',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/x-flac': 'audio/flac',
  'application/ogg': 'audio/ogg',
  'audio/vorbis': 'audio/ogg',
  'audio/opus': 'audio/ogg',
};

/** A declared MIME type (a Content-Type header or a form part's type) in the form sniffMedia answers. */
export function canonicalType(declared: string): string {
  const type = declared.split(';')[0]!.trim().toLowerCase();
  return ALIASES[type] ?? type;
}
