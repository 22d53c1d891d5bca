// parseHumanDate: dates as pages print them, in several languages, relative to a fixed `now`.
import { describe, expect, it } from 'vitest';
import { parseHumanDate } from '../../../src/extract/dates';

const now = Date.UTC(2024, 2, 10, 15, 30);
const at = (text: string, locale?: string) => parseHumanDate(text, { now, locale });

describe('parseHumanDate', () => {
  it('reads machine formats exactly', () => {
    expect(at('2024-03-05')).toBe(Date.UTC(2024, 2, 5));
    expect(at('2024-03-05T09:14:05+01:00')).toBe(Date.UTC(2024, 2, 5, 8, 14, 5));
    expect(at('2024-03-05T09:14:05Z')).toBe(Date.UTC(2024, 2, 5, 9, 14, 5));
    expect(at('Tue, 05 Mar 2024 09:14:05 GMT')).toBe(Date.UTC(2024, 2, 5, 9, 14, 5));
  });

  it('reads English dates, alone or inside a line, as midnight UTC of the day', () => {
    expect(at('November 6, 2020')).toBe(Date.UTC(2020, 10, 6));
    expect(at('Tips for becoming a good boxer - November 6, 2020')).toBe(Date.UTC(2020, 10, 6));
    expect(at('6 Nov 2020')).toBe(Date.UTC(2020, 10, 6));
    expect(parseHumanDate('12 March 2024', { now: Date.UTC(2024, 5, 1) })).toBe(Date.UTC(2024, 2, 12));
    expect(at('Posted on March 5th, 2024 by admin')).toBe(Date.UTC(2024, 2, 5));
  });

  it('lets the locale decide numeric day and month order, unless a part is over 12', () => {
    expect(at('05/03/2024', 'en-GB')).toBe(Date.UTC(2024, 2, 5));
    expect(at('05/03/2024', 'fr')).toBe(Date.UTC(2024, 2, 5));
    expect(at('03/05/2024', 'en-US')).toBe(Date.UTC(2024, 2, 5));
    expect(at('03/05/2024', 'en')).toBe(Date.UTC(2024, 2, 5));
    expect(at('13/02/2024', 'en-US')).toBe(Date.UTC(2024, 1, 13));
    expect(at('05.03.2024', 'de')).toBe(Date.UTC(2024, 2, 5));
    expect(at('2024/03/05', 'ja')).toBe(Date.UTC(2024, 2, 5));
    expect(at('31/02/2024', 'en-GB')).toBeNull();
    expect(at('06.11.2022, 14:30 Uhr', 'de')).toBe(Date.UTC(2022, 10, 6, 14, 30));
    expect(at('2024/03/05 09:15', 'ja')).toBe(Date.UTC(2024, 2, 5, 9, 15));
  });

  it('counts relative dates from now', () => {
    expect(at('3 hours ago')).toBe(now - 3 * 3600_000);
    expect(at('yesterday')).toBe(Date.UTC(2024, 2, 9));
    expect(at('2 days ago')).toBe(Date.UTC(2024, 2, 8));
    expect(at('vor 2 Tagen', 'de')).toBe(Date.UTC(2024, 2, 8));
    expect(at('il y a 3 jours', 'fr')).toBe(Date.UTC(2024, 2, 7));
  });

  it('reads other languages, with their locale or without', () => {
    expect(at('6. November 2020', 'de')).toBe(Date.UTC(2020, 10, 6));
    expect(at('6 novembre 2020', 'fr')).toBe(Date.UTC(2020, 10, 6));
    expect(at('6 de noviembre de 2020', 'es')).toBe(Date.UTC(2020, 10, 6));
    expect(at('6 novembre 2020', 'it')).toBe(Date.UTC(2020, 10, 6));
    expect(at('6 november 2020', 'nl')).toBe(Date.UTC(2020, 10, 6));
    expect(at('6 de novembro de 2020', 'pt')).toBe(Date.UTC(2020, 10, 6));
    expect(at('6 ноября 2020', 'ru')).toBe(Date.UTC(2020, 10, 6));
    expect(at('2020年11月6日', 'ja')).toBe(Date.UTC(2020, 10, 6));
    expect(at('2020年11月6日')).toBe(Date.UTC(2020, 10, 6));
    expect(at('6 novembre 2020')).toBe(Date.UTC(2020, 10, 6));
  });

  it('refuses what is not a day, before 1995, or more than a day ahead', () => {
    expect(at('November 2020')).toBeNull();
    expect(at('Tips for becoming a good boxer')).toBeNull();
    expect(at('')).toBeNull();
    expect(at('March 3, 1994')).toBeNull();
    expect(at('1970-01-01')).toBeNull();
    expect(at('March 12, 2024')).toBeNull();
    expect(at('March 11, 2024')).toBe(Date.UTC(2024, 2, 11));
  });
});
