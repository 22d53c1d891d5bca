import type { SiteConfig } from '../../config';
import type { Move } from '../../db/moves';
import { ConsolePage, consoleDocument } from './layout';
import { described, ErrorSummary, errorOf, Field, type FieldError, Notice, When } from './parts';

// Moved and retired addresses (/admin/moves): the list with a Remove button each, and the form
// that adds one. The same functions as the admin API's /api/moves (src/moves/manage.ts).

export type MoveForm = { from: string; to: string; gone: boolean };

const LABELS = { from: 'From', to: 'To' };

export function renderMovesPage(
  config: SiteConfig,
  page: { moves: Move[]; form: MoveForm; errors: FieldError[]; notice: string | null; token: string; signOutToken: string },
): string {
  const { form, errors } = page;
  const fromError = errorOf(errors, 'from');
  const toError = errorOf(errors, 'to');
  return consoleDocument(
    <ConsolePage config={config} title="Moves" signOutToken={page.signOutToken} current="moves">
      <h1>Moved and retired feeds</h1>
      <p>
        A moved address answers <strong>301</strong> to its new one, and readers follow it (a moved feed of this site also tells podcast
        apps with <code>itunes:new-feed-url</code>). A retired one answers <strong>410 Gone</strong>, with a last item saying where to go,
        so subscribers learn why it stopped.
      </p>
      {page.notice ? (
        <Notice>
          <p>{page.notice}</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={errors} labels={LABELS} />
      {page.moves.length === 0 ? (
        <p>No address is moved or retired.</p>
      ) : (
        <div class="scroll">
          <table class="list">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Answer</th>
                <th scope="col">Since (UTC)</th>
                <th scope="col">
                  <span class="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.moves.map((move) => (
                <tr>
                  <td>
                    <code>{config.url + move.from}</code>
                  </td>
                  <td>
                    {move.gone ? '410 Gone' : '301 to'} {move.to ? <code>{move.to}</code> : null}
                  </td>
                  <td>
                    <When at={move.createdAt} />
                  </td>
                  <td>
                    <form method="post" action={`/admin/moves/${move.id}/remove`}>
                      <input type="hidden" name="csrf" value={page.token} />
                      <button type="submit" aria-label={`Remove the move of ${move.from}`}>
                        Remove
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Move or retire an address</h2>
      <form method="post" action="/admin/moves">
        <input type="hidden" name="csrf" value={page.token} />
        <Field id="from" label="From" error={fromError} hint="A path of this site, such as /tags/old/feed.xml (or its whole address).">
          <input id="from" name="from" type="text" required value={form.from} spellcheck={false} {...described('from', true, fromError)} />
        </Field>
        <Field
          id="to"
          label="To"
          error={toError}
          hint="Where it moved: a path of this site or any address. Retired: where the last item points (empty: the home page)."
        >
          <input id="to" name="to" type="text" value={form.to} spellcheck={false} {...described('to', true, toError)} />
        </Field>
        <div class="field check">
          <label>
            <input type="checkbox" name="gone" value="1" checked={form.gone} /> Retired: answer 410 Gone instead of moving
          </label>
        </div>
        <button type="submit" class="primary">
          Add move
        </button>
      </form>
    </ConsolePage>,
  );
}
