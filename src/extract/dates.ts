import * as chrono from 'chrono-node';
import { parseDate } from '../ingest/parse/dates';
import type { DomElement } from './dom';
import { normalizeSpace } from './text';

/** No web page is dated before the web had many: earlier dates are placeholders or misreadings. */
const EARLIEST = Date.UTC(1995, 0, 1);
const DAY = 24 * 60 * 60 * 1000;

/** Languages whose written dates chrono-node reads (its locales), by ISO 639-1 code. */
const PARSERS: Record<string, chrono.Chrono> = {
  en: chrono.en.casual,
  de: chrono.de.casual,
  fr: chrono.fr.casual,
  es: chrono.es.casual,
  it: chrono.it.casual,
  nl: chrono.nl.casual,
  pt: chrono.pt.casual,
  ja: chrono.ja.casual,
  zh: chrono.zh.casual,
  ru: chrono.ru.casual,
  uk: chrono.uk.casual,
  sv: chrono.sv.casual,
  fi: chrono.fi.casual,
  vi: chrono.vi.casual,
  id: chrono.id.casual,
  ar: chrono.ar.casual,
};
export const DATE_LOCALES = Object.keys(PARSERS);

/** Locales that write numeric dates month first (05/03/2024 is May 3rd). */
const MONTH_FIRST = /^en(?:-(?:us|ca|ph))?$/i;

export type HumanDateOptions = {
  /** The moment relative dates ("2 days ago") count from, in ms; also the upper bound (plus a day). */
  now: number;
  /** BCP 47 language of the page ("de", "en-GB"): chooses the parser and the order of numeric dates. */
  locale?: string | null;
  /**
   * The year of a date written without one ("12 March", "03-12"), when the page says it elsewhere
   * (an archive's year heading above the post). Without it such a date is read as chrono-node
   * reads it (the year nearest `now`).
   */
  year?: number;
  /**
   * The order of the page's numeric dates when the page's own dates settle it (numericOrderOf):
   * it decides dates such as 05/06/2024 that read either way, in place of the locale's habit.
   */
  order?: NumericOrder;
};

/** Month, day, year ("05/13/2024"); day, month, year ("13/05/2024"); two-digit year, month, day ("24/05/13"). */
export type NumericOrder = 'mdy' | 'dmy' | 'ymd';

const inRange = (ms: number, now: number) => (ms >= EARLIEST && ms <= now + DAY ? ms : null);

/** A date read from text, and whether the text said its year. */
export type ReadDate = { ms: number; yearKnown: boolean };

/**
 * Reads a date as pages write it, in ms since the epoch, or null: machine formats (ISO 8601 as
 * in `<time datetime>`, RFC 822), numeric dates (05/03/2024: the locale decides day or month
 * first; en and en-US are month first, everything else day first; 2024/03/05 is year first),
 * written dates in the locale's language or English ("November 6, 2020", "6. November 2020",
 * "6 de noviembre de 2020", "2020年11月6日"; without a locale, the languages of the text's
 * script are tried), and relative ones ("yesterday", "2 days ago",
 * "3 hours ago") counted from `now`. A date without a time of day is midnight UTC of that day.
 * A text with no day in it ("November 2020") is null, as is anything before 1995 or more than a
 * day after `now`. A date without a year takes `year` when given.
 */
export function parseHumanDate(text: string, options: HumanDateOptions): number | null {
  return readDate(text, options)?.ms ?? null;
}

/**
 * parseHumanDate, saying whether the year was written. With `wordsAlone: false`, a date made of
 * words alone ("now", "today", "Friday": no digit in what was read) is refused: in a sentence of
 * a teaser such words say nothing of the post's date.
 */
export function readDate(text: string, { now, locale, year, order }: HumanDateOptions, { wordsAlone = true } = {}): ReadDate | null {
  // "12. April 2010": the ordinal dot of German and Nordic dates, which English parsing stumbles on.
  // A separator the theme sets beside the date ("12-26 · ", "| May 6, 2024").
  const value = withoutSeparators(normalizeSpace(text))
    .replace(/(^|[^\d.])(\d{1,2})\.\s+(?=\p{L})/gu, '$1$2 ')
    // "May. 6, 2024": a dot after every short month name, "May" and "June" too.
    .replace(/\b(Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)\.(?=\s*\d)/gi, '$1')
    // "2024, Oct 13": the year first, then a month name and a day, as some themes write it.
    .replace(/^((?:19|20)\d\d),?\s+(\p{L}{3,}\.?\s+\d{1,2})(?!\d)/u, '$2, $1')
    // "May 6, '24": a two-digit year after an apostrophe.
    .replace(
      /(\d{1,2}(?:st|nd|rd|th)?,?\s*)['’‘](\d\d)(?!\d)/u,
      (_, day: string, year: string) => `${day}${Number(year) < 70 ? 20 : 19}${year}`,
    );
  if (value === '') return null;
  // Machine-written dates are exact; Date.parse (through the feed ingest's lenient reader) knows them.
  if (/^\d{4}-\d{2}-\d{2}(?:$|[T ]\d)/.test(value) || /^(?:[A-Za-z]{3},? )?\d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}/.test(value)) {
    const ms = parseDate(value);
    // "2024-10-13 52 words": a machine date followed by other words is read below.
    if (ms !== null) return known(inRange(ms, now));
  }
  const numeric = numericDate(value, locale, order);
  if (numeric !== undefined) return known(numeric === null ? null : inRange(numeric, now));
  if (year !== undefined) {
    const partial = partialNumericDate(value, locale, year, order);
    if (partial !== undefined) return known(partial === null ? null : inRange(partial, now));
  }
  const reference = { instant: new Date(now), timezone: 0 };
  for (const parser of parsersFor(locale, value)) {
    // The rewrites above help English parsing; other languages' parsers read the text as written
    // (German's wants its ordinal dot: "12. März 2024").
    for (const result of parser.parse(parser === PARSERS.en ? value : normalizeSpace(text), reference)) {
      const start = result.start;
      if (!start.isCertain('day') && !start.isCertain('weekday')) continue;
      if (!wordsAlone && !/\d/.test(result.text)) continue;
      const yearKnown = start.isCertain('year') || !start.isCertain('month');
      const y = !yearKnown && year !== undefined ? year : start.get('year')!;
      const time = start.isCertain('hour') ? ((start.get('hour') ?? 0) * 60 + (start.get('minute') ?? 0)) * 60_000 : 0;
      let ms =
        start.isCertain('hour') && (yearKnown || year === undefined)
          ? start.date().getTime()
          : Date.UTC(y, start.get('month')! - 1, start.get('day')!) + time;
      // A day without a year is its last occurrence: chrono-node takes the nearest, which may be ahead.
      if (!yearKnown && year === undefined && ms > now + DAY) ms = yearBefore(ms);
      const inside = inRange(ms, now);
      return inside === null ? null : { ms: inside, yearKnown: yearKnown || year !== undefined };
    }
  }
  // chrono-node may join a sentence's last word to the date that follows it ("…one afternoon.
  // February 12, 2023") and then read no day: each sentence is read on its own.
  const sentences = value.split(/(?<=[.!?])\s+(?=\p{Lu})/u);
  if (sentences.length > 1 && sentences.length <= 4) {
    for (const sentence of sentences) {
      if (!/\d/.test(sentence)) continue;
      const read = readDate(sentence, { now, locale, year, order }, { wordsAlone });
      if (read) return read;
    }
  }
  return null;
}

/** Separators a theme sets beside a date. */
const SEPARATOR = new Set([...' ·•|–—:,-']);

/**
 * The text without separators at either end, trimmed by walking in from each end: a regular
 * expression anchored at the end (`[…]+$`) backtracks over every long run of such characters
 * inside the text, quadratic in the run's length.
 */
function withoutSeparators(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && SEPARATOR.has(text[start]!)) start++;
  while (end > start && SEPARATOR.has(text[end - 1]!)) end--;
  return text.slice(start, end);
}

const yearBefore = (ms: number): number => {
  const date = new Date(ms);
  date.setUTCFullYear(date.getUTCFullYear() - 1);
  return date.getTime();
};

const known = (ms: number | null): ReadDate | null => (ms === null ? null : { ms, yearKnown: true });

/**
 * The date an element gives: a machine-readable attribute (`datetime` on `<time>`, `content` in
 * microdata, `title` on `<abbr class="published">`), else its text.
 */
export function dateOfElement(el: DomElement, options: HumanDateOptions): number | null {
  return readDateOfElement(el, options)?.ms ?? null;
}

/** dateOfElement, saying whether the year was written (see readDate). */
export function readDateOfElement(el: DomElement, options: HumanDateOptions, flags?: { wordsAlone?: boolean }): ReadDate | null {
  const title = el.getAttribute('title');
  // A title written by machine (`<abbr title="2024-10-13T10:00:00">`) is the date; any other title
  // is a tooltip ("Last updated: 2026/12/07"), read only when the text says no date.
  const machineTitle = title !== null && MACHINE_DATE.test(title);
  for (const name of ['datetime', 'content', ...(machineTitle ? ['title'] : [])]) {
    const value = el.getAttribute(name);
    // A datetime attribute is machine-written (year first); any other order there is a theme's
    // mistake ("26-12-2023"), and the element's text says the date better.
    if (name === 'datetime' && value && !MACHINE_DATE.test(value)) continue;
    const read = value ? readDate(value, options) : null;
    if (read !== null) return read;
  }
  return readDate(el.textContent ?? '', options, flags) ?? (title && !machineTitle ? readDate(title, options) : null);
}

const MACHINE_DATE = /^\s*\d{4}-\d{2}/;

/** Languages to try, by the script of the text, when the page names no language. */
const BY_SCRIPT: [RegExp, string[]][] = [
  [/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u, ['ja', 'zh']],
  [/\p{Script=Cyrillic}/u, ['ru', 'uk']],
  [/\p{Script=Arabic}/u, ['ar']],
  [/\p{Script=Latin}/u, ['de', 'fr', 'es', 'it', 'nl', 'pt', 'sv', 'fi', 'vi', 'id']],
];

/**
 * The locale's parser, then English (pages in any language print English dates). With no locale:
 * English, then the languages written in the text's script, if the text has a digit (a written
 * date has its day's number). Each chrono-node language costs tens of milliseconds of regular
 * expression compilation on first use in an isolate, so unlikely ones are not tried.
 */
function parsersFor(locale: string | null | undefined, text: string): chrono.Chrono[] {
  const first = locale ? PARSERS[locale.toLowerCase().split(/[-_]/)[0]!] : undefined;
  const guessed =
    locale || !/\d/.test(text)
      ? []
      : BY_SCRIPT.filter(([script]) => script.test(text)).flatMap(([, codes]) => codes.map((c) => PARSERS[c]));
  const order = [first, PARSERS.en, ...guessed];
  return [...new Set(order.filter((p): p is chrono.Chrono => p !== undefined))];
}

/**
 * A numeric date, read by hand because chrono-node's locales disagree on slash dates and none
 * lets the caller say which order the page uses. undefined: no numeric date in the text; null:
 * one that is not a real date (31/02/2024).
 */
function numericDate(value: string, locale: string | null | undefined, order?: NumericOrder): number | null | undefined {
  const ymd = /(?:^|[^\d./-])(\d{4})[./-](\d{1,2})[./-](\d{1,2})(?![\d./-])/.exec(value);
  const dmy = ymd ? null : NUMERIC_DATE.exec(value);
  let day: number | null;
  if (ymd) {
    day = utcDate(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  } else if (dmy) {
    day = numericAs(Number(dmy[1]), Number(dmy[3]), dmy[4]!, dmy[2] === '.' && order !== 'ymd' ? 'dmy' : (order ?? habitOf(locale)));
  } else {
    return undefined;
  }
  // A time of day right after the date ("06.11.2022, 14:30 Uhr"), read as UTC like any date without a zone.
  const match = (ymd ?? dmy)!;
  const time = /^\s*,?\s*(?:um |at |à |a las |alle |om )?(\d{1,2}):(\d{2})\b/i.exec(value.slice(match.index + match[0].length));
  if (day === null || !time || Number(time[1]) > 23 || Number(time[2]) > 59) return day;
  return day + (Number(time[1]) * 60 + Number(time[2])) * 60_000;
}

/** Three numbers with one separator and a year of two or four digits last ("05/13/2024", "13.05.24", "24-05-13"). */
const NUMERIC_DATE = /(?:^|[^\d./-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d./-])/;

/** The locale's order for numeric dates: en and en-US month first, everything else day first. */
const habitOf = (locale: string | null | undefined): NumericOrder => (MONTH_FIRST.test(locale ?? 'en') ? 'mdy' : 'dmy');

/**
 * A numeric date's day in the order given: an unambiguous part (above 12) wins over the order
 * ("13/05/2024" is day first whatever the order) unless `strict`; a two-digit year first is read
 * only when the order says so.
 */
function numericAs(a: number, b: number, last: string, order: NumericOrder, strict = false): number | null {
  const twoDigit = (y: number) => y + (y < 70 ? 2000 : 1900);
  if (order === 'ymd' && last.length === 2) return utcDate(twoDigit(a), b, Number(last));
  const year = last.length === 2 ? twoDigit(Number(last)) : Number(last);
  const monthFirst = strict ? order === 'mdy' : a > 12 ? false : b > 12 ? true : order === 'mdy';
  return monthFirst ? utcDate(year, a, b) : utcDate(year, b, a);
}

/** Most numeric dates of a page weighed by numericOrderOf. */
const ORDER_SAMPLE = 60;

/**
 * The order a page writes its numeric dates in, when its dates settle it; else undefined (each
 * date is then read in the locale's habit). Every dotless numeric date of the text must read as a
 * real, past date in the order chosen ("13/10/2024" beside "6/5/2024" makes the page day first),
 * and where several orders do, the one that puts the dates in sequence (a list runs newest first,
 * or oldest first) wins over the locale's habit: "24/10/13, 24/05/06, 23/12/26" is year first.
 * Written by hand: no date library infers a document's order from its dates together.
 */
export function numericOrderOf(text: string, now: number, locale: string | null | undefined): NumericOrder | undefined {
  const found: [number, number, string][] = [];
  for (const m of text.matchAll(new RegExp(NUMERIC_DATE.source, 'g'))) {
    if (m[2] === '.') continue;
    found.push([Number(m[1]), Number(m[3]), m[4]!]);
    if (found.length >= ORDER_SAMPLE) break;
  }
  if (found.length === 0) return undefined;
  const habit = habitOf(locale);
  let best: { order: NumericOrder; sequence: number } | undefined;
  for (const order of [habit, habit === 'mdy' ? 'dmy' : 'mdy', 'ymd'] as const) {
    // A two-digit year first is no one's habit: it takes three dates in sequence to say so.
    if (order === 'ymd' && (found.length < 3 || found.some(([, , last]) => last.length !== 2))) continue;
    const days = found.map(([a, b, last]) => numericAs(a, b, last, order, true));
    if (days.some((ms) => ms === null || inRange(ms, now) === null)) continue;
    let down = 0;
    let up = 0;
    for (let i = 1; i < days.length; i++) {
      if (days[i]! <= days[i - 1]!) down++;
      if (days[i]! >= days[i - 1]!) up++;
    }
    const sequence = Math.max(down, up);
    if (!best || sequence > best.sequence) best = { order, sequence };
  }
  return best?.order;
}

/**
 * A day and month without a year ("05-07", "7.5.", "5/7"), alone in the text, in the year given:
 * dashed is month first as in ISO 8601's "--05-07", dotted day first, slashed in the locale's
 * order. undefined: the text is not such a date.
 */
function partialNumericDate(
  value: string,
  locale: string | null | undefined,
  year: number,
  order?: NumericOrder,
): number | null | undefined {
  const match = /^(\d{1,2})([-/.])(\d{1,2})\.?$/.exec(value);
  if (!match) return undefined;
  const [a, b] = [Number(match[1]), Number(match[3])];
  const monthFirst = match[2] === '-' || (match[2] === '/' && (order ?? habitOf(locale)) !== 'dmy');
  return monthFirst ? utcDate(year, a, b) : utcDate(year, b, a);
}

function utcDate(year: number, month: number, day: number): number | null {
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? ms : null;
}

/** Month names, long and short, lowercased, in a language and English: index 0 is January. */
const monthNames = new Map<string, string[][]>();
function monthsOf(locale: string | null | undefined): string[][] {
  const language = (locale ?? 'en').toLowerCase().split(/[-_]/)[0] || 'en';
  let names = monthNames.get(language);
  if (!names) {
    names = Array.from({ length: 12 }, () => [] as string[]);
    for (const tag of new Set([language, 'en'])) {
      for (const month of ['long', 'short'] as const) {
        let format: Intl.DateTimeFormat;
        try {
          format = new Intl.DateTimeFormat(tag, { month, timeZone: 'UTC' });
        } catch {
          continue;
        }
        for (let m = 0; m < 12; m++)
          names[m]!.push(
            format
              .format(new Date(Date.UTC(2000, m, 15)))
              .toLowerCase()
              .replace(/\.$/, ''),
          );
      }
    }
    monthNames.set(language, names);
  }
  return names;
}

/**
 * The period a short label names, as archives head their groups: a year ("2021"), a month
 * ("March", "März 2021", "Mar 2021", "2021-03", "2021年3月"), or null. Month names are the
 * page's language's and English.
 */
export function periodOf(text: string, locale?: string | null): { year?: number; month?: number } | null {
  // A count after the label ("2021 (5)") is how many posts the group holds.
  const value = normalizeSpace(text.replace(/\(\s*\d+\s*\)\s*$/, '')).toLowerCase();
  if (value.length === 0 || value.length > 24) return null;
  const numeric = /^((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(value);
  if (numeric) return Number(numeric[2]) >= 1 && Number(numeric[2]) <= 12 ? { year: Number(numeric[1]), month: Number(numeric[2]) } : null;
  const yearMatch = /(?:^|\D)((?:19|20)\d\d)(?:\D|$)/.exec(value);
  const year = yearMatch ? Number(yearMatch[1]) : undefined;
  const rest = normalizeSpace(value.replace(/(?:19|20)\d\d/, ' ').replace(/[年月.,/()\-–]/g, ' '));
  if (rest === '') {
    return year !== undefined && /^\D*(?:19|20)\d\d\D*$/.test(value) ? { year } : null;
  }
  const months = monthsOf(locale);
  const month = months.findIndex((names) => names.includes(rest));
  if (month === -1) return null;
  return year === undefined ? { month: month + 1 } : { year, month: month + 1 };
}
