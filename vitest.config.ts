import { readFileSync } from 'node:fs';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { unstable_readConfig } from 'wrangler';
import { defineConfig } from 'vitest/config';
import AreaSequencer from './tests/setup/sequencer';

// Two tiers, each one run and one report.
// `npm test` (vitest run): every area, quickly. Project `workers`: the suite inside workerd against
// real local D1, one file per area (tests/<area>/<area>.test.ts runs the area's *.suite.ts files
// in one runtime); project `unit`: pure modules in Node (tests/unit/<area>/), those whose runtime
// matters run again in workerd (tests/unit/workerd.worker.test.ts).
// `npm run test:full` (vitest run --mode full): what the fast tier leaves out, the long corpora
// (*.full.test.ts) and `browser`, pages opened in headless Chromium (tests/browser/). CI runs both.
export default defineConfig(async ({ mode }) => {
  const full = mode === 'full';
  // A tier's files: the long ones in the full tier, every other one in the fast tier.
  const tier = (pattern: string) => (full ? pattern.replace(/\.test\.ts$/, '.full.test.ts') : pattern);
  const otherTier = full ? [] : ['**/*.full.test.ts'];
  return {
    test: {
      reporters: process.env.CI ? ['default', 'json'] : ['default'],
      outputFile: { json: full ? './test-results-full.json' : './test-results.json' },
      // Test files run side by side; each workerd file has a runtime and a D1 of its own. Four on two
      // cores: the two push files spend most of their time waiting for the queue and their receivers,
      // and two more keep both cores busy meanwhile.
      maxWorkers: 4,
      // The long files first, on a first run too (tests/setup/sequencer.ts).
      sequence: { sequencer: AreaSequencer },
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
                  // tests/publish/freshness.suite.ts sets a window and checks the contract.
                  FEED_FRESHNESS: '0',
                  // Applied by tests/setup/database.ts: the real migrations and the real demo content.
                  TEST_MIGRATIONS: await readD1Migrations('./migrations'),
                  TEST_SEED_SQL: readFileSync('./seed/demo.sql', 'utf8'),
                },
                // Messages go to a queue nobody consumes: a source added through the API asks for its
                // refresh at once (src/ingest/refresh-queue.ts), and a refresh the simulated consumer
                // ran a few seconds later would race each test's own steps. Tests that follow a
                // message hand it to worker.queue() themselves (tests/aggregate/scheduled.suite.ts).
                queueProducers: { REFRESH_QUEUE: { queueName: 'syndicate-refresh-unconsumed' } },
                // The push queue as wrangler.toml has it, but a batch leaves at once instead of waiting
                // a second for company: the push tests follow each message through the real consumer,
                // step by step (a crowd that must share a batch is handed to the consumer together).
                queueConsumers: { 'syndicate-push': { maxBatchSize: 10, maxBatchTimeout: 0 } },
              },
            }),
          ],
          test: {
            name: 'workers',
            include: [tier('tests/**/*.test.ts')],
            // tests/unit/ runs in Node, but for its *.worker.test.ts re-runs.
            exclude: ['tests/unit/**/!(*.worker).test.ts', 'tests/browser/**', ...otherTier],
            // Each file loads the app into a fresh workerd: its dependencies bundled once (by Vite's
            // optimizer) load in a few requests instead of hundreds of modules each.
            deps: { optimizer: { ssr: { enabled: true, include: WORKER_DEPENDENCIES } } },
            // Two cores and workerd per test file: generous limits, so a busy machine is not a failure.
            testTimeout: 30_000,
            hookTimeout: 60_000,
            setupFiles: ['./tests/setup/database.ts'],
            globalSetup: ['./tests/setup/checkers.ts', './tests/setup/upstream.ts'],
          },
        },
        {
          // Pure modules: parsing, extraction, rendering, sanitizing, dates (tests/unit/).
          test: {
            name: 'unit',
            include: [tier('tests/unit/**/*.test.ts')],
            exclude: ['**/*.worker.test.ts', ...otherTier],
            environment: 'node',
            // The Workers runtime's time zone.
            env: { TZ: 'UTC' },
            testTimeout: 120_000,
            // The corpus files come byte for byte from the stub, in Node as in workerd.
            globalSetup: ['./tests/setup/checkers.ts', './tests/setup/upstream.ts'],
          },
        },
        ...(full
          ? [
              {
                test: {
                  name: 'browser',
                  include: ['tests/browser/**/*.test.ts'],
                  environment: 'node',
                  testTimeout: 60_000,
                  hookTimeout: 300_000,
                },
              },
            ]
          : []),
      ],
    },
  };
});

/**
 * The app's dependencies bundled for workerd: each is imported by its root only and shares no
 * classes with the app. Not hono (its subpaths, such as hono/http-exception, would get copies of
 * its classes), nor feed, rss-parser and xml2js (they need Node's stream at bundle time).
 */
const WORKER_DEPENDENCIES = [
  '@mozilla/readability',
  '@sindresorhus/transliterate',
  'chrono-node',
  'entities',
  'htmlparser2',
  'ipaddr.js',
  'linkedom',
  'marked',
  'parse5',
  're2js',
  'robots-parser',
  'uuid',
  'zod',
];
