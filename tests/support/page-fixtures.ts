/// <reference types="vite/client" />
// The hand-written pages of tests/fixtures/pages/, bundled into the test worker as strings
// (workerd has no file system). Each article page NAME.html has its hand-marked body in
// NAME.expected.txt: one paragraph, heading, list item or table row per line (figure captions and
// photo credits are in the content HTML, not in the text).

const raw = import.meta.glob('../fixtures/pages/**/*.{html,txt}', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

const named = (dir: string, ext: string) =>
  Object.fromEntries(
    Object.entries(raw)
      .filter(([path]) => path.startsWith(`../fixtures/pages/${dir}/`) && path.endsWith(ext))
      .map(([path, text]) => [path.slice(`../fixtures/pages/${dir}/`.length, -ext.length), text]),
  );

/** Article pages by name (file name without .html). */
export const ARTICLE_PAGES: Record<string, string> = named('articles', '.html');
/** Hand-marked expected bodies by article name. */
export const EXPECTED_BODIES: Record<string, string> = named('articles', '.expected.txt');
/** List pages by name. */
export const LIST_PAGES: Record<string, string> = named('lists', '.html');

/** The expected body's lines (trailing newline and blank lines ignored). */
export const expectedLines = (name: string): string[] => (EXPECTED_BODIES[name] ?? '').split('\n').filter((l) => l.trim() !== '');
