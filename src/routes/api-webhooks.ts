import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env';
import { adminAuth } from '../http/auth';
import { notFound } from '../http/problem';
import { createWebhook, deleteWebhook, enableWebhook, getWebhook, listWebhooks, webhookInput } from '../push/webhooks';
import { limitBody, requireJson } from './admin-middleware';
import { validate, wholeNumber } from './query';

/**
 * The admin API for webhooks (src/push/webhooks.ts, docs/push.md). Every route needs the bearer
 * token. POST answers with the webhook's secret, once; GET shows each webhook's state (and why it
 * was disabled) and its recent deliveries.
 */
export const webhookApi = new Hono<AppEnv>();

webhookApi.use('*', adminAuth());
webhookApi.on(['POST', 'PATCH'], '*', requireJson, limitBody(16 * 1024));

const idParam = validate('param', z.object({ id: wholeNumber(1) }));
const missing = (id: number) => notFound(`No webhook has the id ${id}.`);

webhookApi.get('/', async (c) => c.json({ webhooks: await listWebhooks(c.env) }));

webhookApi.post('/', validate('json', webhookInput.strict()), async (c) => {
  const webhook = await createWebhook(c.env, c.req.valid('json'));
  return c.json(webhook, 201, { location: `/api/webhooks/${webhook.id}` });
});

webhookApi.get('/:id', idParam, async (c) => {
  const { id } = c.req.valid('param');
  const webhook = await getWebhook(c.env, id);
  if (!webhook) throw missing(id);
  return c.json(webhook);
});

/** `{"active": true}` turns a disabled webhook back on. */
webhookApi.patch('/:id', idParam, validate('json', z.strictObject({ active: z.literal(true) })), async (c) => {
  const { id } = c.req.valid('param');
  const webhook = await enableWebhook(c.env, id);
  if (!webhook) throw missing(id);
  return c.json(webhook);
});

webhookApi.delete('/:id', idParam, async (c) => {
  const { id } = c.req.valid('param');
  if (!(await deleteWebhook(c.env, id))) throw missing(id);
  return c.body(null, 204);
});
