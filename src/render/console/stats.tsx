import type { SiteConfig } from '../../config';
import type { DayCount, FeedStats } from '../../stats/summary';
import { ConsolePage, consoleDocument } from './layout';

// Subscriber counts (/admin/stats, and /stats). No script and no external asset: the charts are
// SVG drawn here, styled by the console's style sheet (CONSOLE_STYLE).

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

/** Every counted feed: its latest estimate by reader and its daily chart. `base`: the page's own path. */
export function renderStatsPage(
  config: SiteConfig,
  stats: { feeds: FeedStats[]; days: number; base: string; signOutToken: string },
): string {
  const { feeds, days } = stats;
  const other = days === 30 ? 365 : 30;
  return consoleDocument(
    <ConsolePage config={config} title="Subscribers" signOutToken={stats.signOutToken} current="stats">
      <h1>Subscribers</h1>
      <p class="meta">
        Latest estimate per feed: what aggregators report in their User-Agent, plus distinct direct clients a day. Charts: the last {days}{' '}
        days (UTC), today still counting. <a href={`${stats.base}?days=${other}`}>Show {other} days</a>
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
    </ConsolePage>,
  );
}
