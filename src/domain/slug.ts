// URL slugs of titles, tags and authors, in every script.
//
// Decision: Unicode slugs (IRIs), not transliteration. A tag 日本語 gets the slug 日本語 and lives
// at /tags/日本語/, which goes over the wire percent-encoded (/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E/)
// and which browsers show as written. Transliteration cannot serve every script (Japanese, Chinese,
// Thai have no one romanization; it needs tables per language, and it collapses distinct names:
// two Chinese names can romanize alike), while Unicode letters keep every name apart.
//
// Text in the Latin script gets exactly the slug it always had (stored slugs and feed URLs of
// existing tags, authors and posts must not move when a post is saved again): accents are
// removed (é -> e), letters are lowercased, anything but a-z and 0-9 separates words (so ß, æ,
// ø still do, as before). Only letters, digits and marks of other scripts, which used to vanish
// (and left 日本語 and Ελληνικά sharing the fallback slug `tag`), are now kept: lowercased (Ω ->
// ω), with their marks (Cyrillic й, Greek ά and Devanagari vowel signs are letters, not accents to
// strip), in NFKC form. Text that mixes scripts keeps both parts ("Tokyo 東京" -> tokyo-東京).
//
// No npm slugger fits that rule: github-slugger keeps Latin accents and doubled hyphens and
// @sindresorhus/slugify transliterates (ß -> ss, & -> and); either would move existing slugs.
// The Unicode work is the runtime's own: normalization, case mapping, script properties.

/** Removed without separating words: "Don't" is `dont`, as it always was. */
const QUOTES = /['’‘`"“”]/g;
/** A character and the combining marks that follow it (after NFKD, accents are such marks). */
const CLUSTER = /(\P{M})(\p{M}*)|\p{M}+/gu;
/** The accents removed from Latin letters: U+0300–U+036F, as before. */
const LATIN_ACCENTS = /[\u0300-\u036f]/g;
/** Letters and digits kept as they are: neither Latin (handled as ASCII) nor shared by all scripts (punctuation, symbols, emoji). */
const OTHER_SCRIPT = /^[\p{L}\p{N}]$/u;
const LATIN_OR_COMMON = /^[\p{Script_Extensions=Latin}\p{Script_Extensions=Common}]$/u;

const MAX_GRAPHEMES = 80;
const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** The slug of `text` at any length ('' when nothing in it can make one). */
function fullSlug(text: string): string {
  const lower = text.normalize('NFKD').replace(QUOTES, '').toLowerCase();
  let out = '';
  for (const [cluster, base, marks] of lower.matchAll(CLUSTER)) {
    if (base !== undefined && /^[a-z0-9]$/.test(base)) {
      // As before: accents go; any other mark left on a Latin letter separates words.
      const rest = marks!.replace(LATIN_ACCENTS, '');
      out += rest === '' ? base : `${base}-`;
    } else if (base !== undefined && OTHER_SCRIPT.test(base) && !LATIN_OR_COMMON.test(base)) {
      out += cluster;
    } else {
      out += '-';
    }
  }
  return out.normalize('NFKC').replace(/-+/g, '-').replace(/^-|-$/g, '');
}

/**
 * URL slug of a title, tag or name: lowercase a-z, 0-9 and the letters, digits and marks of
 * scripts other than Latin, with single hyphens between words; at most 80 characters (graphemes).
 * '' when the text has no letter or digit at all (only punctuation or emoji).
 */
export function slugify(text: string): string {
  const slug = fullSlug(text);
  let cut = '';
  let count = 0;
  for (const { segment } of graphemes.segment(slug)) {
    if (++count > MAX_GRAPHEMES) break;
    cut += segment;
  }
  return cut.replace(/-+$/, '');
}

/** True for a string that is a slug as slugify makes them (any length): what a client may send. */
export function isSlug(value: string): boolean {
  return value !== '' && fullSlug(value) === value;
}
