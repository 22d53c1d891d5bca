// The D1 binding as a reader far from the database sees it: every query (a statement's first,
// all, run or raw, or one batch) waits `delayMs` before it is sent. The bench's `remote` figure
// (bench/run.mjs) serves warm feeds through it; only bench/worker.ts uses it.

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const EXECUTE = new Set(['first', 'all', 'run', 'raw']);

/** The real statement behind each delayed one, for batch(). */
const originals = new WeakMap<object, D1PreparedStatement>();

function delayedStatement(statement: D1PreparedStatement, delayMs: number): D1PreparedStatement {
  const proxy = new Proxy(statement, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === 'bind') return (...values: unknown[]) => delayedStatement(target.bind(...values), delayMs);
      if (typeof prop === 'string' && EXECUTE.has(prop) && typeof value === 'function') {
        return async (...args: unknown[]) => {
          await sleep(delayMs);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  originals.set(proxy, statement);
  return proxy;
}

/** `db` with `delayMs` added to every query. */
export function delayedD1(db: D1Database, delayMs: number): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => delayedStatement(target.prepare(sql), delayMs);
      if (prop === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          await sleep(delayMs);
          return target.batch(statements.map((s) => originals.get(s) ?? s));
        };
      }
      if (prop === 'exec') {
        return async (sql: string) => {
          await sleep(delayMs);
          return target.exec(sql);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
