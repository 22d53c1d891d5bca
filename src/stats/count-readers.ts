import type { MiddlewareHandler } from 'hono';
import { siteConfig } from '../config';
import type { AppEnv } from '../http/app-env';
import { countRead } from './recorder';

const SELF = /<([^>]*)>;\s*rel="self"/;

/**
 * Counts every feed read (a 200 or 304 that names its feed in `Link: <…>; rel="self"`) for the
 * subscriber estimate, after the response is made and without delaying it (src/stats/recorder.ts).
 * The client is its address (CF-Connecting-IP) and User-Agent, hashed with the day's key.
 */
export function countReaders(): MiddlewareHandler<AppEnv> {
  return async function countReaders(c, next) {
    await next();
    if (c.res.status !== 200 && c.res.status !== 304) return;
    const self = SELF.exec(c.res.headers.get('link') ?? '')?.[1];
    const base = siteConfig(c.env).url;
    if (!self?.startsWith(`${base}/`)) return;
    let ctx: Pick<ExecutionContext, 'waitUntil'>;
    try {
      ctx = c.executionCtx;
    } catch {
      return; // No execution context (a direct app.request): nothing can run after the response.
    }
    countRead(c.env.DB, ctx, {
      feed: self.slice(base.length),
      address: c.req.header('cf-connecting-ip') ?? '',
      userAgent: c.req.header('user-agent') ?? '',
      at: Date.now(),
    });
  };
}
