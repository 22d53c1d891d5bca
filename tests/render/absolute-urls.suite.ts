// The quick test that lets content with absolute URLs only skip the HTML parser, and the
// rewrite it guards.
import { describe, expect, it } from 'vitest';
import { absolutizeUrls, mayHaveRelativeUrls } from '../../src/html/absolute-urls';

describe('mayHaveRelativeUrls', () => {
  it.each([
    '<p><a href="https://example.com/a">a</a> <img src="https://cdn.example.com/i.png" alt="i"></p>',
    "<a href='mailto:a@example.com'>mail</a>",
    '<a href=https://example.com/unquoted>u</a>',
    '<a class="x" data-href="/not-a-url-attribute">t</a>',
  ])('is false for content with absolute URLs only: %s', (html) => {
    expect(mayHaveRelativeUrls(html)).toBe(false);
  });

  it.each([
    '<a href="/posts/a">a</a>',
    "<a href='../b'>b</a>",
    '<a href=c.html>c</a>',
    '<img src="https://cdn.example.com/a.png"><img src="b.png">',
    '<img/src="b.png">',
    '<img srcset="https://cdn.example.com/a.png 1x, /b.png 2x">',
    '<a href="">empty</a>',
  ])('is true for content that may hold a relative URL: %s', (html) => {
    expect(mayHaveRelativeUrls(html)).toBe(true);
  });
});

describe('absolutizeUrls', () => {
  it('resolves every srcset candidate, also when the first one is absolute', async () => {
    const html = await absolutizeUrls('<img srcset="https://cdn.example.com/a.png 1x, /b.png 2x">', 'https://site.example/posts/x');
    expect(html).toBe('<img srcset="https://cdn.example.com/a.png 1x, https://site.example/b.png 2x">');
  });

  it('returns content with absolute URLs only unchanged', async () => {
    const html = '<p><a href="https://example.com/a?x=1&amp;y=2">a</a></p>';
    expect(await absolutizeUrls(html, 'https://site.example/')).toBe(html);
  });
});
