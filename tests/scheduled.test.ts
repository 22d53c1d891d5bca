import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { warmSiteFeeds } from '../src/scheduled';
import { get, insertPost } from './helpers';

describe('cron', () => {
  it('renders the site feeds into the cache once a scheduled post has gone live', async () => {
    const now = Date.now();
    await insertPost({
      id: 'urn:uuid:00000000-0000-4000-8000-00000000c201', slug: 'scheduled', title: 'Goes live soon',
      publishedAt: now + 60_000,
    });
    // Before its time the post is in no feed.
    expect(await (await get('/feed.xml')).text()).not.toContain('Goes live soon');

    const ctx = createExecutionContext();
    const rendered = await warmSiteFeeds(env, now + 120_000, ctx);
    await waitOnExecutionContext(ctx);
    expect(rendered).toEqual(['rss', 'atom', 'json']);
    // Nothing changed since: a second run renders nothing.
    expect(await warmSiteFeeds(env, now + 120_000, createExecutionContext())).toEqual([]);
  });

  it('the worker exports a scheduled handler that runs to completion', async () => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/5 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const res = await get('/feed.xml');
    expect(res.headers.get('server-timing')).toMatch(/memory|cache-api/);
  });
});
