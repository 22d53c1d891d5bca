import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { SiteConfig } from '../../config';
import type { DayCount, FeedStats } from '../../stats/summary';
import { PAGE_STYLE, SiteNav } from './layout';

// The admin pages of subscriber counts (/stats). No script and no external asset: the charts are
// SVG drawn here, styled by PAGE_STYLE and STATS_STYLE, both allowed by their hashes in the
// Content-Security-Policy (src/http/security-headers.ts).
export const STATS_STYLE = `
.chart{display:block;width:100%;height:auto;color:var(--accent);margin:.5rem 0 1rem}
.chart text{font-size:11px;fill:var(--muted)}
.chart .axis{stroke:var(--rule)}
table.readers{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
table.readers th,table.readers td{text-align:left;padding:.2rem 1rem .2rem 0;border-bottom:1px solid var(--rule)}
table.readers td.n{text-align:right}
form.signout{float:right;margin-top:-2.5rem}
form.signin label{display:block;margin:1rem 0 .25rem}
form.signin input[type=password]{width:100%;max-width:28rem;font:inherit;padding:.4rem}
button{font:inherit;margin-top:.75rem}
p.error{color:#b3261e}
@media (prefers-color-scheme:dark){p.error{color:#f2b8b5}}
`;

function AdminPage(props: { config: SiteConfig; title: string; header?: Child; children: Child }) {
  return (
    <html lang={props.config.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <style>{raw(PAGE_STYLE)}</style>
        <style>{raw(STATS_STYLE)}</style>
      </head>
      <body>
        <header>
          <a class="site" href={`${props.config.url}/`}>
            {props.config.title}
          </a>
          <p>{props.title}</p>
          {props.header}
          <SiteNav siteUrl={props.config.url} current={null} />
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** The sign-in form: the admin token, posted with its form token. */
export function renderSignInPage(config: SiteConfig, formToken: string, error: string | null): string {
  const page = (
    <AdminPage config={config} title="Subscribers: sign in">
      <h1>Sign in</h1>
      {error ? <p class="error">{error}</p> : null}
      <form class="signin" method="post" action="/stats/sign-in">
        <input type="hidden" name="csrf" value={formToken} />
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
    </AdminPage>
  );
  return `<!doctype html>${page.toString()}`;
}

const WIDTH = 640;
const HEIGHT = 150;
const PAD = { left: 40, right: 4, top: 8, bottom: 20 };

/** Daily subscribers as stacked bars: reported by aggregators (solid) and direct clients (light). */
export function Chart(props: { daily: DayCount[]; label: string }) {
  const max = Math.max(1, ...props.daily.map((d) => d.subscribers));
  const plot = HEIGHT - PAD.top - PAD.bottom;
  const step = (WIDTH - PAD.left - PAD.right) / Math.max(1, props.daily.length);
  const y = (n: number) => HEIGHT - PAD.bottom - (n / max) * plot;
  const round = (n: number) => Math.round(n * 10) / 10;
  const first = props.daily[0]?.date ?? '';
  const last = props.daily.at(-1)?.date ?? '';
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.label} xmlns="http://www.w3.org/2000/svg">
      <title>{props.label}</title>
      <line class="axis" x1={PAD.left} y1={HEIGHT - PAD.bottom} x2={WIDTH - PAD.right} y2={HEIGHT - PAD.bottom} />
      <text x={PAD.left - 6} y={PAD.top + 9} text-anchor="end">
        {max}
      </text>
      <text x={PAD.left - 6} y={HEIGHT - PAD.bottom} text-anchor="end">
        0
      </text>
      {props.daily.map((d, i) => {
        const x = round(PAD.left + i * step + 1);
        const width = round(Math.max(1, step - 2));
        return (
          <g>
            <title>{`${d.date}: ${d.subscribers} (${d.reported} reported, ${d.direct} direct)`}</title>
            <rect x={x} y={round(y(d.reported))} width={width} height={round(HEIGHT - PAD.bottom - y(d.reported))} fill="currentColor" />
            <rect
              x={x}
              y={round(y(d.subscribers))}
              width={width}
              height={round(y(d.reported) - y(d.subscribers))}
              fill="currentColor"
              fill-opacity="0.45"
            />
          </g>
        );
      })}
      <text x={PAD.left} y={HEIGHT - 4}>
        {first}
      </text>
      <text x={WIDTH - PAD.right} y={HEIGHT - 4} text-anchor="end">
        {last}
      </text>
    </svg>
  );
}

/** Every counted feed: its latest estimate by reader and its daily chart. */
export function renderStatsPage(config: SiteConfig, feeds: FeedStats[], days: number, signOutToken: string): string {
  const signOut = (
    <form class="signout" method="post" action="/stats/sign-out">
      <input type="hidden" name="csrf" value={signOutToken} />
      <button type="submit">Sign out</button>
    </form>
  );
  const page = (
    <AdminPage config={config} title="Subscribers" header={signOut}>
      <h1>Subscribers</h1>
      <p class="meta">
        Latest estimate per feed: what aggregators report in their User-Agent, plus distinct direct clients a day. Charts: the last {days}{' '}
        days (UTC), today still counting. <a href={`?days=${days === 30 ? 365 : 30}`}>Show {days === 30 ? 365 : 30} days</a>
      </p>
      {feeds.length === 0 ? <p>No feed has been read yet.</p> : null}
      {feeds.map((feed) => (
        <section>
          <h2>
            <a href={feed.url}>{feed.url}</a>: {feed.subscribers}
          </h2>
          <div class="scroll">
            <table class="readers">
              <thead>
                <tr>
                  <th>reader</th>
                  <th>how</th>
                  <th>subscribers</th>
                </tr>
              </thead>
              <tbody>
                {feed.readers.map((r) => (
                  <tr>
                    <td>{r.name}</td>
                    <td>{r.kind === 'reported' ? 'reported' : 'direct clients'}</td>
                    <td class="n">{r.subscribers}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Chart daily={feed.daily} label={`Daily subscribers of ${feed.url}`} />
        </section>
      ))}
    </AdminPage>
  );
  return `<!doctype html>${page.toString()}`;
}
