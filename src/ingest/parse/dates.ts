// Lenient dates, as feeds write them: RFC 822 with named or odd zones, ISO 8601, comments such as
// "(CEST)", unix seconds. Date.parse does the reading; this only normalizes what it trips on.

const ZONES: Record<string, string> = {
  UT: '+0000',
  UTC: '+0000',
  GMT: '+0000',
  Z: '+0000',
  WET: '+0000',
  BST: '+0100',
  CET: '+0100',
  MET: '+0100',
  CEST: '+0200',
  MEST: '+0200',
  EET: '+0200',
  EEST: '+0300',
  MSK: '+0300',
  IST: '+0530',
  JST: '+0900',
  KST: '+0900',
  AEST: '+1000',
  AEDT: '+1100',
  NZST: '+1200',
  NZDT: '+1300',
  EST: '-0500',
  EDT: '-0400',
  CST: '-0600',
  CDT: '-0500',
  MST: '-0700',
  MDT: '-0600',
  PST: '-0800',
  PDT: '-0700',
  AKST: '-0900',
  AKDT: '-0800',
  HST: '-1000',
};

/** No feed item is older than the web's first feeds: earlier dates (epoch, year 1) are placeholders. */
const EARLIEST = Date.UTC(1995, 0, 1);

/** Milliseconds since the epoch, or null when the value is missing, unreadable or a placeholder. */
export function parseDate(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  let text = String(value).trim();
  if (text === '') return null;
  if (/^\d{9,10}$/.test(text)) return check(Number(text) * 1000);
  if (/^\d{12,13}$/.test(text)) return check(Number(text));
  text = text
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  text = text.replace(/\b([A-Z]{1,5})$/, (zone) => ZONES[zone] ?? zone);
  // "+25:00" and the like are not zones: refuse rather than guess.
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (offset && (Number(offset[2]) > 14 || Number(offset[3]) > 59)) return null;
  const ms = Date.parse(text);
  // V8 reads "0001" as 2001: a four-digit year that is not the year read is a misreading.
  const year = /(?:^|\D)(\d{4})(?:\D|$)/.exec(text)?.[1];
  if (year !== undefined && Math.abs(new Date(ms).getUTCFullYear() - Number(year)) > 1) return null;
  return check(ms);
}

function check(ms: number): number | null {
  return Number.isFinite(ms) && ms >= EARLIEST && ms <= 8.64e15 ? ms : null;
}
