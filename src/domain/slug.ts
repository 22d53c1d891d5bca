// URL slugs of titles, tags and authors, in every script.
//
// Decision: Unicode slugs (IRIs) for scripts other than Latin, ASCII for Latin. A tag 日本語 gets
// the slug 日本語 and lives at /tags/日本語/, which goes over the wire percent-encoded
// (/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E/) and which browsers show as written. Transliterating those
// scripts cannot serve them (Japanese, Chinese, Thai have no one romanization; it needs tables per
// language, and it collapses distinct names), while Unicode letters keep every name apart.
//
// Latin text is lowercase a-z and 0-9: accents are removed (é -> e), and the Latin letters that
// are not an a-z letter with an accent are transliterated by @sindresorhus/transliterate
// (Łódź -> lodz, Øl -> ol, Straße -> strasse, Æ -> ae, ı -> i), so that they neither vanish nor
// split the word. Anything else that is not a letter or digit separates words. Letters, digits and
// marks of other scripts are kept: lowercased (Ω -> ω), with their marks (Cyrillic й, Greek ά and
// Devanagari vowel signs are letters, not accents to strip), in NFKC form. Text that mixes scripts
// keeps both parts ("Tokyo 東京" -> tokyo-東京).
//
// A slug is what a name looks like in a URL, not who it is: transliteration (and the cut at 80
// characters) can give two different names one slug (Łódź and Lodz). A name's identity is its
// key (slugKey): the same text with every letter kept as it is. Tags and authors get their
// address from their key through a stored mapping (src/db/slugs.ts), which gives a later name
// whose slug is taken a suffix of its own.
//
// No npm slugger fits that rule whole: github-slugger keeps Latin accents and doubled hyphens,
// @sindresorhus/slugify transliterates every script (日本語 -> ri-ben-yu) and words (& -> and).
// The Unicode work is the runtime's own: normalization, case mapping, script properties.

import transliterate from '@sindresorhus/transliterate';

/** Removed without separating words: "Don't" is `dont`, as it always was. */
const QUOTES = /['’‘`"“”]/g;
/** A character and the combining marks that follow it (after NFKD, accents are such marks). */
const CLUSTER = /(\P{M})(\p{M}*)|\p{M}+/gu;
/** The accents removed from Latin letters: U+0300–U+036F. */
const LATIN_ACCENTS = /[\u0300-\u036f]/g;
/** Letters and digits kept as they are: neither Latin (handled as ASCII) nor shared by all scripts (punctuation, symbols, emoji). */
const OTHER_SCRIPT = /^[\p{L}\p{N}]$/u;
const LATIN_OR_COMMON = /^[\p{Script_Extensions=Latin}\p{Script_Extensions=Common}]$/u;
/** A Latin letter beyond a-z (ł, ø, ß, æ, ı, þ…): transliterated in slugs, kept in keys. */
const OTHER_LATIN_LETTER = /^(?=\p{L})\p{Script_Extensions=Latin}$/u;

const MAX_GRAPHEMES = 80;
const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** The ASCII letters of a Latin letter beyond a-z ('' when the library knows none). */
function latinAscii(letter: string): string {
  return transliterate(letter)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The slug of `text` at any length ('' when nothing in it can make one). `keepLatin`: Latin
 * letters beyond a-z stay as they are (the key) instead of being transliterated (the slug).
 */
function fullSlug(text: string, keepLatin: boolean): string {
  const lower = text.normalize('NFKD').replace(QUOTES, '').toLowerCase();
  let out = '';
  for (const [cluster, base, marks] of lower.matchAll(CLUSTER)) {
    const letters =
      base === undefined
        ? ''
        : /^[a-z0-9]$/.test(base)
          ? base
          : OTHER_LATIN_LETTER.test(base)
            ? keepLatin
              ? base
              : latinAscii(base)
            : null;
    if (letters === '') {
      out += '-';
    } else if (letters !== null) {
      // Accents go; any other mark left on a Latin letter separates words.
      const rest = marks!.replace(LATIN_ACCENTS, '');
      out += rest === '' ? letters : `${letters}-`;
    } else if (OTHER_SCRIPT.test(base!) && !LATIN_OR_COMMON.test(base!)) {
      out += cluster;
    } else {
      out += '-';
    }
  }
  return out.normalize('NFKC').replace(/-+/g, '-').replace(/^-|-$/g, '');
}

/** `slug` cut at MAX_GRAPHEMES graphemes, never inside one, without a trailing hyphen. */
function cut(slug: string): string {
  let out = '';
  let count = 0;
  for (const { segment } of graphemes.segment(slug)) {
    if (++count > MAX_GRAPHEMES) break;
    out += segment;
  }
  return out.replace(/-+$/, '');
}

/**
 * URL slug of a title, tag or name: lowercase a-z, 0-9 and the letters, digits and marks of
 * scripts other than Latin, with single hyphens between words; at most 80 characters (graphemes).
 * '' when the text has no letter or digit at all (only punctuation or emoji).
 */
export function slugify(text: string): string {
  return cut(fullSlug(text, false));
}

/**
 * The identity of a tag or author name: two names are one tag (one author) when their keys are
 * equal. Case, accents (é is e), spacing, punctuation and quotes do not count; every letter does,
 * Latin letters beyond a-z included (Łódź is not Lodz, Straße not Strasse). Not cut, so long
 * names that differ late are different names. '' for a name that can make no slug.
 */
export function slugKey(text: string): string {
  return fullSlug(text, true);
}

/** Why a tag or author name can have no page and feeds of its own (its slugKey is ''). */
export const NO_SLUG = 'has no letters or digits to make a URL from';

/** True for a string that is a slug as slugify makes them (any length): what a client may send. */
export function isSlug(value: string): boolean {
  return value !== '' && fullSlug(value, false) === value;
}
