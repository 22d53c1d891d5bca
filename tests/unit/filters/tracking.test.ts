// Tracking parameters out of URLs (src/html/tracking.ts): the defaults, a configured list with
// prefixes, and everything else of the URL left exactly as it was.
import { describe, expect, it } from 'vitest';
import { stripTracking, trackingParams } from '../../../src/html/tracking';

const defaults = trackingParams();
const configured = trackingParams('ref, pk_*');

describe('stripTracking', () => {
  it('removes utm_*, fbclid, gclid, mc_cid and mc_eid, keeping other parameters, their order and the fragment', () => {
    expect(stripTracking('https://a.example/p?utm_source=rss&id=3&UTM_Medium=x&b=%20c#top', defaults)).toBe(
      'https://a.example/p?id=3&b=%20c#top',
    );
    expect(stripTracking('https://a.example/p?fbclid=1&gclid=2&mc_cid=3&mc_eid=4', defaults)).toBe('https://a.example/p');
    expect(stripTracking('https://a.example/p?utm_source=x#frag', defaults)).toBe('https://a.example/p#frag');
  });

  it('leaves a URL without tracking parameters, or that does not parse, unchanged', () => {
    for (const url of [
      'https://a.example/p?id=1&&x',
      'https://a.example/utm_source',
      'not a url?utm_source=1',
      'https://a.example/p?utmost=1',
    ])
      expect(stripTracking(url, defaults)).toBe(url);
  });

  it('adds the configured names and prefixes to the defaults', () => {
    expect(stripTracking('https://a.example/p?ref=nl&pk_campaign=x&utm_term=y&keep=1', configured)).toBe('https://a.example/p?keep=1');
    expect(stripTracking('https://a.example/p?ref=nl', defaults)).toBe('https://a.example/p?ref=nl');
  });
});
