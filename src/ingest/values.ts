import { decodeHTML } from 'entities';
import { xmlSafe } from '../render/text';

/** A URL resolved against a base; undefined when there is none or it does not parse. */
export function resolve(url: string | undefined | null, base: string): string | undefined {
  if (typeof url !== 'string' || url.trim() === '') return undefined;
  try {
    return new URL(url.trim(), base).href;
  } catch {
    return undefined;
  }
}

/** Text of a title-like value: tags stripped, entities decoded, whitespace collapsed. */
export function plainTitle(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // Only ASCII whitespace collapses: zero-width characters, joiners and marks are text too.
  const text = decodeHTML(value.replace(/<[^<>]*>/g, ' ')).replace(/[\t\n\r\f ]+/g, ' ').replace(/^ | $/g, '');
  return xmlSafe(text) || null;
}
