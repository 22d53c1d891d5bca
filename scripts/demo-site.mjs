// The demo publication: the web pages of seed/site/ (a blog's post list in the shape of
// ../shared/seed/site-page.txt, and its article pages, the news article with its "Advertisement"
// lines), served as a plain website would serve them. `npm run dev` serves them on 127.0.0.1 beside
// Syndicate, whose demo page source reads them; the test suite's stub upstream serves the same files.
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEMO_SITE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'seed', 'site');

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.txt': 'text/plain; charset=utf-8' };

/** The file a URL path names under seed/site (a directory's index.html), or null: never outside it. */
export function demoSiteFile(pathname) {
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const file = normalize(join(DEMO_SITE_ROOT, path, path.endsWith('/') ? 'index.html' : ''));
  if (file !== DEMO_SITE_ROOT && !file.startsWith(DEMO_SITE_ROOT + sep)) return null;
  try {
    const stat = statSync(file);
    return stat.isFile() ? file : stat.isDirectory() ? join(file, 'index.html') : null;
  } catch {
    return null;
  }
}

/** Answers one request for the demo site: the page, a redirect to a directory's slash, or a 404. */
export function serveDemoSite(pathname, res) {
  const file = demoSiteFile(pathname);
  if (!file) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  if (!pathname.endsWith('/') && !/\.\w+$/.test(pathname)) return void res.writeHead(301, { location: `${pathname}/` }).end();
  let body;
  try {
    body = readFileSync(file);
  } catch {
    return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }
  const type = TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' }).end(body);
}

/** Serves the demo site on host:port; resolves once it listens. */
export function startDemoSite(port, host = '127.0.0.1') {
  const server = createServer((req, res) => serveDemoSite(new URL(req.url ?? '/', 'http://demo.invalid').pathname, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
