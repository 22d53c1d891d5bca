import { z } from 'zod';
import { tagNameProblem } from '../domain/tag';
import { xmlSafe } from '../html/text';

/** A tag name as the admin API takes it (posts, sources): characters XML forbids removed, trimmed, then judged by tagNameProblem. */
export const tagName = z
  .string()
  .transform((value, ctx) => {
    const name = xmlSafe(value).trim();
    const problem = tagNameProblem(name);
    if (problem === null) return name;
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  })
  .describe('a tag name');
