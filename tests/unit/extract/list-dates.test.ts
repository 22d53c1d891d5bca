// Dates as list pages write them (issue 22, points 3 and 6): a year given by an archive heading
// for a date written without one, the ordinal dot of "12. April 2010", period headings, and words
// that are no date in a teaser's sentence.
import { describe, expect, it } from 'vitest';
import { numericOrderOf, parseHumanDate, periodOf, readDate } from '../../../src/extract/dates';

const NOW = Date.UTC(2025, 5, 1);

describe('dates in list pages', () => {
  it('a date without a year takes the year it is given; with none it is still read, saying so', () => {
    expect(parseHumanDate('05-07', { now: NOW, locale: 'zh-CN', year: 2021 })).toBe(Date.UTC(2021, 4, 7));
    expect(parseHumanDate('7.5.', { now: NOW, locale: 'de', year: 2021 })).toBe(Date.UTC(2021, 4, 7));
    expect(parseHumanDate('5/7', { now: NOW, locale: 'en-US', year: 2021 })).toBe(Date.UTC(2021, 4, 7));
    expect(parseHumanDate('Mar 3', { now: NOW, locale: 'en', year: 2019 })).toBe(Date.UTC(2019, 2, 3));
    expect(readDate('Mar 3', { now: NOW, locale: 'en' })?.yearKnown).toBe(false);
    expect(readDate('Mar 3, 2019', { now: NOW, locale: 'en' })).toEqual({ ms: Date.UTC(2019, 2, 3), yearKnown: true });
    // A numeric date without a year and no year given is no date.
    expect(parseHumanDate('05-07', { now: NOW, locale: 'zh-CN' })).toBeNull();
  });

  it('the order of numeric dates, from the page’s dates together', () => {
    // One date that reads only day first settles the page, whatever its language says.
    expect(numericOrderOf('6/5/2024 then 13/10/2024', NOW, 'en')).toBe('dmy');
    expect(numericOrderOf('5/6/2024 then 10/13/2024', NOW, 'en-GB')).toBe('mdy');
    // Either order reads: the locale's habit stays unless the other puts the dates in sequence.
    expect(numericOrderOf('1/2/2024 and 3/4/2024', NOW, 'en')).toBe('mdy');
    expect(numericOrderOf('1/2/2024 and 3/4/2024', NOW, 'fr')).toBe('dmy');
    expect(numericOrderOf('24/10/13 24/05/06 23/12/26 23/09/05', NOW, 'en')).toBe('ymd');
    // Dates no order reads as past days, dotted dates (day first everywhere) and no dates: nothing settled.
    expect(numericOrderOf('40/40/2024', NOW, 'en')).toBeUndefined();
    expect(numericOrderOf('05.06.2024', NOW, 'en')).toBeUndefined();
    expect(numericOrderOf('no dates here', NOW, 'en')).toBeUndefined();
    // The order given decides what reads either way, not what reads one way only.
    expect(parseHumanDate('6/5/2024', { now: NOW, locale: 'en', order: 'dmy' })).toBe(Date.UTC(2024, 4, 6));
    expect(parseHumanDate('13/5/2024', { now: NOW, locale: 'en', order: 'mdy' })).toBe(Date.UTC(2024, 4, 13));
    expect(parseHumanDate('24/05/06', { now: NOW, locale: 'en', order: 'ymd' })).toBe(Date.UTC(2024, 4, 6));
    expect(parseHumanDate('24/05/2006', { now: NOW, locale: 'en', order: 'ymd' })).toBe(Date.UTC(2006, 4, 24));
  });

  it('a day without a year and no year given is its last occurrence, never one ahead', () => {
    expect(readDate('Dec 26', { now: Date.UTC(2025, 0, 10), locale: 'en' })).toEqual({ ms: Date.UTC(2024, 11, 26), yearKnown: false });
    expect(readDate('Jan 5', { now: Date.UTC(2024, 11, 7), locale: 'en' })).toEqual({ ms: Date.UTC(2024, 0, 5), yearKnown: false });
  });

  it('a separator beside the date is no part of it ("12-26 · ")', () => {
    expect(parseHumanDate('12-26 · ', { now: NOW, locale: 'en', year: 2023 })).toBe(Date.UTC(2023, 11, 26));
    expect(parseHumanDate('| May 6, 2024', { now: NOW, locale: 'en' })).toBe(Date.UTC(2024, 4, 6));
  });

  it('a two-digit year after an apostrophe ("May 6, \'24")', () => {
    expect(parseHumanDate("May 6, '24", { now: NOW, locale: 'en' })).toBe(Date.UTC(2024, 4, 6));
    expect(parseHumanDate('Dec 26, ’98', { now: NOW, locale: 'en' })).toBe(Date.UTC(1998, 11, 26));
  });

  it('"12. April 2010" in English pages too', () => {
    expect(parseHumanDate('12. April 2010', { now: NOW, locale: 'en' })).toBe(Date.UTC(2010, 3, 12));
    expect(parseHumanDate('6. November 2020', { now: NOW, locale: 'de' })).toBe(Date.UTC(2020, 10, 6));
  });

  it('words alone are refused where asked: "now" in a teaser is no date', () => {
    expect(readDate('Let’s try it now', { now: NOW, locale: 'en' })?.ms).toBe(NOW);
    expect(readDate('Let’s try it now', { now: NOW, locale: 'en' }, { wordsAlone: false })).toBeNull();
    expect(readDate('Posted on Fri 08 November 2019 in Python', { now: NOW, locale: 'en' }, { wordsAlone: false })?.ms).toBe(
      Date.UTC(2019, 10, 8),
    );
  });

  it('archive headings: a year, a month in the page’s language or English, both', () => {
    expect(periodOf('2024')).toEqual({ year: 2024 });
    expect(periodOf('2024 (12)')).toEqual({ year: 2024 });
    expect(periodOf('November')).toEqual({ month: 11 });
    expect(periodOf('März 2021', 'de')).toEqual({ year: 2021, month: 3 });
    expect(periodOf('Mar 2021')).toEqual({ year: 2021, month: 3 });
    expect(periodOf('2021-03')).toEqual({ year: 2021, month: 3 });
    expect(periodOf('2021年3月', 'zh')).toEqual({ year: 2021, month: 3 });
    expect(periodOf('Recent posts')).toBeNull();
    expect(periodOf('Top 10 of 2024')).toBeNull();
    expect(periodOf('© 2024 Field Notes')).toBeNull();
  });
});
