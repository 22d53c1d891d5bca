import { readFileSync } from 'node:fs';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { unstable_readConfig } from 'wrangler';
import { defineConfig } from 'vitest/config';

// Three projects, one run and one report: `workers`, the suite inside workerd against real local D1;
// `unit`, pure modules timed in Node (tests/unit/); `browser`, pages opened in headless Chromium
// (Node drives it; tests/browser/).
export default defineConfig(async () => ({
  test: {
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: './test-results.json' },
    projects: [
      {
        plugins: [
          cloudflareTest({
            main: './src/index.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                // wrangler.toml's own [vars], so that a developer's .dev.vars (which the pool reads
                // too: a WEBSUB_HUB set there for `npm run dev`) never changes what a test sees.
                ...(unstable_readConfig({ config: './wrangler.toml' }).vars as Record<string, string>),
                ADMIN_TOKEN: 'test-admin-token',
                // Sources in the tests live on the stub server on 127.0.0.1 (tests/setup/upstream.ts).
                ALLOW_LOOPBACK_UPSTREAMS: 'true',
                // Most tests write straight to D1 and read at once: strict stamps (today's behaviour).
                // tests/freshness.test.ts sets a window and checks the contract.
                FEED_FRESHNESS: '0',
                // Applied by tests/setup/database.ts: the real migrations and the real demo content.
                TEST_MIGRATIONS: await readD1Migrations('./migrations'),
                TEST_SEED_SQL: readFileSync('./seed/demo.sql', 'utf8'),
              },
              // Messages go to a queue nobody consumes: a source added through the API asks for its
              // refresh at once (src/ingest/refresh-queue.ts), and a refresh the simulated consumer
              // ran a few seconds later would race each test's own steps. Tests that follow a
              // message hand it to worker.queue() themselves (tests/scheduled.test.ts).
              queueProducers: { REFRESH_QUEUE: { queueName: 'syndicate-refresh-unconsumed' } },
            },
          }),
        ],
        test: {
          name: 'workers',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/browser/**', 'tests/unit/**'],
          // Two cores and workerd per test file: generous limits, so a busy machine is not a failure.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          setupFiles: ['./tests/setup/database.ts'],
          globalSetup: ['./tests/setup/checkers.ts', './tests/setup/upstream.ts'],
        },
      },
      {
        // Pure modules that need Node's clock or nothing of the runtime (tests/unit/).
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 150_000,
        },
      },
    ],
  },
}));
