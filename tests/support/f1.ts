// Token-level F1 of an extracted text against a hand-marked body: the usual measure of boilerplate
// removal (precision: how much of what was kept belongs to the body; recall: how much of the body
// was kept). Tokens are lowercased runs of letters and digits; Chinese and Japanese characters
// count one by one, as those scripts put no spaces between words.

/** The text's tokens. */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}]+/gu) ?? [];
}

/** F1 of the token multisets: 2PR / (P + R); 1 when both are empty. */
export function tokenF1(actual: string, expected: string): { precision: number; recall: number; f1: number } {
  const got = tokens(actual);
  const want = tokens(expected);
  if (got.length === 0 && want.length === 0) return { precision: 1, recall: 1, f1: 1 };
  const counts = new Map<string, number>();
  for (const t of want) counts.set(t, (counts.get(t) ?? 0) + 1);
  let overlap = 0;
  for (const t of got) {
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      overlap += 1;
      counts.set(t, n - 1);
    }
  }
  const precision = got.length ? overlap / got.length : 0;
  const recall = want.length ? overlap / want.length : 0;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}
