import type { SiteConfig } from '../../config';
import type { WebhookSummary } from '../../push/webhooks';
import { ConsolePage, consoleDocument } from './layout';
import { Checkboxes, CodeList, Copyable, described, ErrorSummary, errorOf, Field, type FieldError, Notice, When } from './parts';
import { type HubState, HubInUse } from './settings';

// Push in the console (/admin/webhooks): the webhooks (added with their secret shown once, enabled,
// disabled, deleted: the same functions as /api/webhooks) and, read-only, the own WebSub hub's
// subscriptions. See docs/push.md.

export type WebhookForm = { url: string; events: string[]; format: string };

const LABELS = { url: 'Endpoint URL', events: 'Events', format: 'Format' };

const EVENT_NOTES: Record<string, string> = {
  'post.published': 'a post goes live (published now, later, or when its scheduled time comes)',
  'post.updated': 'a live post is edited',
  'post.deleted': 'a live post is deleted, unpublished or moved to the future',
  'source.item_added': 'a refresh stores new items of a source',
};

const FORMAT_NOTES: Record<string, string> = {
  json: 'Standard Webhooks JSON: {type, timestamp, data}',
  jsonfeed: 'a JSON Feed 1.1 document',
};

const ATTEMPT = (w: WebhookSummary) => w.deliveries[0] ?? null;

function LastDelivery(props: { webhook: WebhookSummary }) {
  const last = ATTEMPT(props.webhook);
  if (!last) return <>none yet</>;
  const answer = last.last_status !== null ? `answered ${last.last_status}` : last.last_error ? last.last_error : 'not tried yet';
  return (
    <>
      <code>{last.event}</code> {last.state}, {answer}
      {last.last_attempt_at ? (
        <>
          {' '}
          (<When at={Date.parse(last.last_attempt_at)} />)
        </>
      ) : null}
    </>
  );
}

/** One button in its own form: the webhook's enable, disable or delete. */
function Action(props: { id: number; action: 'enable' | 'disable' | 'delete'; url: string; token: string }) {
  const names = { enable: 'Enable', disable: 'Disable', delete: 'Delete' };
  return (
    <form method="post" action={`/admin/webhooks/${props.id}/${props.action}`}>
      <input type="hidden" name="csrf" value={props.token} />
      <button
        type="submit"
        class={props.action === 'delete' ? 'danger' : undefined}
        aria-label={`${names[props.action]} the webhook to ${props.url}`}
      >
        {names[props.action]}
      </button>
    </form>
  );
}

export function renderWebhooksPage(
  config: SiteConfig,
  page: {
    webhooks: WebhookSummary[];
    events: readonly string[];
    formats: readonly string[];
    hub: HubState;
    form: WebhookForm;
    errors: FieldError[];
    /** A webhook just made, with its secret: shown this once. */
    made: { url: string; secret: string } | null;
    notice: string | null;
    token: string;
    signOutToken: string;
  },
): string {
  const { form, errors } = page;
  const urlError = errorOf(errors, 'url');
  const eventsError = errorOf(errors, 'events');
  return consoleDocument(
    <ConsolePage config={config} title="Webhooks" signOutToken={page.signOutToken} current="webhooks" script>
      <h1>Webhooks</h1>
      <p>
        A webhook is an address of yours that this site sends a signed POST to when something happens: a post goes live, changes or goes, or
        a source gets new items. Each request is signed with the webhook's secret (Standard Webhooks); a failing endpoint is retried for
        about 18 hours, then disabled.
      </p>
      {page.made ? (
        <Notice>
          <p>
            <strong>Webhook to {page.made.url} added. Copy its signing secret now: it is shown only this once.</strong> Your endpoint checks
            each request's <code>webhook-signature</code> with it. If it is lost, delete the webhook and add it again.
          </p>
          <Copyable id="new-secret" label="The signing secret" value={page.made.secret} />
        </Notice>
      ) : null}
      {page.notice ? (
        <Notice>
          <p>{page.notice}</p>
        </Notice>
      ) : null}
      <ErrorSummary errors={errors} labels={LABELS} />
      {page.webhooks.length === 0 ? (
        <p>No webhook yet.</p>
      ) : (
        <div class="scroll">
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Events</th>
                <th scope="col">State and failures</th>
                <th scope="col">Last delivery</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {page.webhooks.map((w) => (
                <tr>
                  <td class="address">
                    <code>{w.url}</code> ({w.format})
                  </td>
                  <td>
                    <CodeList values={w.events} />
                  </td>
                  <td>
                    {w.state === 'active' ? 'enabled' : 'disabled'}, {w.failures === 1 ? '1 failure' : `${w.failures} failures`}
                    {w.disabled_reason ? <p class="hint">{w.disabled_reason}</p> : null}
                  </td>
                  <td>
                    <LastDelivery webhook={w} />
                  </td>
                  <td>
                    <div class="actions">
                      <Action id={w.id} action={w.state === 'active' ? 'disable' : 'enable'} url={w.url} token={page.token} />
                      <Action id={w.id} action="delete" url={w.url} token={page.token} />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.webhooks.some((w) => w.deliveries.length) ? (
        <>
          <h2>Recent deliveries</h2>
          {page.webhooks
            .filter((w) => w.deliveries.length)
            .map((w) => (
              <div class="scroll">
                <table class="list">
                  <caption>
                    To <code>{w.url}</code>, newest first
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Event</th>
                      <th scope="col">State</th>
                      <th scope="col">Attempts</th>
                      <th scope="col">Last answer</th>
                      <th scope="col">Last attempt</th>
                    </tr>
                  </thead>
                  <tbody>
                    {w.deliveries.map((d) => (
                      <tr>
                        <td>
                          <code>{d.event}</code>
                        </td>
                        <td>{d.state}</td>
                        <td>{d.attempts}</td>
                        <td>{d.last_status !== null ? `HTTP ${d.last_status}` : (d.last_error ?? 'not tried yet')}</td>
                        <td>{d.last_attempt_at ? <When at={Date.parse(d.last_attempt_at)} /> : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
        </>
      ) : null}
      <h2>Add a webhook</h2>
      <form method="post" action="/admin/webhooks">
        <input type="hidden" name="csrf" value={page.token} />
        <Field id="url" label="Endpoint URL" error={urlError} hint="An https address of yours that answers 2xx within 10 seconds.">
          <input id="url" name="url" type="url" required maxlength={2048} value={form.url} {...described('url', true, urlError)} />
        </Field>
        <Checkboxes
          name="events"
          legend="Events"
          options={page.events.map((event) => [event, EVENT_NOTES[event] ?? ''])}
          checked={form.events}
          error={eventsError}
        />
        <fieldset id="format">
          <legend>Format</legend>
          {page.formats.map((format) => (
            <div class="check">
              <label>
                <input type="radio" name="format" value={format} checked={form.format === format} /> <code>{format}</code>:{' '}
                {FORMAT_NOTES[format] ?? ''}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="primary">
          Add webhook
        </button>
      </form>
      <h2>WebSub hub subscriptions</h2>
      <HubInUse config={config} hub={page.hub} />
    </ConsolePage>,
  );
}
