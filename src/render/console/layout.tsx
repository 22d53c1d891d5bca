import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { SiteConfig } from '../../config';
import { PAGE_STYLE, SiteNav } from '../pages/layout';

// The console's pages (/admin, and /stats): the public pages' layout (PAGE_STYLE, the site's
// header and navigation) with the console's navigation and sign-out under it. Links and form
// actions inside the console are root-relative: the session cookie belongs to the host the
// browser signed in on, which may be another spelling of SITE_URL's (127.0.0.1 for localhost).
// The style sheets are allowed by their hashes, and CONSOLE_SCRIPT_PATH by 'self', in the
// console's Content-Security-Policy (src/http/security-headers.ts).

export const CONSOLE_STYLE = `
main,header{max-width:64rem}
header p.console-name{font-weight:600}
.console-bar{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:.25rem 1rem;margin:0 0 .75rem}
nav.console ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0;font-size:.95rem}
nav.console a[aria-current]{color:inherit;font-weight:600;text-decoration:none}
.console-bar form{margin:0}
h2{font-size:1.2rem;margin:1.75rem 0 .5rem}
.field{margin:1rem 0}
.field>label,fieldset>legend,.field>.label{display:block;font-weight:600;margin-bottom:.25rem}
.hint{color:var(--muted);font-size:.85rem;margin:.25rem 0 0}
input[type=text],input[type=url],input[type=password],input[type=search],input[type=datetime-local],input[type=file],select,textarea{font:inherit;font-size:.95rem;width:100%;max-width:100%;padding:.4rem .5rem;color:inherit;background:var(--bg);border:1px solid var(--muted);border-radius:.25rem}
textarea{min-height:5rem;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9rem;line-height:1.5}
textarea.content{min-height:18rem}
button{font:inherit;font-size:.95rem;padding:.4rem .9rem;white-space:nowrap;cursor:pointer;border-radius:.25rem;border:1px solid var(--muted);background:var(--bg);color:inherit}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--bg);font-weight:600}
button.danger{color:#b3261e;border-color:#b3261e}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0}
.actions form{margin:0}
fieldset{border:1px solid var(--rule);border-radius:.25rem;margin:1rem 0;padding:.5rem 1rem 1rem}
.choices label{font-weight:400;margin-right:1.25rem;white-space:nowrap}
.check label{font-weight:400}
.notice{padding:.6rem 1rem;border:1px solid var(--rule);border-left:4px solid var(--accent);border-radius:.25rem;margin:1rem 0}
.notice.error{border-left-color:#b3261e}
.notice p{margin:.25rem 0}
.error-text,p.error{color:#b3261e}
.notice.error ul{margin:.25rem 0;padding-left:1.25rem}
table.list{width:100%;border-collapse:collapse;font-size:.9rem}
table.list th,table.list td{text-align:left;padding:.4rem .75rem .4rem 0;border-bottom:1px solid var(--rule);vertical-align:top}
table.list td.n{text-align:right}
table.list td.address{overflow-wrap:anywhere}
.status{font-size:.8rem;padding:0 .45rem;border:1px solid currentColor;border-radius:1rem;white-space:nowrap}
.status-published{color:#146c2e}
.status-scheduled{color:var(--accent)}
.status-draft{color:var(--muted)}
.status-deleted{color:#b3261e}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
.filters .field{margin:.25rem 0;flex:1 1 10rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem;margin:1rem 0}
.card{border:1px solid var(--rule);border-radius:.5rem;padding:.25rem 1rem .75rem}
.card h2{font-size:1.05rem;margin:.75rem 0 .25rem}
section.preview{border-top:1px solid var(--rule);margin-top:2rem}
section.preview article{overflow-wrap:break-word}
section.preview img,section.preview video{max-width:100%;height:auto}
section.preview audio{width:100%}
.copyable{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.copyable input{flex:1 1 16rem;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
dl.settings>div{padding:.5rem 0;border-bottom:1px solid var(--rule)}
dl.settings dt{font-weight:600}
dl.settings dd{margin:.1rem 0 0}
dl.settings .value{overflow-wrap:anywhere}
.media-thumb{max-width:8rem;max-height:6rem}
code{overflow-wrap:anywhere}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.chart{display:block;width:100%;height:auto;color:var(--accent);margin:.5rem 0 1rem}
.chart text{font-size:11px;fill:var(--muted)}
.chart .axis{stroke:var(--rule)}
table.readers{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
table.readers th,table.readers td{text-align:left;padding:.2rem 1rem .2rem 0;border-bottom:1px solid var(--rule)}
table.readers td.n{text-align:right}
form.signin input[type=password]{max-width:28rem}
.builder{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;align-items:start}
@media (max-width:48rem){.builder{grid-template-columns:minmax(0,1fr)}}
iframe.snapshot{width:100%;height:36rem;border:1px solid var(--rule);border-radius:.25rem;background:#fff}
.builder-results h2{margin-top:0}
ol.found{padding-left:1.5rem;font-size:.9rem}
ol.found li{margin:.25rem 0;overflow-wrap:anywhere}
.found-title{font-weight:600}
fieldset.rule{margin:.75rem 0}
.rule-fields{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:0 .75rem}
.rule-fields .field{margin:.5rem 0 0}
@media (prefers-color-scheme:dark){.error-text,p.error,button.danger,.status-deleted{color:#f2b8b5}button.danger{border-color:#f2b8b5}.notice.error{border-left-color:#f2b8b5}.status-published{color:#8bd5a0}}
`;

/** The console's one script file: the editor's live preview and the Copy buttons (served by src/routes/console/). */
export const CONSOLE_SCRIPT_PATH = '/admin/assets/console.js';

/** Where the console navigation is, for `aria-current`. */
export type ConsolePlace =
  | 'dashboard'
  | 'posts'
  | 'new-post'
  | 'media'
  | 'moves'
  | 'stats'
  | 'sources'
  | 'filters'
  | 'opml'
  | 'webhooks'
  | 'tokens'
  | 'settings'
  | null;

const PLACES: [place: Exclude<ConsolePlace, null>, href: string, name: string][] = [
  ['dashboard', '/admin', 'Dashboard'],
  ['posts', '/admin/posts', 'Posts'],
  ['new-post', '/admin/posts/new', 'New post'],
  ['media', '/admin/media', 'Media'],
  ['moves', '/admin/moves', 'Moves'],
  ['stats', '/admin/stats', 'Subscribers'],
  ['sources', '/admin/sources', 'Sources'],
  ['filters', '/admin/filters', 'Filters'],
  ['opml', '/admin/opml', 'OPML'],
  ['webhooks', '/admin/webhooks', 'Webhooks'],
  ['tokens', '/admin/tokens', 'API tokens'],
  ['settings', '/admin/settings', 'Settings'],
];

/** The signed-in part of the header: the console's navigation and the sign-out button. */
function ConsoleBar(props: { current: ConsolePlace; signOutToken: string }) {
  return (
    <div class="console-bar">
      <nav class="console" aria-label="Console">
        <ul>
          {PLACES.map(([place, href, name]) => (
            <li>
              <a href={href} aria-current={place === props.current ? 'page' : undefined}>
                {name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="post" action="/admin/sign-out">
        <input type="hidden" name="csrf" value={props.signOutToken} />
        <button type="submit">Sign out</button>
      </form>
    </div>
  );
}

export type ConsolePageProps = {
  config: SiteConfig;
  title: string;
  /** Signed in: the sign-out form's token (the console bar is shown); null: the sign-in pages. */
  signOutToken: string | null;
  current?: ConsolePlace;
  /** Load CONSOLE_SCRIPT_PATH (live preview, Copy buttons): only pages that use it do. */
  script?: boolean;
  children: Child;
};

export function ConsolePage(props: ConsolePageProps) {
  return (
    <html lang={props.config.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · Console · ${props.config.title}`}</title>
        <style>{raw(PAGE_STYLE)}</style>
        <style>{raw(CONSOLE_STYLE)}</style>
        {props.script ? <script src={CONSOLE_SCRIPT_PATH} defer /> : null}
      </head>
      <body>
        <header>
          <a class="site" href={`${props.config.url}/`}>
            {props.config.title}
          </a>
          <p class="console-name">Console</p>
          <SiteNav siteUrl={props.config.url} current={null} />
          {props.signOutToken ? <ConsoleBar current={props.current ?? null} signOutToken={props.signOutToken} /> : null}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** A console page as a document. */
export const consoleDocument = (page: Child): string => `<!doctype html>${String(page)}`;
