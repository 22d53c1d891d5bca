import { type Context, Hono } from 'hono';
import { isOwnHub, siteConfig } from '../../config';
import type { AppEnv } from '../../http/app-env';
import { notFound, ProblemError } from '../../http/problem';
import { parsedBody } from '../../http/validation';
import { listHubSubscriptions } from '../../push/hub-subscriptions';
import { WEBHOOK_EVENTS, WEBHOOK_FORMATS } from '../../push/webhook-payloads';
import { createWebhook, deleteWebhook, disableWebhook, enableWebhook, listWebhooks, webhookInput } from '../../push/webhooks';
import type { FieldError } from '../../render/console/parts';
import { renderWebhooksPage, type WebhookForm } from '../../render/console/webhooks';
import { field, fields, postedForm, tokenFor } from './forms';

/**
 * Webhooks in the console: listed with their last delivery, added (the secret shown once),
 * enabled, disabled and deleted through the same functions as /api/webhooks (src/push/webhooks.ts);
 * the own hub's subscriptions beside them, read-only.
 */
export const webhookPages = new Hono<AppEnv>();

type Extra = { form?: WebhookForm; errors?: FieldError[]; made?: { url: string; secret: string }; notice?: string | null };

async function page(c: Context<AppEnv>, extra: Extra): Promise<string> {
  const config = siteConfig(c.env);
  const own = isOwnHub(config);
  const [webhooks, subscriptions, token, signOutToken] = await Promise.all([
    listWebhooks(c.env),
    own ? listHubSubscriptions(c.env) : [],
    tokenFor(c, 'webhook'),
    tokenFor(c, 'sign-out'),
  ]);
  return renderWebhooksPage(config, {
    webhooks,
    events: WEBHOOK_EVENTS,
    formats: WEBHOOK_FORMATS,
    hub: { own, subscriptions },
    form: extra.form ?? { url: '', events: [], format: 'json' },
    errors: extra.errors ?? [],
    made: extra.made ?? null,
    notice: extra.notice ?? null,
    token,
    signOutToken,
  });
}

const NOTICES: Record<string, string> = {
  enabled: 'The webhook is enabled: it gets the next events.',
  disabled: 'The webhook is disabled: it gets no events, and its queued deliveries are dropped, until it is enabled again.',
  deleted: 'The webhook is deleted, with its deliveries.',
};

webhookPages.get('/', async (c) => c.html(await page(c, { notice: NOTICES[c.req.query('done') ?? ''] ?? null })));

/** Adds a webhook and answers with the page that shows its secret, the only time it is shown (no redirect). */
webhookPages.post('/', async (c) => {
  const posted = await postedForm(c, 'webhook');
  const form: WebhookForm = {
    url: field(posted, 'url').trim(),
    events: fields(posted, 'events'),
    format: field(posted, 'format') || 'json',
  };
  try {
    // Checked as the API checks its body: each problem named in plain words, on its field.
    const made = await createWebhook(c.env, parsedBody(webhookInput, form));
    return c.html(await page(c, { made: { url: made.url, secret: made.secret } }));
  } catch (error) {
    if (!(error instanceof ProblemError) || (error.status !== 400 && error.status !== 409)) throw error;
    // Each error on the control it is about (`events.0` is the events' fieldset).
    const errors = (error.problem.errors ?? [{ field: 'url', message: error.problem.detail ?? error.message }]).map((e) => ({
      field: e.field.split(/[.[]/)[0]!,
      message: e.message,
    }));
    return c.html(await page(c, { form, errors }), error.status);
  }
});

const ACTIONS = { enable: enableWebhook, disable: disableWebhook } as const;

for (const [action, change] of Object.entries(ACTIONS)) {
  webhookPages.post(`/:id{[0-9]+}/${action}`, async (c) => {
    await postedForm(c, 'webhook');
    if (!(await change(c.env, Number(c.req.param('id'))))) throw notFound('No such webhook: it may have been deleted.');
    return c.redirect(`/admin/webhooks?done=${action}d`, 303);
  });
}

webhookPages.post('/:id{[0-9]+}/delete', async (c) => {
  await postedForm(c, 'webhook');
  if (!(await deleteWebhook(c.env, Number(c.req.param('id'))))) throw notFound('No such webhook: it may have been deleted already.');
  return c.redirect('/admin/webhooks?done=deleted', 303);
});
