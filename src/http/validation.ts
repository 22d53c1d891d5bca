// Plain words for zod's failures: every 400 names the field and says what it expects, once per
// field ("title: required (a non-empty string)", "published_at: expected a date such as
// 2026-12-07T09:00:00Z, got "tomorrow""). A schema's own messages ("must not be empty") win; the
// error map below speaks only where a schema says nothing. Give a schema `.describe('…')` to
// name what it expects where its type says too little ("an absolute http(s) URL").

import { z } from 'zod';
import { badRequest, type FieldError } from './problem';

type Schema = z.core.$ZodType;
type Def = z.core.$ZodTypeDef & Record<string, unknown>;

const defOf = (schema: Schema): Def => schema._zod.def as Def;

/** What each string format looks like, in words. */
const FORMATS: Record<string, string> = {
  datetime: 'a date such as 2026-12-07T09:00:00Z',
  date: 'a date such as 2026-12-07',
  email: 'an email address',
  url: 'a URL',
};

/** Choices as a reader says them: `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
function oneOf(values: unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  const choices = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}` : (shown[0] ?? 'nothing');
  return shown.length > 1 ? `one of ${choices}` : choices;
}

/** What a schema expects, in words: "a non-empty string", "a whole number", "true or false". */
export function expects(schema: Schema | undefined): string {
  if (schema === undefined) return 'a value';
  const described = z.globalRegistry.get(schema)?.description;
  if (described) return described;
  const def = defOf(schema);
  const checks = (def.checks ?? []) as z.core.$ZodCheck[];
  const check = (name: string) =>
    checks.find((c) => c._zod.def.check === name)?._zod.def as (z.core.$ZodCheckDef & Record<string, unknown>) | undefined;
  switch (def.type) {
    case 'string': {
      const format = (def.format as string | undefined) ?? (check('string_format')?.format as string | undefined);
      if (format && FORMATS[format]) return FORMATS[format];
      return ((check('min_length')?.minimum as number | undefined) ?? 0) > 0 ? 'a non-empty string' : 'a string';
    }
    case 'number':
      return def.format === 'safeint' || check('number_format')?.format === 'safeint' ? 'a whole number' : 'a number';
    case 'boolean':
      return 'true or false';
    case 'enum':
      return oneOf(Object.values(def.entries as Record<string, unknown>));
    case 'literal':
      return oneOf(def.values as unknown[]);
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    case 'null':
      return 'null';
    case 'nullable':
      return `${expects(def.innerType as Schema)} or null`;
    case 'optional':
    case 'nonoptional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return expects(def.innerType as Schema);
    case 'pipe': {
      // A transform says nothing of its input: what comes before it does.
      const out = def.out as Schema;
      return defOf(out).type === 'transform' ? expects(def.in as Schema) : expects(out);
    }
    case 'union':
      return (def.options as Schema[]).map(expects).join(' or ');
    default:
      return 'a value';
  }
}

/** The schema of the value at `path` inside `root`, as the client sends it; undefined where the path leads nowhere. */
function schemaAt(root: Schema, path: PropertyKey[]): Schema | undefined {
  let schema: Schema | undefined = root;
  for (const key of path) {
    schema = unwrap(schema);
    if (schema === undefined) return undefined;
    const def = defOf(schema);
    if (def.type === 'object') schema = (def.shape as Record<PropertyKey, Schema>)[key];
    else if (def.type === 'array') schema = def.element as Schema;
    else return undefined;
  }
  return schema;
}

/** The schema inside wrappers and pipes (their input side), down to an object or array. */
function unwrap(schema: Schema | undefined): Schema | undefined {
  while (schema !== undefined) {
    const def = defOf(schema);
    if (def.type === 'pipe') schema = def.in as Schema;
    else if (def.innerType !== undefined) schema = def.innerType as Schema;
    else return schema;
  }
  return schema;
}

/** A value as a message shows it: strings quoted (cut at 60 characters), lists and objects by kind. */
function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return String(value);
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** zod's error map for `root`: a plain-words message for each failure a schema gives no message of its own. */
export function plainWords(root: Schema): z.core.$ZodErrorMap {
  return (issue) => {
    const field = schemaAt(root, issue.path ?? []) ?? issue.inst;
    const wanted = () => expects(field as Schema | undefined);
    switch (issue.code) {
      case 'invalid_type':
        return issue.input === undefined ? `required (${wanted()})` : `expected ${wanted()}, got ${shown(issue.input)}`;
      case 'invalid_value':
      case 'invalid_union':
        return `expected ${wanted()}, got ${shown(issue.input)}`;
      case 'invalid_format':
        return issue.format === 'regex' ? 'is not in the expected form' : `expected ${wanted()}, got ${shown(issue.input)}`;
      case 'too_big': {
        const most = Number(issue.maximum);
        const bound = issue.inclusive === false ? 'less than' : 'at most';
        if (issue.origin === 'string') return `must be ${bound} ${plural(most, 'character', 'characters')}`;
        if (issue.origin === 'array' || issue.origin === 'set') return `must have ${bound} ${plural(most, 'item', 'items')}`;
        return `must be ${bound} ${most}`;
      }
      case 'too_small': {
        const least = Number(issue.minimum);
        const bound = issue.inclusive === false ? 'more than' : 'at least';
        if (issue.origin === 'string')
          return least === 1 ? 'must not be empty' : `must be ${bound} ${plural(least, 'character', 'characters')}`;
        if (issue.origin === 'array' || issue.origin === 'set') return `must have ${bound} ${plural(least, 'item', 'items')}`;
        return `must be ${bound} ${least}`;
      }
      case 'not_multiple_of':
        return `must be a multiple of ${issue.divisor}`;
      case 'unrecognized_keys': {
        const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
        return issue.keys.length === 1 ? `has a field it does not know: ${keys}` : `has fields it does not know: ${keys}`;
      }
      case 'custom':
        return 'is not valid';
      default:
        return undefined;
    }
  };
}

/**
 * The fields a failed parse names, one error each (the first zod found). A failure with no path
 * is named `whole` (the body, the query); an unknown field inside another is named by that field,
 * and one at the top by itself, or by `whole` when `unknownAsWhole` (a body of options, where
 * the body is what was sent wrong).
 */
export function fieldErrors(error: z.core.$ZodError, whole: string, unknownAsWhole = false): FieldError[] {
  const errors = new Map<string, string>();
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    const named =
      issue.code === 'unrecognized_keys' && path.length === 0 && !unknownAsWhole
        ? issue.keys.map((key) => [key, 'is not a known field'] as const)
        : [[path.length ? path.join('.') : whole, issue.message] as const];
    for (const [field, message] of named) if (!errors.has(field)) errors.set(field, message);
  }
  return [...errors].map(([field, message]) => ({ field, message }));
}

/**
 * A body (`value`, parsed JSON) read by `schema`, or a 400 problem naming each bad field in plain
 * words, as validate() names them: for a domain function that callers other than a route reach.
 * @throws ProblemError (400).
 */
export function parsedBody<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value, { error: plainWords(schema) });
  if (!result.success) throw badRequest(fieldErrors(result.error, 'body'));
  return result.data;
}

/**
 * Options sent as a body (`value`, parsed JSON) read by `schema`, or a 400 problem naming each bad
 * field in plain words; an unknown option, or a body that is no object, is named `body`.
 * @throws ProblemError (400).
 */
export function parsedOptions<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value, { error: plainWords(schema) });
  if (!result.success) throw badRequest(fieldErrors(result.error, 'body', true));
  return result.data;
}
