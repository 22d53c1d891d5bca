import type { SiteConfig } from '../../config';
import { ConsolePage, consoleDocument } from './layout';
import { bytes, described, ErrorSummary, errorOf, Field, type FieldError, Notice } from './parts';

// OPML in the console (/admin/opml): importing a subscription list as sources, by the same write
// as POST /api/sources/import, and exporting every source as the API's GET /api/sources/export does.

/** What an import did, as the page lists it. */
export type OpmlOutcome = {
  added: { title: string; url: string }[];
  /** Feeds that were sources already: nothing changed for them. */
  existing: string[];
  /** Feeds left out, each with why. */
  refused: { url: string; reason: string }[];
  warnings: string[];
};

const LABELS = { file: 'OPML file' };

function UrlList(props: { urls: { url: string; note?: string }[] }) {
  return (
    <ul>
      {props.urls.map((u) => (
        <li>
          <code>{u.url}</code>
          {u.note ? `: ${u.note}` : null}
        </li>
      ))}
    </ul>
  );
}

function Outcome(props: { outcome: OpmlOutcome }) {
  const { added, existing, refused, warnings } = props.outcome;
  return (
    <section aria-labelledby="outcome">
      <h2 id="outcome">Imported</h2>
      <Notice>
        <p>
          {added.length} added, {existing.length} already followed, {refused.length} refused.
          {added.length ? ' The new sources are fetched in the next minutes.' : null}
        </p>
      </Notice>
      <h3>Added ({added.length})</h3>
      {added.length ? <UrlList urls={added.map((a) => ({ url: a.url, note: a.title }))} /> : <p>None.</p>}
      <h3>Already sources ({existing.length})</h3>
      {existing.length ? <UrlList urls={existing.map((url) => ({ url }))} /> : <p>None.</p>}
      <h3>Refused ({refused.length})</h3>
      {refused.length ? <UrlList urls={refused.map((r) => ({ url: r.url, note: r.reason }))} /> : <p>None.</p>}
      {warnings.length ? (
        <>
          <h3>Taken with changes ({warnings.length})</h3>
          <ul>
            {warnings.map((w) => (
              <li>{w}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

export function renderOpmlPage(
  config: SiteConfig,
  page: { sources: number; maxBytes: number; errors: FieldError[]; outcome: OpmlOutcome | null; token: string; signOutToken: string },
): string {
  const fileError = errorOf(page.errors, 'file');
  return consoleDocument(
    <ConsolePage config={config} title="OPML" signOutToken={page.signOutToken} current="opml">
      <h1>Import and export OPML</h1>
      <p>
        OPML is the list of subscriptions feed readers import and export. Importing one adds each feed it lists as a source (its folders and
        categories become tags); exporting gives every source followed here, in a file that imports back the same.
      </p>
      <ErrorSummary errors={page.errors} labels={LABELS} />
      {page.outcome ? <Outcome outcome={page.outcome} /> : null}
      <h2>Import</h2>
      <form method="post" action="/admin/opml" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value={page.token} />
        <Field
          id="file"
          label="OPML file"
          error={fileError}
          hint={`An .opml or .xml file from a feed reader, up to ${bytes(page.maxBytes)}. Feeds that are sources already are left as they are.`}
        >
          <input
            id="file"
            name="file"
            type="file"
            required
            accept=".opml,.xml,text/x-opml,application/xml,text/xml"
            {...described('file', true, fileError)}
          />
        </Field>
        <button type="submit" class="primary">
          Import
        </button>
      </form>
      <h2>Export</h2>
      <p>
        {page.sources === 1 ? 'The one source' : `The ${page.sources} sources`} followed here, with their tags and how each is followed.
      </p>
      <p>
        <a href="/admin/opml/export" download="sources.opml">
          Export OPML
        </a>
      </p>
    </ConsolePage>,
  );
}
