// Push: subscribing to the own WebSub hub (§5.1, §5.2) and webhooks, in one workerd and one D1, run
// in this order; verifying and distributing (hub-deliver.test.ts, mostly waiting for receivers)
// runs beside them as a file of its own.
// Run one: npx vitest run --project workers tests/push/push.test.ts -t '^<suite> '.
import { describe } from 'vitest';

describe('hub-subscribe', async () => {
  await import('./hub-subscribe.suite');
});
describe('webhooks', async () => {
  await import('./webhooks.suite');
});
