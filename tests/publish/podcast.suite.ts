// Podcast feeds: which feeds are podcasts (own-post feeds with audio anywhere in their history,
// the same for every document of the feed), the complete show Apple Podcasts requires or no
// iTunes tags at all, upstream shows never dressed as the site's, and itunes:new-feed-url only
// where the W3C validator accepts it.
import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import { app } from '../../src/app';
import { AUTH, check, insertPost, SITE } from '../support/worker';

const SHOW_IMAGE = 'https://cdn.example/show.jpg';
/** The settings a complete show needs (the shipped defaults have no image). */
const show = { ...env, PODCAST_IMAGE: SHOW_IMAGE, PODCAST_OWNER_NAME: 'Show Owner' } as Env;
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
const read = async (path: string, settings: Env = show) => (await app.request(`${SITE}${path}`, {}, settings, ctx)).text();
const request = (path: string, init: RequestInit) => app.request(`${SITE}${path}`, init, show, ctx);

const DAY = 86_400_000;
const BASE = Date.UTC(2019, 0, 1);
const AUDIO = { url: 'https://cdn.example/ep.mp3', type: 'audio/mpeg', length: 1234 };

/** The channel, without its items. */
const channel = (rss: string) => rss.replace(/<item>[\s\S]*<\/item>/, '');

describe('which feeds are podcasts', () => {
  it('the subscription document, ?limit and every archive page agree, whatever page holds the audio', async () => {
    // 61 posts: only the oldest carries audio; it lives in archive page 1, never in the current document.
    for (let i = 0; i < 61; i++) {
      await insertPost({
        id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        slug: `long-show-${i}`,
        title: `Long show ${i}`,
        publishedAt: BASE + i * DAY,
        tags: [['long-show', 'Long show']],
        enclosures: i === 0 ? [AUDIO] : [],
      });
    }
    const current = await read('/tags/long-show/feed.xml');
    expect(current).not.toContain('ep.mp3');
    expect(current).toContain('rel="prev-archive"');
    const archive = await read('/tags/long-show/archive/1/feed.xml');
    expect(archive).toContain('ep.mp3');
    const limited = await read('/tags/long-show/feed.xml?limit=1');
    const summary = await read('/tags/long-show/feed.xml?content=summary');
    for (const doc of [current, archive, limited, summary]) {
      expect(doc).toContain(`<itunes:image href="${SHOW_IMAGE}"/>`);
      expect(doc).toContain('<itunes:explicit>false</itunes:explicit>');
    }
    // An archive page with no audio of its own is a page of the same podcast.
    expect(await read('/tags/long-show/archive/2/feed.xml')).toContain('<itunes:category text="Technology"/>');
  });

  it('image enclosures do not make a podcast', async () => {
    await insertPost({
      id: 'urn:uuid:00000000-0000-4000-8000-100000000001',
      slug: 'gallery',
      title: 'Gallery',
      publishedAt: BASE,
      tags: [['gallery', 'Gallery']],
      enclosures: [{ url: 'https://cdn.example/photo.jpg', type: 'image/jpeg', length: 10 }],
    });
    const rss = await read('/tags/gallery/feed.xml');
    expect(rss).toMatch(/<enclosure [^>]*url="https:\/\/cdn\.example\/photo\.jpg"/);
    expect(rss).not.toContain('itunes');
  });
});

describe('the show', () => {
  it('a podcast feed carries every channel and item element Apple Podcasts requires', async (test) => {
    await insertPost({
      id: 'urn:uuid:00000000-0000-4000-8000-200000000001',
      slug: 'complete-show',
      title: 'Complete show',
      publishedAt: BASE,
      tags: [['complete-show', 'Complete show']],
      enclosures: [AUDIO],
    });
    const rss = await read('/tags/complete-show/feed.xml');
    const head = channel(rss);
    expect(head).toContain(`<itunes:image href="${SHOW_IMAGE}"/>`);
    expect(head).toContain('<itunes:category text="Technology"/>');
    expect(head).toContain('<itunes:explicit>false</itunes:explicit>');
    expect(head).toContain(`<itunes:author>${env.SITE_AUTHOR}</itunes:author>`);
    expect(head).toMatch(/<itunes:owner>\s*<itunes:name>Show Owner<\/itunes:name>\s*<itunes:email>podcasts@example\.org<\/itunes:email>/);
    expect(rss).toContain('<enclosure url="https://cdn.example/ep.mp3" length="1234" type="audio/mpeg"/>');
    expect(rss).toContain('<guid isPermaLink="false">urn:uuid:00000000-0000-4000-8000-200000000001</guid>');
    expect((await check(test, 'xmllint', rss)).ok).toBe(true);
  });

  it('with the shipped settings (no image) or without an owner email a feed carries no iTunes tags', async () => {
    // The previous test's feed, read with the defaults (PODCAST_IMAGE and SITE_ICON empty).
    expect(env.PODCAST_IMAGE).toBe('');
    expect(env.SITE_ICON).toBe('');
    expect(await read('/tags/complete-show/feed.xml', env)).not.toContain('itunes');
    expect(await read('/tags/complete-show/feed.xml', { ...show, PODCAST_OWNER_EMAIL: '' } as Env)).not.toContain('itunes');
    // SITE_ICON stands in for PODCAST_IMAGE.
    const icon = 'https://cdn.example/icon.png';
    expect(await read('/tags/complete-show/feed.xml', { ...env, SITE_ICON: icon } as Env)).toContain(`<itunes:image href="${icon}"/>`);
  });

  it('a republished upstream show and the planet never claim the site as their show', async () => {
    const body = `<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
      <title>Upstream pod</title><link>https://up-pod.example/</link><description>d</description>
      <itunes:author>Upstream Host</itunes:author><itunes:explicit>true</itunes:explicit>
      <item><title>Upstream episode</title><link>https://up-pod.example/ep1</link><itunes:duration>60</itunes:duration>
      <enclosure url="https://up-pod.example/ep1.mp3" type="audio/mpeg" length="99"/></item></channel></rss>`;
    const added = await request('/api/sources', {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ url: `${inject('upstreamUrl')}/inline?ct=application%2Frss%2Bxml&body=${encodeURIComponent(body)}` }),
    });
    const { id } = (await added.json()) as { id: number };
    const refresh = await request(`/api/sources/${id}/refresh`, { method: 'POST', headers: AUTH });
    expect(((await refresh.json()) as { refresh: { outcome: string } }).refresh.outcome).toBe('ok');
    for (const path of [`/sources/${id}/feed.xml`, '/planet/feed.xml']) {
      const rss = await read(path);
      expect(rss, path).toContain('<enclosure url="https://up-pod.example/ep1.mp3"');
      // (The source's test URL holds the word, percent-encoded: look for elements and the namespace.)
      expect(rss, path).not.toMatch(/<itunes:|xmlns:itunes/);
    }
  });
});

describe('itunes:new-feed-url', () => {
  const move = async (from: string, to: string) => {
    const res = await request('/api/moves', { method: 'POST', headers: AUTH, body: JSON.stringify({ from, to }) });
    expect(res.status, await res.clone().text()).toBe(201);
  };

  it('a podcast feed moved to says its new absolute address; a feed that is no podcast says nothing iTunes', async () => {
    await move('/old-show.xml', '/tags/complete-show/feed.xml');
    const podcast = await read('/tags/complete-show/feed.xml');
    expect(podcast).toContain(`<itunes:new-feed-url>${SITE}/tags/complete-show/feed.xml</itunes:new-feed-url>`);
    expect(podcast).toContain('<itunes:explicit>false</itunes:explicit>');

    await move('/old-gallery.xml', '/tags/gallery/feed.xml');
    const plain = await read('/tags/gallery/feed.xml');
    expect(plain).not.toContain('itunes');
  });
});
