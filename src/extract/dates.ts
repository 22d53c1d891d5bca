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
};

const inRange = (ms: number, now: number) => (ms >= EARLIEST && ms <= now + DAY ? ms : null);

/**
 * Reads a date as pages write it, in ms since the epoch, or null: machine formats (ISO 8601 as
 * in `<time datetime>`, RFC 822), numeric dates (05/03/2024: the locale decides day or month
 * first; en and en-US are month first, everything else day first; 2024/03/05 is year first),
 * written dates in the locale's language or English ("November 6, 2020", "6. November 2020",
 * "6 de noviembre de 2020", "2020年11月6日"; without a locale, the languages of the text's
 * script are tried), and relative ones ("yesterday", "2 days ago",
 * "3 hours ago") counted from `now`. A date without a time of day is midnight UTC of that day.
 * A text with no day in it ("November 2020") is null, as is anything before 1995 or more than a
 * day after `now`.
 */
export function parseHumanDate(text: string, { now, locale }: HumanDateOptions): number | null {
  const value = normalizeSpace(text);
  if (value === '') return null;
  // Machine-written dates are exact; Date.parse (through the feed ingest's lenient reader) knows them.
  if (/^\d{4}-\d{2}-\d{2}(?:$|[T ]\d)/.test(value) || /^(?:[A-Za-z]{3},? )?\d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}/.test(value)) {
    const ms = parseDate(value);
    return ms === null ? null : inRange(ms, now);
  }
  const numeric = numericDate(value, locale);
  if (numeric !== undefined) return numeric === null ? null : inRange(numeric, now);
  const reference = { instant: new Date(now), timezone: 0 };
  for (const parser of parsersFor(locale, value)) {
    for (const result of parser.parse(value, reference)) {
      const start = result.start;
      if (!start.isCertain('day') && !start.isCertain('weekday')) continue;
      const ms = start.isCertain('hour')
        ? start.date().getTime()
        : Date.UTC(start.get('year')!, start.get('month')! - 1, start.get('day')!);
      return inRange(ms, now);
    }
  }
  return null;
}

/**
 * The date an element gives: a machine-readable attribute (`datetime` on `<time>`, `content` in
 * microdata, `title` on `<abbr class="published">`), else its text.
 */
export function dateOfElement(el: DomElement, options: HumanDateOptions): number | null {
  for (const name of ['datetime', 'content', 'title']) {
    const value = el.getAttribute(name);
    const ms = value ? parseHumanDate(value, options) : null;
    if (ms !== null) return ms;
  }
  return parseHumanDate(el.textContent ?? '', options);
}

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
function numericDate(value: string, locale: string | null | undefined): number | null | undefined {
  const ymd = /(?:^|[^\d./-])(\d{4})[./-](\d{1,2})[./-](\d{1,2})(?![\d./-])/.exec(value);
  const dmy = ymd ? null : /(?:^|[^\d./-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d./-])/.exec(value);
  let day: number | null;
  if (ymd) {
    day = utcDate(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  } else if (dmy) {
    const [a, b] = [Number(dmy[1]), Number(dmy[3])];
    let year = Number(dmy[4]);
    if (dmy[4]!.length === 2) year += year < 70 ? 2000 : 1900;
    // An unambiguous order (a part above 12) wins over the locale's habit; dotted dates are day first everywhere.
    const monthFirst = a > 12 ? false : b > 12 ? true : MONTH_FIRST.test(locale ?? 'en') && dmy[2] !== '.';
    day = monthFirst ? utcDate(year, a, b) : utcDate(year, b, a);
  } else {
    return undefined;
  }
  // A time of day right after the date ("06.11.2022, 14:30 Uhr"), read as UTC like any date without a zone.
  const match = (ymd ?? dmy)!;
  const time = /^\s*,?\s*(?:um |at |à |a las |alle |om )?(\d{1,2}):(\d{2})\b/i.exec(value.slice(match.index + match[0].length));
  if (day === null || !time || Number(time[1]) > 23 || Number(time[2]) > 59) return day;
  return day + (Number(time[1]) * 60 + Number(time[2])) * 60_000;
}

function utcDate(year: number, month: number, day: number): number | null {
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? ms : null;
}
