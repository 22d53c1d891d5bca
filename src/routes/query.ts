import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { z } from 'zod';
import { badRequest } from '../http/problem';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

/** `?limit=N`: a whole number from 1 to 100, 20 when absent. Other parameters are ignored. */
export const feedQuery = z.object({
  limit: z
    .string()
    .regex(/^[0-9]+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1').max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`))
    .default(DEFAULT_LIMIT),
});

/** zValidator whose failures become a 400 problem naming each bad field. */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      throw badRequest(
        result.error.issues.map((issue) => ({
          field: issue.path.length ? issue.path.join('.') : target,
          message: issue.message,
        })),
      );
    }
  });
}
