// The demo as a browser reaches it: Syndicate served by `wrangler dev` (workerd, a local D1
// migrated and loaded with seed/demo.sql in a temporary directory), and Debian's headless
// Chromium driven by playwright-core. Shared by the browser tests; each file starts its own.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const root = join(import.meta.dirname, '..', '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
/** The admin token of the demo server: long enough to be accepted, so /stats shows its sign-in form. */
export const ADMIN_TOKEN = 'browser-tests-admin-token-0123456789abcdef';

const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/**
 * Beside the demo's own posts: one upstream source with one item, so that a source page and the
 * planet have something to show (paused: `wrangler dev` runs no cron, and nothing should fetch
 * it), and a post with an image and image, audio and video enclosures, as data: URLs so that the
 * page loads nothing from the network.
 */
const EXTRA_SQL = `
INSERT INTO sources (id, url, title, site_url, state, paused_reason, item_count, created_at, updated_at)
  VALUES (1, 'https://upstream.example/feed.xml', 'Upstream Example', 'https://upstream.example/', 'paused', 'demo source', 1, 0, 0);
INSERT INTO entries (id, source_id, item_key, title, summary, content_html, url, published_at, updated_at)
  VALUES ('urn:uuid:00000000-0000-4000-8000-0000000b0001', 1, 'https://upstream.example/posts/1', 'An upstream post',
    '<p>An item of the demo source.</p>', '<p>An item of the demo source.</p>', 'https://upstream.example/posts/1', 1604500000000, 1604500000000);
INSERT INTO entries (id, slug, title, summary, content_html, published_at, updated_at, image, enclosures)
  VALUES ('urn:uuid:00000000-0000-4000-8000-0000000b0002', 'a-post-with-media', 'A post with media',
    '<p>A post with an image, a picture, a recording and a clip.</p>', '<p>The body of the post.</p>', 1500000000000, 1500000000000,
    '${PIXEL}', '${JSON.stringify([
      { url: PIXEL, type: 'image/png', length: 68 },
      { url: 'data:audio/mpeg;base64,AAAA', type: 'audio/mpeg', length: 3 },
      { url: 'data:video/mp4;base64,AAAA', type: 'video/mp4', length: 3 },
    ])}');
INSERT INTO entry_authors (entry_id, position, slug, name) VALUES ('urn:uuid:00000000-0000-4000-8000-0000000b0002', 0, 'blog-team', 'Blog Team');
`;

export type Demo = { origin: string; browser: Browser; stop: () => Promise<void> };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts the demo and the browser, or answers null where Chromium is not installed (outside CI).
 * `vars`: more settings for the worker (ALLOW_LOOPBACK_UPSTREAMS, for a test serving pages on 127.0.0.1).
 */
export async function startDemo(vars: Record<string, string> = {}): Promise<Demo | null> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(`${CHROMIUM} is missing: run \`npm run checkers:install\` (Debian: chromium)`);
    return null;
  }
  // Browser test files start their servers side by side on a busy machine: a start that fails
  // (a port taken between the check and the bind) gets one more try before the file fails.
  try {
    return await startOnce(vars);
  } catch (first) {
    console.warn(`demo server: first start failed, trying again: ${(first as Error).message}`);
    return await startOnce(vars);
  }
}

async function startOnce(vars: Record<string, string>): Promise<Demo> {
  const state = mkdtempSync(join(tmpdir(), 'syndicate-browser-'));
  const log = join(state, 'wrangler-dev.log');
  let server: ChildProcess | undefined;
  let exited: string | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    try {
      if (server?.pid && exited === undefined) process.kill(-server.pid, 'SIGTERM');
    } catch (error) {
      // Already gone: nothing to stop.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    rmSync(state, { recursive: true, force: true });
  };
  const logTail = () => {
    try {
      return readFileSync(log, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '(no log)';
    }
  };
  try {
    const d1 = (...args: string[]) =>
      execFileSync(wrangler, ['d1', ...args, 'DB', '--local', '--persist-to', state], { cwd: root, env, stdio: 'ignore' });
    d1('migrations', 'apply');
    d1('execute', '--file', join('seed', 'demo.sql'));
    d1('execute', '--command', EXTRA_SQL);
    const port = await freePort();
    const inspectorPort = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const out = openSync(log, 'a');
    server = spawn(
      wrangler,
      [
        'dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        // Its own devtools port: two servers starting at once would both pick the default.
        '--inspector-port',
        String(inspectorPort),
        '--persist-to',
        state,
        '--var',
        `SITE_URL:${origin}`,
        '--var',
        `ADMIN_TOKEN:${ADMIN_TOKEN}`,
        ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
        '--show-interactive-dev-session=false',
      ],
      { cwd: root, env, stdio: ['ignore', out, out], detached: true },
    );
    server.once('exit', (code, signal) => {
      exited = `exit ${code ?? signal}`;
    });
    for (let i = 0; ; i++) {
      if (exited) throw new Error(`wrangler dev stopped (${exited}):\n${logTail()}`);
      try {
        if ((await fetch(`${origin}/feed.xml`)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 240) throw new Error(`wrangler dev did not answer within 120 s:\n${logTail()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    return { origin, browser, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
