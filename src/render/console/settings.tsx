import type { SiteConfig } from '../../config';
import type { HubSubscriptionSummary } from '../../push/hub-subscriptions';
import { ConsolePage, consoleDocument } from './layout';
import { When } from './parts';

// The site's settings with where each is set (/admin/settings), read-only.

/** One setting as the settings page shows it: its value in words, and where it is set. */
export type SettingRow = { name: string; value: string; what: string; where: 'vars' | 'secret' | 'binding' };

const WHERE = {
  vars: (
    <>
      <code>wrangler.toml</code> <code>[vars]</code>; under <code>npm run dev</code> a line in <code>.dev.vars</code> wins
    </>
  ),
  secret: (
    <>
      a secret: <code>wrangler secret put</code>; under <code>npm run dev</code>, <code>.dev.vars</code>
    </>
  ),
  binding: (
    <>
      a binding in <code>wrangler.toml</code>
    </>
  ),
};

/** The hub in use: the site's own (with its live subscriptions), or WEBSUB_HUB. */
export type HubState = { own: boolean; subscriptions: HubSubscriptionSummary[] };

export function HubInUse(props: { config: SiteConfig; hub: HubState }) {
  const { config, hub } = props;
  if (!hub.own) {
    return (
      <p>
        <code>{config.hub}</code> (WEBSUB_HUB): every feed advertises it, and every change to a feed is announced to it, so subscribed
        readers get new posts within seconds. The site's own hub is off.
      </p>
    );
  }
  return (
    <>
      <p>
        The site's own hub, <code>{config.hub}</code>: every feed advertises it, and it sends each new version of a feed to its subscribers
        itself (WEBSUB_HUB is empty). {hub.subscriptions.length === 0 ? 'Nobody subscribes yet.' : null}
      </p>
      {hub.subscriptions.length ? (
        <div class="scroll">
          <table class="list">
            <caption class="visually-hidden">The own hub's live subscriptions</caption>
            <thead>
              <tr>
                <th scope="col">Feed</th>
                <th scope="col">Subscriber</th>
                <th scope="col">Deliveries</th>
                <th scope="col">Last answer</th>
                <th scope="col">Lease ends (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {hub.subscriptions.map((s) => (
                <tr>
                  <td class="address">
                    <code>{s.topic}</code>
                  </td>
                  <td class="address">
                    <code>{s.callback}</code>
                    {s.signed ? ' (signed)' : null}
                  </td>
                  <td class="n">
                    {s.delivered}
                    {s.failures ? `, ${s.failures} failed` : null}
                  </td>
                  <td>{s.last_status ?? (s.last_error ? s.last_error : '—')}</td>
                  <td>
                    <When at={Date.parse(s.expires_at)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

export function renderSettingsPage(config: SiteConfig, page: { settings: SettingRow[]; hub: HubState; signOutToken: string }): string {
  return consoleDocument(
    <ConsolePage config={config} title="Settings" signOutToken={page.signOutToken} current="settings">
      <h1>Settings</h1>
      <p>
        What this site runs with. They are read-only here: each is set where its row says, and takes effect when the Worker is deployed
        again (<code>npm run deploy</code>) or <code>npm run dev</code> restarts.
      </p>
      <h2>WebSub hub</h2>
      <HubInUse config={config} hub={page.hub} />
      <h2>Every setting</h2>
      <dl class="settings">
        {page.settings.map((s) => (
          <div>
            <dt>
              <code>{s.name}</code>
            </dt>
            <dd>{s.value === '' ? <span class="meta">(empty)</span> : <span class="value">{s.value}</span>}</dd>
            <dd class="meta">
              {s.what} Set in {WHERE[s.where]}.
            </dd>
          </div>
        ))}
      </dl>
    </ConsolePage>,
  );
}
