import type { SiteConfig } from '../../config';
import { ConsolePage, consoleDocument } from './layout';

/** What the sign-in form posts to, its token, where to go after, and what went wrong last time. */
export type SignInForm = { action: string; csrf: string; next: string | null; error: string | null };

/** The sign-in form: the admin token, posted with its form token. */
export function renderSignInPage(config: SiteConfig, form: SignInForm): string {
  return consoleDocument(
    <ConsolePage config={config} title="Sign in" signOutToken={null}>
      <h1>Sign in</h1>
      {form.error ? (
        <p class="error" role="alert">
          {form.error}
        </p>
      ) : null}
      <form class="signin" method="post" action={form.action}>
        <input type="hidden" name="csrf" value={form.csrf} />
        {form.next ? <input type="hidden" name="next" value={form.next} /> : null}
        <div class="field">
          <label for="token">Admin token</label>
          <input id="token" name="token" type="password" autocomplete="current-password" required aria-describedby="token-hint" />
          <p class="hint" id="token-hint">
            The site's ADMIN_TOKEN: a secret in production (<code>wrangler secret put ADMIN_TOKEN</code>), in <code>.dev.vars</code> under{' '}
            <code>npm run dev</code>.
          </p>
        </div>
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </ConsolePage>,
  );
}

/**
 * A page that only says something (a refusal, a missing post): signed in (with the sign-out form)
 * or not, with a link onwards.
 */
export function renderConsoleMessage(
  config: SiteConfig,
  page: { title: string; message: string; signOutToken: string | null; link?: { href: string; text: string } },
): string {
  return consoleDocument(
    <ConsolePage config={config} title={page.title} signOutToken={page.signOutToken}>
      <h1>{page.title}</h1>
      <p>{page.message}</p>
      {page.link ? (
        <p>
          <a href={page.link.href}>{page.link.text}</a>
        </p>
      ) : null}
    </ConsolePage>,
  );
}
