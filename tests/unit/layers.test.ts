// The layers hold: each lower layer of src/ imports only from itself and the layers below it, so
// storage never reaches up into ingest, rendering or serving, and view definitions stay pure data
// that every layer may read. (Cycles anywhere in src/ are `npm run check:cycles`.)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/** What each layer may import from src/ (folders, or single modules by their path without extension). */
const ALLOWED: Record<string, string[]> = {
  lib: ['lib'],
  domain: ['domain', 'lib'],
  views: ['views', 'domain', 'lib', 'config'],
  db: ['db', 'views', 'domain', 'lib', 'config'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/** The src/-relative targets of a file's relative imports and re-exports, type-only ones included. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gms)].map((m) =>
    relative(SRC, resolve(dirname(file), m[1]!)),
  );
}

describe('layers', () => {
  it.each(Object.entries(ALLOWED))('src/%s/ imports only from %j', (layer, allowed) => {
    const stray = filesUnder(join(SRC, layer)).flatMap((file) =>
      importsOf(file)
        .filter((target) => !allowed.some((a) => target === a || target.startsWith(`${a}/`)))
        .map((target) => `${relative(SRC, file)} -> ${target}`),
    );
    expect(stray).toEqual([]);
  });
});
