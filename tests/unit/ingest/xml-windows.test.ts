// The window cutter of large feeds (src/ingest/parse/xml-windows.ts): where it cuts, fed the
// text in pieces of every size; what a refresh stores from its windows is tested in workerd
// (tests/ingest/large-feed.suite.ts).
import { describe, expect, it } from 'vitest';
import { XmlWindows } from '../../../src/ingest/parse/xml-windows';

const HEAD = '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>\n';
const item = (i: number) =>
  `<item><title>${i}</title><description><![CDATA[<p>${i} </item><item> </p>]]></description></item>\n<!-- </item> -->\n`;
const doc = (n: number) => `${HEAD}${Array.from({ length: n }, (_, i) => item(i)).join('')}</channel></rss>\n`;

/** Feeds `text` in pieces of `size` characters; every window, and how the text ended. */
function cut(text: string, size: number, windowChars: number, maxItems = 500, root: 'rss' | 'feed' = 'rss') {
  const windows = new XmlWindows(root, { windowChars, maxItems });
  const out: string[] = [];
  for (let at = 0; at < text.length && !windows.done; at += size) out.push(...windows.push(text.slice(at, at + size)));
  const end = windows.done ? { windows: [], complete: true } : windows.end();
  return { windows: [...out, ...end.windows], complete: end.complete, truncated: windows.truncated, items: windows.items };
}

/** The titles of the items in a window. */
const titles = (window: string) => [...window.matchAll(/<title>(\d+)<\/title>/g)].map((m) => Number(m[1]));

describe('XmlWindows', () => {
  it.each([1, 7, 100, 4096, 1 << 20])('cuts at item end tags only, never in CDATA or comments (pieces of %i)', (size) => {
    const { windows, complete, truncated } = cut(doc(300), size, 2000);
    expect(windows.length).toBeGreaterThan(10);
    expect(complete).toBe(true);
    expect(truncated).toBe(false);
    // Every window is the head, whole items, and the closing tags; together they hold each item once, in order.
    for (const w of windows) {
      expect(w.startsWith(HEAD)).toBe(true);
      expect(w.trimEnd().endsWith('</channel></rss>')).toBe(true);
    }
    expect(windows.flatMap(titles)).toEqual([...Array(300).keys()]);
    expect(windows.join('').split('<![CDATA[').length - 1).toBe(300);
  });

  it('stops at maxItems and says whether more follow', () => {
    const limited = cut(doc(50), 64, 500, 20);
    expect(limited.windows.flatMap(titles)).toEqual([...Array(20).keys()]);
    expect(limited.truncated).toBe(true);
    const exact = cut(doc(20), 64, 500, 20);
    expect(exact.windows.flatMap(titles)).toEqual([...Array(20).keys()]);
    expect(exact.truncated).toBe(false);
  });

  it('a text cut off inside an item ends with that item in the last window, and is not complete', () => {
    const text = doc(10);
    const end = text.indexOf('<item><title>7<') + 30;
    const { windows, complete } = cut(text.slice(0, end), 50, 300);
    expect(complete).toBe(false);
    expect(windows.at(-1)!.endsWith('<item><title>7</title><descrip')).toBe(true);
    expect(windows.flatMap(titles)).toEqual([...Array(8).keys()]);
  });

  it('Atom: entries, and an entry element name that only starts alike is no entry', () => {
    const head = '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entryish>x</entryish>\n';
    const entry = (i: number) => `<entry><title>${i}</title><content type="html"><![CDATA[</entry>]]></content></entry>\n`;
    const text = `${head}${Array.from({ length: 40 }, (_, i) => entry(i)).join('')}</feed>`;
    const { windows, complete } = cut(text, 33, 200, 500, 'feed');
    expect(complete).toBe(true);
    expect(windows[0]!.startsWith(head)).toBe(true);
    expect(windows.flatMap(titles)).toEqual([...Array(40).keys()]);
  });

  it('a document without items is one window, whole', () => {
    const text = `${HEAD}</channel></rss>`;
    expect(cut(text, 10, 100)).toMatchObject({ windows: [text], complete: true });
  });
});
