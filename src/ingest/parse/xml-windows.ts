// A large XML feed cut into windows as its text arrives: each window is a small document of its
// own, the feed's head (its root element with the namespaces, and the channel's or feed's
// metadata before the first item), some whole items, and the closing tags, so that rss-parser
// reads it like any feed and the items it holds can be stored and let go of before the next
// window is read (src/ingest/large-feed.ts). Items are cut at their end tags outside CDATA
// sections and comments. Linear: the text is scanned once; a section still open at the end of
// the text read so far is searched for from where the search stopped.

type Root = 'rss' | 'feed' | 'rdf';

const CLOSING: Record<Root, string> = { feed: '</feed>', rss: '</channel></rss>', rdf: '</rdf:RDF>' };
const ROOT_END: Record<Root, string> = { feed: '</feed', rss: '</rss', rdf: '</rdf:RDF' };

export type WindowOptions = {
  /** Characters of items a window holds before it is cut (a window holds at least one item). */
  windowChars: number;
  /** Items read, at most: the window with the last of them is the last. */
  maxItems: number;
};

/**
 * Feed it the document's text from its root element on (`push`, then `end`); it answers the
 * windows ready, each a well-formed document when the feed is. `done` once `maxItems` items are
 * cut and it is known whether more follow (`truncated`): nothing more needs to be read.
 */
export class XmlWindows {
  readonly #item: string;
  readonly #endTag: string;
  readonly #root: Root;
  readonly #options: WindowOptions;
  /** The text not yet handed out (after the head is found: from the first item not in a window). */
  #buffer = '';
  /** Text received but not yet joined to the buffer (joined in doubling steps: linear overall). */
  #pending: string[] = [];
  #pendingChars = 0;
  /** Where the scan resumes in the buffer. */
  #at = 0;
  /** A CDATA section or comment open at the end of the buffer: its terminator, searched for from `from`. */
  #open: { close: string; from: number } | null = null;
  #head: string | null = null;
  /** End of the last whole item in the buffer (0: none). */
  #cut = 0;
  /** Items started after the last whole one (a document cut off inside an item has one). */
  #started = 0;
  #items = 0;
  #limit = false;
  done = false;
  truncated = false;

  constructor(root: Root, options: WindowOptions) {
    this.#root = root;
    this.#item = root === 'feed' ? 'entry' : 'item';
    this.#endTag = `</${this.#item}`;
    this.#options = options;
  }

  /** Items cut so far. */
  get items(): number {
    return this.#items;
  }

  /** The head, once found: the text before the first item. */
  get head(): string | null {
    return this.#head;
  }

  /** Adds text; returns the windows it completes. */
  push(text: string): string[] {
    if (this.done || text === '') return [];
    this.#pending.push(text);
    this.#pendingChars += text.length;
    // Joined once the new text is as long as the buffer: each character is copied a few times at most.
    if (this.#pendingChars < Math.max(this.#buffer.length - this.#at, 16 * 1024)) return [];
    return this.#scan(false);
  }

  /**
   * The text has ended: the last windows. The last one ends with the document's own end (its
   * closing tags, or whatever the document was cut off with); `complete` is false when the text
   * ended inside an item or before the closing tags. A document without items is one window, whole.
   */
  end(): { windows: string[]; complete: boolean } {
    const windows = this.#scan(true);
    if (this.done) return { windows, complete: true };
    this.done = true;
    const rest = this.#buffer;
    this.#buffer = '';
    const closed = rest.includes(ROOT_END[this.#root]);
    if (this.#head === null) return { windows: [rest], complete: closed };
    // The rest holds the items not yet in a window, the closing tags, and maybe an item the document was cut off in.
    if (this.#cut > 0 || this.#started > 0) windows.push(this.#head + rest);
    return { windows, complete: closed && this.#started === 0 };
  }

  #join() {
    if (this.#pending.length) {
      this.#buffer += this.#pending.join('');
      this.#pending = [];
      this.#pendingChars = 0;
    }
  }

  #scan(final: boolean): string[] {
    this.#join();
    const windows: string[] = [];
    for (;;) {
      const text = this.#buffer;
      if (this.#open) {
        const close = text.indexOf(this.#open.close, this.#open.from);
        if (close < 0) {
          this.#open.from = Math.max(this.#open.from, text.length - this.#open.close.length + 1);
          break;
        }
        this.#at = close + this.#open.close.length;
        this.#open = null;
      }
      const lt = text.indexOf('<', this.#at);
      if (lt < 0) {
        this.#at = text.length;
        break;
      }
      // Enough text to tell what starts here ("<![CDATA[" is the longest token looked for).
      if (!final && text.length - lt < Math.max(9, this.#endTag.length + 1)) {
        this.#at = lt;
        break;
      }
      if (text.startsWith('<![CDATA[', lt)) {
        this.#open = { close: ']]>', from: lt + 9 };
        continue;
      }
      if (text.startsWith('<!--', lt)) {
        this.#open = { close: '-->', from: lt + 4 };
        continue;
      }
      if (this.#limit) {
        // The items read are all cut: is there another?
        if (text.startsWith(this.#endTag, lt) && isNameEnd(text.charAt(lt + this.#endTag.length))) {
          this.truncated = true;
          this.done = true;
          return windows;
        }
        this.#at = lt + 1;
        continue;
      }
      if (this.#head === null) {
        if (startsElement(text, lt, this.#item)) {
          this.#head = copy(text.slice(0, lt));
          this.#buffer = text.slice(lt);
          this.#at = 1;
          this.#started = 1;
          continue;
        }
      } else if (text.charCodeAt(lt + 1) === 0x2f /* / */) {
        if (text.startsWith(this.#endTag, lt) && isNameEnd(text.charAt(lt + this.#endTag.length))) {
          const gt = text.indexOf('>', lt);
          if (gt < 0) {
            this.#at = lt;
            break;
          }
          this.#cut = gt + 1;
          this.#at = gt + 1;
          this.#started = 0;
          this.#items++;
          if (this.#items === this.#options.maxItems) {
            windows.push(this.#window());
            this.#limit = true;
          } else if (this.#cut >= this.#options.windowChars) windows.push(this.#window());
          continue;
        }
      } else if (startsElement(text, lt, this.#item)) this.#started++;
      this.#at = lt + 1;
    }
    if (this.#limit && this.#at > 0) {
      // Past the last item read, the text is only looked through: what is scanned goes.
      this.#buffer = this.#buffer.slice(this.#at);
      if (this.#open) this.#open.from -= this.#at;
      this.#at = 0;
    }
    return windows;
  }

  /** The whole items in the buffer as a document; the buffer keeps what follows them. */
  #window(): string {
    const cut = this.#cut;
    const window = `${this.#head}${this.#buffer.slice(0, cut)}${CLOSING[this.#root]}`;
    this.#buffer = this.#buffer.slice(cut);
    this.#at -= cut;
    if (this.#open) this.#open.from -= cut;
    this.#cut = 0;
    return window;
  }
}

/** Whether an element named `name` starts at `at` (`<name>`, `<name attr…`, `<name/>`). */
const startsElement = (text: string, at: number, name: string) =>
  text.startsWith(name, at + 1) && isNameEnd(text.charAt(at + 1 + name.length));

const isNameEnd = (c: string) => c === '>' || c === '/' || c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** A copy of a string that holds nothing of the string it was sliced from (V8 keeps the parent of a slice alive). */
const copy = (text: string) => new TextDecoder().decode(new TextEncoder().encode(text));
