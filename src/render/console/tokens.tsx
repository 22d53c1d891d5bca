import type { SiteConfig } from '../../config';
import type { ApiToken } from '../../db/api-tokens';
import { SCOPES } from '../../http/scopes';
import { ConsolePage, consoleDocument } from './layout';
import { Checkboxes, CodeList, Copyable, described, ErrorSummary, errorOf, Field, type FieldError, Notice, When } from './parts';

// API tokens (/admin/tokens): tokens for scripts and tools that use the admin API, each with the
// scopes it may use (src/http/scopes.ts). A new token is shown once, on the page that answers its
// creation; only its hash is kept.

export type TokenForm = { name: string; scopes: string[] };

const LABELS = { name: 'Name', scopes: 'Scopes' };

export function renderTokensPage(
  config: SiteConfig,
  page: {
    tokens: ApiToken[];
    form: TokenForm;
    errors: FieldError[];
    /** A token just made: shown this once. */
    made: { token: string; name: string } | null;
    notice: string | null;
    token: string;
    signOutToken: string;
  },
): string {
  const { form, errors } = page;
  const nameError = errorOf(errors, 'name');
  const scopesError = errorOf(errors, 'scopes');
  return consoleDocument(
    <ConsolePage config={config} title="API tokens" signOutToken={page.signOutToken} current="tokens" script>
      <h1>API tokens</h1>
      <p>
        Scripts and tools call the admin API (<code>/api/…</code>) with <code>Authorization: Bearer &lt;token&gt;</code>. Give each its own
        token with only the scopes it needs: a token used beyond them gets 403, naming the scope it lacks. ADMIN_TOKEN may do everything.
      </p>
      {page.made ? (
        <Notice>
          <p>
            <strong>Token “{page.made.name}” created. Copy it now: it is shown only this once.</strong> Only its hash is kept; if it is
            lost, revoke it and create another.
          </p>
          <Copyable id="new-token" label="The new token" value={page.made.token} />
        </Notice>
      ) : null}
      {page.notice ? (
        <Notice>
          <p>{page.notice}</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={errors} labels={LABELS} />
      {page.tokens.length === 0 ? (
        <p>No API token exists.</p>
      ) : (
        <div class="scroll">
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scopes</th>
                <th scope="col">Made (UTC)</th>
                <th scope="col">Last used (UTC)</th>
                <th scope="col">
                  <span class="visually-hidden">Revoke</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.tokens.map((t) => (
                <tr>
                  <td>{t.name}</td>
                  <td>
                    <CodeList values={t.scopes} />
                  </td>
                  <td>
                    <When at={t.createdAt} />
                  </td>
                  <td>{t.lastUsedAt ? <When at={t.lastUsedAt} /> : 'never'}</td>
                  <td>
                    <form method="post" action={`/admin/tokens/${t.id}/revoke`}>
                      <input type="hidden" name="csrf" value={page.token} />
                      <button type="submit" class="danger" aria-label={`Revoke the token ${t.name}`}>
                        Revoke
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Create a token</h2>
      <form method="post" action="/admin/tokens">
        <input type="hidden" name="csrf" value={page.token} />
        <Field id="name" label="Name" error={nameError} hint="What uses it, so that you know which to revoke: “deploy script”, “Zapier”.">
          <input id="name" name="name" type="text" required maxlength={100} value={form.name} {...described('name', true, nameError)} />
        </Field>
        <Checkboxes name="scopes" legend="Scopes" options={Object.entries(SCOPES)} checked={form.scopes} error={scopesError}>
          <p class="hint">A write scope allows reading too.</p>
        </Checkboxes>
        <button type="submit" class="primary">
          Create token
        </button>
      </form>
    </ConsolePage>,
  );
}
