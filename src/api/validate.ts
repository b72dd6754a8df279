import type { z } from 'zod';
import { notFound, validationError, type ErrorDetail } from '../errors';

/** Parses untrusted input or throws one 400 that names every bad field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(result.error.issues.flatMap(describeIssue));
}

/** One detail per field: an unknown key is named in `path`, a body that is no object says so. */
function describeIssue(issue: z.core.$ZodIssue): ErrorDetail[] {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...issue.path, key].join('.'), message: 'is not a known field' }));
  }
  if (issue.code === 'invalid_type' && issue.path.length === 0)
    return [{ path, message: 'the request body must be a JSON object' }];
  return [
    { path, message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message },
  ];
}

const ID_PATTERN = /^[1-9]\d{0,15}$/;

/** A path id that is not a positive integer cannot name anything: 404, like an unknown id. */
export function parseId(raw: string | undefined): number | undefined {
  return raw && ID_PATTERN.test(raw) ? Number(raw) : undefined;
}

/** Drops fields the server owns, so a client may send back the object it fetched (as DRF allows). */
export function withoutReadOnly(body: unknown, fields: readonly string[]): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([key]) => !fields.includes(key)));
}

/** The row a path id names, or 404: for an unknown id and for one that cannot be an id at all. */
export async function findOr404<T>(
  rawId: string | undefined,
  find: (id: number) => Promise<T | undefined>,
  what: string,
): Promise<T> {
  const id = parseId(rawId);
  const row = id ? await find(id) : undefined;
  if (!row) throw notFound(what);
  return row;
}
