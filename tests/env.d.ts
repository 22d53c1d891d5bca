import type { D1Migration } from '@cloudflare/vitest-pool-workers';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      TEST_SEED_SQL: string;
    }
  }
}

declare module 'vitest' {
  interface ProvidedContext {
    /** Base URL of the conformance checkers (tests/setup/checkers.ts). */
    checkerUrl: string;
    /** True under CI, where a missing checker fails instead of skipping. */
    checkersRequired: boolean;
    /** Base URL of the stub upstream server (tests/setup/upstream.ts). */
    upstreamUrl: string;
    /** More origins of the same stub (other ports), each with a robots.txt of its own (PUT /robots-config). */
    upstreamOrigins: string[];
  }
}
