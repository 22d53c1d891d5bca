// Every enclosure and the post image in every format, feed icon and logo, the iTunes tags of
// feeds with audio, and a language per post and per upstream item, read back by parsers we did
// not write (Universal Feed Parser, jing, xmllint) as well as by the bytes.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { app } from '../../src/app';
import { siteConfig } from '../../src/config';
import { durationSeconds } from '../../src/ingest/normalize';
import { AUTH, check, get, SITE, upstream } from '../support/worker';

type FeedparserView = {
  bozo: boolean;
  feed: {
    language: string | null;
    image: string | null;
    icon: string | null;
    logo: string | null;
    owner_email: string | null;
    tags: string[];
  };
  entries: {
    title: string;
    language: string | null;
    enclosures: { href: string; type: string; length: string }[];
    media_content: string[];
    media_thumbnail: string[];
    itunes_duration: string | null;
  }[];
};

async function post(body: Record<string, unknown>, method = 'POST', path = '/api/posts') {
  return get(path, { method, headers: AUTH, body: JSON.stringify(body) });
}

const EPISODE = {
  title: 'Épisode 1',
  lang: 'fr',
  tags: ['Episodes'],
  authors: [{ name: 'Host' }],
  summary: '<p>Le premier.</p>',
  content_html: '<p>Notes.</p>',
  image: 'https://cdn.example/ep1.jpg',
  published_at: '2024-05-02T10:00:00Z',
  enclosures: [
    { url: 'https://cdn.example/ep1.mp3', type: 'audio/mpeg', length: 24_000_000, duration: 3723 },
    { url: 'https://cdn.example/ep1.ogg', type: 'audio/ogg', length: 18_000_000, duration: 3723 },
  ],
};

describe('a post language', () => {
  it('is validated, stored in canonical case, and cleared with null', async () => {
    const bad = await post({ title: 'Bad language', lang: 'not a language' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['lang']);
    for (const lang of ['e', 'english', 'en--us', '12']) expect((await post({ title: 'Bad', lang })).status).toBe(400);

    const created = await post({ title: 'Austrian', lang: 'de-at', status: 'draft' });
    expect(created.status).toBe(201);
    const json = (await created.json()) as { id: string; lang: string };
    expect(json.lang).toBe('de-AT');
    expect((await env.DB.prepare('SELECT lang FROM entries WHERE id = ?1').bind(json.id).first<{ lang: string }>())!.lang).toBe('de-AT');
    const patched = await post({ lang: null }, 'PATCH', `/api/posts/${json.id}`);
    expect(((await patched.json()) as { lang: string | null }).lang).toBeNull();
  });
});

describe('media, language and podcast tags in every format', () => {
  it('a tag feed with a French episode and an English post', async (ctx) => {
    expect((await post(EPISODE)).status).toBe(201);
    expect(
      (await post({ title: 'Plain post', tags: ['Episodes'], content_html: '<p>x</p>', published_at: '2024-05-01T10:00:00Z' })).status,
    ).toBe(201);

    // Atom: one rel="enclosure" per enclosure, media:thumbnail, xml:lang on the French entry only.
    const atom = await (await get('/tags/episodes/atom.xml')).text();
    expect((await check(ctx, 'jing', atom)).ok).toBe(true);
    expect(atom).toMatch(/<feed [^>]*xml:lang="en"/);
    expect(atom).toContain('<entry xml:lang="fr">');
    const fromAtom = JSON.parse((await check(ctx, 'feedparser', atom)).output) as FeedparserView;
    expect(fromAtom.bozo).toBe(false);
    const [episode, plain] = fromAtom.entries;
    expect(episode!.language).toBe('fr');
    expect(plain!.language).toBe('en');
    expect(episode!.enclosures.map((e) => [e.href, e.type])).toEqual([
      ['https://cdn.example/ep1.mp3', 'audio/mpeg'],
      ['https://cdn.example/ep1.ogg', 'audio/ogg'],
    ]);
    expect(episode!.media_thumbnail).toEqual(['https://cdn.example/ep1.jpg']);

    // RSS: the first enclosure as <enclosure>, all of them (and the image) as media:content. The
    // shipped settings describe no complete show (no image): read with one, for the iTunes tags.
    const podcastEnv = { ...env, PODCAST_IMAGE: 'https://cdn.example/show.jpg' } as Env;
    const ctxStub = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const rss = await (await app.request(`${SITE}/tags/episodes/feed.xml`, {}, podcastEnv, ctxStub)).text();
    expect((await check(ctx, 'xmllint', rss)).ok).toBe(true);
    expect(rss.match(/<enclosure /g)).toHaveLength(1);
    expect(rss).toContain('<dc:language>fr</dc:language>');
    const fromRss = JSON.parse((await check(ctx, 'feedparser', rss)).output) as FeedparserView;
    expect(fromRss.bozo).toBe(false);
    expect(fromRss.feed.language).toBe('en');
    const item = fromRss.entries[0]!;
    expect(item.enclosures.map((e) => e.href)).toEqual(['https://cdn.example/ep1.mp3']);
    expect(item.media_content).toEqual(['https://cdn.example/ep1.mp3', 'https://cdn.example/ep1.ogg', 'https://cdn.example/ep1.jpg']);
    expect(item.media_thumbnail).toEqual(['https://cdn.example/ep1.jpg']);
    // iTunes: the show's settings (wrangler.toml) and each episode's duration.
    expect(item.itunes_duration).toBe('1:02:03');
    expect(fromRss.feed.owner_email).toBe(env.PODCAST_OWNER_EMAIL);
    expect(fromRss.feed.tags).toContain(env.PODCAST_CATEGORY);
    expect(rss).toContain('<itunes:explicit>false</itunes:explicit>');

    // JSON Feed: attachments with durations, image, language.
    const json = (await (await get('/tags/episodes/feed.json')).json()) as {
      language: string;
      items: { language?: string; image?: string; attachments?: { url: string; duration_in_seconds?: number; size_in_bytes?: number }[] }[];
    };
    expect(json.language).toBe('en');
    expect(json.items[0]!.language).toBe('fr');
    expect(json.items[1]!.language).toBeUndefined();
    expect(json.items[0]!.image).toBe('https://cdn.example/ep1.jpg');
    expect(json.items[0]!.attachments).toEqual([
      { url: 'https://cdn.example/ep1.mp3', mime_type: 'audio/mpeg', size_in_bytes: 24_000_000, duration_in_seconds: 3723 },
      { url: 'https://cdn.example/ep1.ogg', mime_type: 'audio/ogg', size_in_bytes: 18_000_000, duration_in_seconds: 3723 },
    ]);

    // The page marks the item's language.
    expect(await (await get('/tags/episodes/')).text()).toContain('<li lang="fr">');
  });

  it('a feed whose items all share a language takes it; a feed without audio has no iTunes tags', async () => {
    expect((await post({ title: 'Nur Deutsch', lang: 'de', tags: ['Deutsch'], content_html: '<p>x</p>' })).status).toBe(201);
    const rss = await (await get('/tags/deutsch/feed.xml')).text();
    expect(rss).toContain('<language>de</language>');
    expect(rss).not.toContain('dc:language');
    expect(rss).not.toContain('itunes');
    expect(rss).not.toContain('xmlns:media');
    expect(await (await get('/tags/deutsch/atom.xml')).text()).toMatch(/<feed [^>]*xml:lang="de"/);
  });
});

describe('site icon and logo', () => {
  const ICON = 'https://cdn.example/icon.png';
  const LOGO = 'https://cdn.example/logo.png';
  const configured = { ...env, SITE_ICON: ICON, SITE_LOGO: LOGO };
  const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

  it('Atom icon and logo, RSS image, JSON icon and favicon', async (test) => {
    const atom = await (await app.request(`${SITE}/atom.xml`, {}, configured, ctx)).text();
    expect(atom).toContain(`<icon>${ICON}</icon>`);
    expect(atom).toContain(`<logo>${LOGO}</logo>`);
    expect((await check(test, 'jing', atom)).ok).toBe(true);
    const fromAtom = JSON.parse((await check(test, 'feedparser', atom)).output) as FeedparserView;
    expect([fromAtom.feed.icon, fromAtom.feed.logo]).toEqual([ICON, LOGO]);
    const rss = await (await app.request(`${SITE}/feed.xml`, {}, configured, ctx)).text();
    expect((await check(test, 'xmllint', rss)).ok).toBe(true);
    expect(/<image>[\s\S]*?<url>([^<]+)<\/url>[\s\S]*?<\/image>/.exec(rss)![1]).toBe(LOGO);
    // The site feed has an episode (the test above): its iTunes image falls back to the icon.
    expect(rss).toContain(`<itunes:image href="${ICON}"/>`);
    const json = (await (await app.request(`${SITE}/feed.json`, {}, configured, ctx)).json()) as { icon: string; favicon: string };
    expect([json.icon, json.favicon]).toEqual([ICON, ICON]);
  });

  it('must be absolute http(s) URLs', () => {
    expect(() => siteConfig({ ...env, SITE_ICON: '/icon.png' })).toThrow(/SITE_ICON/);
    expect(() => siteConfig({ ...env, SITE_LOGO: 'ftp://cdn.example/logo.png' })).toThrow(/SITE_LOGO/);
    expect(() => siteConfig({ ...env, PODCAST_EXPLICIT: 'maybe' })).toThrow(/PODCAST_EXPLICIT/);
  });
});

describe('upstream languages', () => {
  async function refreshed(body: string, ct: string): Promise<number> {
    const res = await get('/api/sources', {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ url: upstream(`/inline?ct=${encodeURIComponent(ct)}&body=${encodeURIComponent(body)}`) }),
    });
    const { id } = (await res.json()) as { id: number };
    const refresh = await get(`/api/sources/${id}/refresh`, { method: 'POST', headers: AUTH });
    expect(((await refresh.json()) as { refresh: { outcome: string } }).refresh.outcome).toBe('ok');
    return id;
  }
  const stored = async (id: number) =>
    (
      await env.DB.prepare('SELECT title, lang FROM entries WHERE source_id = ?1 ORDER BY title')
        .bind(id)
        .all<{ title: string; lang: string | null }>()
    ).results;

  it('RSS: the channel language, or the item dc:language', async () => {
    const id = await refreshed(
      `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title>
       <link>https://fr-up.example/</link><description>d</description><language>fr-fr</language>
       <item><title>A</title><link>https://fr-up.example/a</link></item>
       <item><title>B</title><link>https://fr-up.example/b</link><dc:language>en_GB</dc:language></item>
       <item><title>C</title><link>https://fr-up.example/c</link><dc:language>not a tag!</dc:language></item></channel></rss>`,
      'application/rss+xml',
    );
    expect(await stored(id)).toEqual([
      { title: 'A', lang: 'fr-FR' },
      { title: 'B', lang: 'en-GB' },
      { title: 'C', lang: 'fr-FR' },
    ]);
    const atom = await (await get(`/sources/${id}/atom.xml`)).text();
    expect(atom).toContain('<entry xml:lang="en-GB">');
  });

  it('Atom: the feed xml:lang, or the entry one', async () => {
    const id = await refreshed(
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="es"><title>t</title><id>urn:t</id>
       <updated>2024-01-01T00:00:00Z</updated>
       <entry><title>A</title><id>urn:t:a</id><link href="https://es-up.example/a"/><updated>2024-01-01T00:00:00Z</updated></entry>
       <entry xml:lang="pt-br"><title>B</title><id>urn:t:b</id><link href="https://es-up.example/b"/><updated>2024-01-02T00:00:00Z</updated></entry></feed>`,
      'application/atom+xml',
    );
    expect(await stored(id)).toEqual([
      { title: 'A', lang: 'es' },
      { title: 'B', lang: 'pt-BR' },
    ]);
  });

  it('JSON Feed: the feed language, or the item one', async () => {
    const id = await refreshed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 't',
        language: 'it',
        items: [
          { id: 'a', title: 'A', url: 'https://it-up.example/a', content_text: 'a' },
          { id: 'b', title: 'B', url: 'https://it-up.example/b', content_text: 'b', language: 'ja' },
        ],
      }),
      'application/feed+json',
    );
    expect(await stored(id)).toEqual([
      { title: 'A', lang: 'it' },
      { title: 'B', lang: 'ja' },
    ]);
  });

  it('enclosure durations: RSS itunes:duration, JSON Feed duration_in_seconds; they reach media:content', async () => {
    expect(['1:02:03', '02:03', '95', ' 7 ', 95.4, 'soon', '1:2:3:4', -5].map(durationSeconds)).toEqual([
      3723,
      123,
      95,
      7,
      95,
      null,
      null,
      null,
    ]);
    const rssId = await refreshed(
      `<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>t</title>
       <link>https://pod-up.example/</link><description>d</description>
       <item><title>Ep</title><link>https://pod-up.example/ep</link><itunes:duration>1:02:03</itunes:duration>
       <enclosure url="https://pod-up.example/ep.mp3" type="audio/mpeg" length="100"/></item></channel></rss>`,
      'application/rss+xml',
    );
    const jsonId = await refreshed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 't',
        items: [
          {
            id: 'e',
            title: 'Ep',
            url: 'https://pod-up-json.example/ep',
            content_text: 'e',
            attachments: [{ url: 'https://pod-up-json.example/ep.m4a', mime_type: 'audio/mp4', duration_in_seconds: 95 }],
          },
        ],
      }),
      'application/feed+json',
    );
    const durations = async (id: number) =>
      (await env.DB.prepare('SELECT enclosures FROM entries WHERE source_id = ?1').bind(id).first<{ enclosures: string }>())!.enclosures;
    expect(JSON.parse(await durations(rssId))).toEqual([
      { url: 'https://pod-up.example/ep.mp3', type: 'audio/mpeg', length: 100, duration: 3723 },
    ]);
    expect(JSON.parse(await durations(jsonId))[0].duration).toBe(95);
    // A source's feed is no show of the site's (no iTunes tags): the duration goes out in Media RSS.
    expect(await (await get(`/sources/${rssId}/feed.xml`)).text()).toMatch(/<media:content [^>]*medium="audio"[^>]* duration="3723"/);
    expect(await (await get(`/sources/${jsonId}/feed.xml`)).text()).toMatch(/<media:content [^>]*medium="audio"[^>]* duration="95"/);
  });

  it('page sources: the article page language', async () => {
    const paragraph = 'Bijen overwinteren als een tros in de kast en eten van hun voorraad honing. '.repeat(12);
    const article = `<!doctype html><html lang="nl"><head><title>Wintertros</title></head><body><main><article>
      <h1>Wintertros</h1><p>${paragraph}</p><p>${paragraph}</p></article></main></body></html>`;
    await fetch(upstream('/docs/lang-article.html'), {
      method: 'PUT',
      body: article,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    const list = `<!doctype html><html lang="nl"><head><title>Blog</title></head><body><main>
      <article><h2><a href="${upstream('/docs/lang-article.html')}">Wintertros</a></h2><time datetime="2024-02-01">1 februari 2024</time></article>
      <article><h2><a href="${upstream('/docs/lang-missing.html')}">Andere</a></h2><time datetime="2024-01-01">1 januari 2024</time></article>
      </main></body></html>`;
    await fetch(upstream('/docs/lang-list.html'), { method: 'PUT', body: list, headers: { 'content-type': 'text/html; charset=utf-8' } });
    const res = await get('/api/sources', {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ url: upstream('/docs/lang-list.html'), kind: 'page' }),
    });
    const { id } = (await res.json()) as { id: number };
    await get(`/api/sources/${id}/refresh`, { method: 'POST', headers: AUTH });
    expect(await stored(id)).toEqual([{ title: 'Wintertros', lang: 'nl' }]);
  });
});
