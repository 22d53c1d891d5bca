// The D1 binding with its batches dropped: every batch answers as if it wrote nothing, and writes
// nothing, while single statements (the reads of a refresh) run. A refresh stores its items and
// its record in batches, so through this binding it costs what it costs without the store step:
// `npm run bench -- --big-only --big-skip-store` measures the feeds at the cap that way, to tell
// the worker's own memory from local D1's (SQLite runs in workerd's process locally, in D1 in
// production). Only bench/worker.ts uses it.

/** `db` whose batch() writes nothing. */
export function batchlessD1(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'batch') {
        return async (statements: D1PreparedStatement[]) =>
          statements.map(() => ({ success: true, results: [], meta: { changes: 0, duration: 0 } }) as unknown as D1Result);
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
