// What a client reads when the admin API refuses a body: one error per field, naming it, in
// plain words that say what the field expects (src/http/validation.ts), never zod's own
// ("Invalid input: expected nonoptional, received undefined").
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expects, fieldErrors, parsedBody, parsedOptions, plainWords } from '../../src/http/validation';
import { postBody, postPatch } from '../../src/routes/post-schema';
import { previewBody, sourceBody, sourcePatch } from '../../src/routes/source-schema';

/** The errors of a refused body, as the admin API's validate() names them; a failure when the body is taken. */
function refused(schema: z.ZodType, body: unknown): { field: string; message: string }[] {
  const result = schema.safeParse(body, { error: plainWords(schema) });
  if (result.success) throw new Error(`taken: ${JSON.stringify(body)}`);
  return fieldErrors(result.error, 'body');
}

describe('a refused body names each bad field once, in plain words', () => {
  it('a missing field is required, and says what it takes', () => {
    expect(refused(postBody, {})).toEqual([{ field: 'title', message: 'required (a non-empty string)' }]);
    expect(refused(sourceBody, {})).toEqual([{ field: 'url', message: 'required (an absolute URL)' }]);
  });

  it('a value of the wrong type says what was expected and what came', () => {
    expect(refused(postBody, { title: 5 })).toEqual([{ field: 'title', message: 'expected a non-empty string, got 5' }]);
    expect(refused(postPatch, { tags: 'news' })).toEqual([{ field: 'tags', message: 'expected a list, got "news"' }]);
    expect(refused(postPatch, { tags: ['news', 7] })).toEqual([{ field: 'tags.1', message: 'expected a tag name, got 7' }]);
    expect(refused(sourcePatch, { paused: 'yes' })).toEqual([{ field: 'paused', message: 'expected true or false, got "yes"' }]);
    expect(refused(sourcePatch, { title: [] })).toEqual([{ field: 'title', message: 'expected a non-empty string or null, got a list' }]);
    expect(refused(sourcePatch, { kind: 'html' })).toEqual([{ field: 'kind', message: 'expected one of "feed" or "page", got "html"' }]);
    expect(refused(previewBody, { url: 'https://example.com/', kind: 'feed' })).toEqual([
      { field: 'kind', message: 'expected "page", got "feed"' },
    ]);
    expect(refused(postBody, { title: 'T', status: 'live' })).toEqual([
      { field: 'status', message: 'expected one of "draft" or "published", got "live"' },
    ]);
  });

  it('"tomorrow" as a date is one error naming the field and the form a date takes', () => {
    expect(refused(postBody, { title: 'T', published_at: 'tomorrow' })).toEqual([
      { field: 'published_at', message: 'expected a date such as 2026-12-07T09:00:00Z, got "tomorrow"' },
    ]);
    // A date without a time zone is no date either; a date outside the feed formats' years is named as such.
    expect(refused(postBody, { title: 'T', published_at: '2026-12-07T09:00:00' })).toEqual([
      { field: 'published_at', message: 'expected a date such as 2026-12-07T09:00:00Z, got "2026-12-07T09:00:00"' },
    ]);
    expect(refused(postPatch, { published_at: '0000-06-01T00:00:00Z' })).toEqual([
      {
        field: 'published_at',
        message: 'must fall in the years 0001 to 9999 (UTC), the range RFC 3339 and the feed formats can write',
      },
    ]);
  });

  it('sizes and counts are said in characters and items; the schema’s own words win', () => {
    expect(refused(postBody, { title: 'x'.repeat(501) })).toEqual([{ field: 'title', message: 'must be at most 500 characters' }]);
    expect(refused(postBody, { title: '  ' })).toEqual([{ field: 'title', message: 'must not be empty' }]);
    expect(
      refused(postBody, { title: 'T', enclosures: Array(11).fill({ url: 'https://a.example/a.mp3', type: 'audio/mpeg', length: 1 }) }),
    ).toEqual([{ field: 'enclosures', message: 'must have at most 10 items' }]);
    expect(refused(postBody, { title: 'T', enclosures: [{ url: 'https://a.example/a.mp3', type: 'audio/mpeg', length: -1 }] })).toEqual([
      { field: 'enclosures.0.length', message: 'must be at least 0' },
    ]);
    expect(refused(sourcePatch, { tags: ['a<b'] })).toEqual([{ field: 'tags.0', message: 'contains < or >' }]);
    expect(refused(sourcePatch, { tags: ['🎉'] })).toEqual([{ field: 'tags.0', message: 'has no letters or digits to make a URL from' }]);
    expect(refused(sourcePatch, { url: 'not a url' })).toEqual([{ field: 'url', message: 'must be an absolute URL' }]);
  });

  it('unknown fields are named themselves at the top, and by their field inside one', () => {
    expect(refused(postBody, { title: 'T', colour: 'red' })).toEqual([{ field: 'colour', message: 'is not a known field' }]);
    expect(refused(sourcePatch, { rules: { item: '.post', colour: 'red' } })).toEqual([
      { field: 'rules', message: 'has a field it does not know: "colour"' },
    ]);
  });

  it('a body that is no object is named as the body', () => {
    expect(refused(postBody, [])).toEqual([{ field: 'body', message: 'expected an object, got a list' }]);
    expect(refused(postBody, null)).toEqual([{ field: 'body', message: 'expected an object, got null' }]);
  });

  it('a long value is cut in the message', () => {
    const [error] = refused(sourcePatch, { kind: 'k'.repeat(500) });
    expect(error!.message).toBe(`expected one of "feed" or "page", got "${'k'.repeat(60)}…"`);
  });
});

describe('options sent as a body', () => {
  it('are named as the body when unknown, by their own name when of the wrong type', () => {
    const options = z.strictObject({ refetch: z.boolean().optional() });
    const problem = (value: unknown) => {
      try {
        parsedOptions(options, value);
      } catch (error) {
        return (error as { problem: { errors: unknown } }).problem.errors;
      }
      throw new Error('taken');
    };
    expect(problem({ again: true })).toEqual([{ field: 'body', message: 'has a field it does not know: "again"' }]);
    expect(problem({ refetch: 'yes' })).toEqual([{ field: 'refetch', message: 'expected true or false, got "yes"' }]);
    expect(parsedOptions(options, { refetch: true })).toEqual({ refetch: true });
  });
});

describe('a body a domain function reads', () => {
  it('is refused in the same plain words', () => {
    const webhook = z.object({ url: z.string().describe('an absolute URL'), events: z.array(z.enum(['post.published'])).min(1) });
    try {
      parsedBody(webhook, { url: 'https://hooks.example/in', events: ['post.gone'] });
      throw new Error('taken');
    } catch (error) {
      expect((error as { problem: { errors: unknown } }).problem.errors).toEqual([
        { field: 'events.0', message: 'expected "post.published", got "post.gone"' },
      ]);
    }
  });
});

describe('expects', () => {
  it('says what a schema takes', () => {
    expect(expects(z.number().int().min(1))).toBe('a whole number');
    expect(expects(z.number())).toBe('a number');
    expect(expects(z.email())).toBe('an email address');
    expect(expects(z.enum(['a', 'b', 'c']))).toBe('one of "a", "b" or "c"');
    expect(expects(z.string().nullable().optional())).toBe('a string or null');
    expect(expects(z.object({}))).toBe('an object');
    expect(expects(z.string().describe('a colour'))).toBe('a colour');
  });
});
