import type { Context } from 'hono';

/**
 * The request's execution context, for work that runs after the response (`waitUntil`); null when
 * there is none (a direct `app.request` without one): then nothing can run after the response.
 */
export function backgroundOf(c: Context): Pick<ExecutionContext, 'waitUntil'> | null {
  try {
    return c.executionCtx;
  } catch {
    return null;
  }
}
