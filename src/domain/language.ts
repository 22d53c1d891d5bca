/**
 * A language tag (BCP 47) in its canonical form (`en`, `de-AT`, `zh-Hant-TW`), or null for
 * anything that is not one. Intl.getCanonicalLocales checks the syntax and fixes the case; the
 * primary subtag must be two or three letters (an ISO 639 code: what RSS `language`, `xml:lang`
 * and JSON Feed's `language` expect). Upstream values such as `en_US` or `EN-us` are accepted.
 */
export function canonicalLanguage(value: string | null | undefined): string | null {
  const trimmed = value?.trim().replace(/_/g, '-');
  if (!trimmed || trimmed.length > 35 || !/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(trimmed)) return null;
  try {
    return Intl.getCanonicalLocales(trimmed)[0] ?? null;
  } catch {
    return null;
  }
}
