import { NO_SLUG, slugKey } from './slug';

/** The longest tag name, in UTF-16 code units. */
export const MAX_TAG_CHARS = 100;

/**
 * Why a name cannot be a tag, or null when it can. Tags are plain names: `<` and `>` are refused
 * because Atom category terms cannot carry them, and a name needs letters or digits to make its
 * URL from. `name` is XML-safe and trimmed.
 */
export function tagNameProblem(name: string): string | null {
  if (name === '') return 'must not be empty';
  if (/[<>]/.test(name)) return 'contains < or >';
  if (name.length > MAX_TAG_CHARS) return `is longer than ${MAX_TAG_CHARS} characters`;
  if (slugKey(name) === '') return NO_SLUG;
  return null;
}
