// src/extract bundled for Node, for the quality harnesses' fast mode (bench/extract-eval.mjs
// --node, bench/list-eval.mjs): the same extraction code as the worker runs, without workerd, so a
// development set of hundreds of pages is scored in a minute or two. Bundled by esbuild (which
// wrangler brings and bundles the worker with) into bench/.build/.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The extraction module (src/extract/index.ts) plus what the harnesses compare it with: Mozilla's
 * Readability alone on the same DOM, read through `plainText` or as its own `textContent`. The
 * source is this checkout's, or the one EXTRACT_SOURCE names (another worktree, to compare two
 * versions on one set).
 */
export async function loadExtract() {
  const root = process.env.EXTRACT_SOURCE ?? here;
  const outfile = join(here, 'bench', '.build', root === here ? 'extract-node.mjs' : 'extract-node-other.mjs');
  await build({
    stdin: {
      contents: `
        export * from './src/extract/index.ts';
        import { Readability } from '@mozilla/readability';
        import { MAX_ELEMENTS, parseHtml } from './src/extract/dom.ts';
        import { plainText } from './src/extract/text.ts';
        export function readabilityText(html, mode) {
          const doc = parseHtml(html);
          const parsed = new Readability(doc, { serializer: (node) => node, maxElemsToParse: MAX_ELEMENTS }).parse();
          const content = parsed?.content ?? null;
          return !content ? '' : mode === 'textContent' ? (content.textContent ?? '') : plainText(content);
        }`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}
