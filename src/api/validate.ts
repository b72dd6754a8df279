import type { z } from 'zod';
import { validationError } from '../errors';

/** Parses untrusted input or throws one 400 that names every bad field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(
    result.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message,
    })),
  );
}

const ID_PATTERN = /^[1-9]\d{0,15}$/;

/** A path id that is not a positive integer cannot name anything: 404, like an unknown id. */
export function parseId(raw: string | undefined): number | undefined {
  return raw && ID_PATTERN.test(raw) ? Number(raw) : undefined;
}
