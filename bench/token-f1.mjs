// The article-body measure of scrapinghub/article-extraction-benchmark (its evaluate.py), written
// again in JavaScript so that our figures compare with the ones it publishes: the text is cut into
// tokens (Python's `\w+` over Unicode: runs of letters, digits and underscores, case kept), tokens
// are joined into overlapping 4-grams ("shingles"; a text of fewer than 4 tokens is one shingle),
// and the shingle multisets of the prediction and the marked body give TP, FP and FN, normalized to
// sum 1 so that long pages weigh no more than short ones. Over a dataset, precision and recall
// are the means over pages (precision over pages that predicted something, recall over pages
// with a body) and F1 is their harmonic mean, as evaluate.py reports it.

// Python's \w in Unicode mode is str.isalnum() or "_": the letter (L*) and number (N*) categories.
const TOKEN = /[\p{L}\p{N}_]+/gu;
const N = 4;

/** The shingle counts of a text. */
function shingles(text) {
  const tokens = (text ?? '').match(TOKEN) ?? [];
  const counts = new Map();
  for (let i = 0; i < Math.max(1, tokens.length - N + 1); i++) {
    const shingle = tokens.slice(i, i + N);
    if (shingle.length === 0) continue;
    const key = shingle.join('\u0000');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Normalized [tp, fp, fn] of one page (all 0 when both texts are empty). */
export function tpFpFn(expected, predicted) {
  const want = shingles(expected);
  const got = shingles(predicted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const key of new Set([...want.keys(), ...got.keys()])) {
    const t = want.get(key) ?? 0;
    const p = got.get(key) ?? 0;
    tp += Math.min(t, p);
    fp += Math.max(0, p - t);
    fn += Math.max(0, t - p);
  }
  const sum = tp + fp + fn;
  return sum > 0 ? [tp / sum, fp / sum, fn / sum] : [0, 0, 0];
}

const precisionOf = ([tp, fp, fn]) => (fp === 0 && fn === 0 ? 1 : tp === 0 && fp === 0 ? 0 : tp / (tp + fp));
const recallOf = ([tp, fp, fn]) => (fp === 0 && fn === 0 ? 1 : tp === 0 && fn === 0 ? 0 : tp / (tp + fn));
const f1Of = (p, r) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Precision, recall and F1 of one page. */
export function pageScore(expected, predicted) {
  const counts = tpFpFn(expected, predicted);
  const precision = precisionOf(counts);
  const recall = recallOf(counts);
  return { counts, precision, recall, f1: f1Of(precision, recall) };
}

/**
 * The dataset's figures from its pages' scores: evaluate.py's precision, recall and F1, and the
 * plain mean of the pages' F1 (which punishes a page extracted badly a little more).
 */
export function datasetScore(pages) {
  const precision = mean(pages.filter(({ counts: [tp, fp] }) => tp + fp > 0).map((p) => p.precision));
  const recall = mean(pages.filter(({ counts: [tp, , fn] }) => tp + fn > 0).map((p) => p.recall));
  return { precision, recall, f1: f1Of(precision, recall), meanPageF1: mean(pages.map((p) => p.f1)) };
}
