import { parseStringPromise } from 'xml2js';
import { InvalidFieldError } from '../domain/invalid-field-error';
import { isSourceKind, MAX_SOURCE_TAGS, type SourceKind, takesFullText, takesRules } from '../domain/source';
import { type ListRules, listRulesSchema } from '../extract';
import { xmlSafe } from '../html/text';

/** A feed an OPML document lists, and how Syndicate follows it (the syndicate: attributes of an export; see SYNDICATE_OPML_NS). */
export type OpmlFeed = {
  url: string;
  title: string | null;
  tags: string[];
  kind: SourceKind;
  rules: ListRules | null;
  site: boolean;
  fullText: boolean;
  /** Why a syndicate: attribute was not taken. */
  problem: string | null;
};

type OpmlNode = { $?: Record<string, string>; outline?: OpmlNode[] };

/** The syndicate: attributes of an outline, taken where the source's kind takes them (the rest is named in `problem`). */
function followed(attrs: Record<string, string>): Pick<OpmlFeed, 'kind' | 'rules' | 'site' | 'fullText' | 'problem'> {
  const given = attrs['syndicate:kind'];
  const kind: SourceKind = given === 'page' ? 'page' : 'feed';
  let rules: ListRules | null = null;
  let problem: string | null = null;
  if (given !== undefined && !isSourceKind(given)) problem = `syndicate:kind "${given.slice(0, 20)}" is neither feed nor page`;
  if (attrs['syndicate:rules'] !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(attrs['syndicate:rules']);
    } catch {
      parsed = undefined;
    }
    const checked = takesRules(kind) ? listRulesSchema.safeParse(parsed) : null;
    rules = checked?.success ? checked.data : null;
    if (rules === null) {
      problem = takesRules(kind)
        ? 'syndicate:rules are not valid page-source rules; the heuristics are used'
        : 'syndicate:rules apply to page sources only';
    }
  }
  const fullText = attrs['syndicate:fullText'] === 'true' && takesFullText(kind);
  return { kind, rules, site: attrs['syndicate:site'] === 'true', fullText, problem };
}

/**
 * The feeds of an OPML document: every outline with an `xmlUrl`, at any depth. Tags come from
 * the `category` attribute and from the folders the outline sits in (the outermost 20). The walk
 * keeps its own stack, so nesting as deep as the parser accepts costs no call stack. xml2js never
 * fetches or expands external entities.
 * @throws InvalidFieldError naming `body` when the document is not well-formed OPML.
 */
export async function readOpml(xml: string): Promise<{ feeds: OpmlFeed[]; warnings: string[] }> {
  let doc: { opml?: { body?: OpmlNode[] } };
  try {
    doc = (await parseStringPromise(xml.replace(/<!DOCTYPE[^>]*>/i, ''))) as typeof doc;
  } catch (error) {
    throw new InvalidFieldError('body', `is not well-formed XML: ${String(error).split('\n')[0]}`);
  }
  const body = doc?.opml?.body?.[0];
  if (!body || typeof body !== 'object') throw new InvalidFieldError('body', 'is not an OPML document (no <opml><body>)');
  const feeds: OpmlFeed[] = [];
  const warnings: string[] = [];
  const stack: { nodes: OpmlNode[]; next: number; folders: string[] }[] = [{ nodes: body.outline ?? [], next: 0, folders: [] }];
  let deepFolders = false;
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    const node = frame.nodes[frame.next++];
    if (node === undefined) {
      stack.pop();
      continue;
    }
    const attrs = node.$ ?? {};
    // A page source's export names our feed of it as xmlUrl, and the page it follows as syndicate:page.
    const url = attrs.xmlUrl ?? attrs.xmlurl;
    const name = xmlSafe(attrs.title ?? attrs.text ?? '').trim();
    if (url) {
      const categories = xmlSafe(attrs.category ?? '')
        .split(',')
        .map((c) => c.replace(/^\/+|\/+$/g, '').trim())
        .filter(Boolean);
      const how = followed(attrs);
      const page = how.kind === 'page' ? attrs['syndicate:page']?.trim() : undefined;
      feeds.push({ url: page || url.trim(), title: name || null, tags: [...new Set([...frame.folders, ...categories])], ...how });
    }
    if (!node.outline?.length) continue;
    let folders = frame.folders;
    if (!url && name) {
      if (folders.length < MAX_SOURCE_TAGS) folders = [...folders, name];
      else deepFolders = true;
    }
    stack.push({ nodes: node.outline, next: 0, folders });
  }
  if (deepFolders) warnings.push(`folders nested deeper than ${MAX_SOURCE_TAGS} levels give no further tags`);
  return { feeds, warnings };
}
