import { z } from 'zod';

export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 64;
// Letters and digits of any script, then also space, _ . : - (e.g. "landing:spring-sale").
const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _.:-]*$/u;

/** The one spelling of a tag: trimmed, inner spaces collapsed, lower-case, so "VIP " and "vip" are one tag. */
export const normaliseTag = (raw: string) => raw.trim().replace(/\s+/g, ' ').toLowerCase();

export const isValidTag = (tag: string) => tag.length >= 1 && tag.length <= MAX_TAG_LENGTH && TAG_PATTERN.test(tag);

/** Normalised, valid, unique tags in first-seen order; invalid ones are dropped (for sources we cannot refuse, such
 * as WordPress). */
export function cleanTags(raw: readonly string[]): string[] {
  const tags = [...new Set(raw.map(normaliseTag))].filter(isValidTag);
  return tags.slice(0, MAX_TAGS);
}

/** Splits "vip, berlin; spring" (comma, semicolon or pipe) into tags. */
export const splitTags = (text: string) =>
  text
    .split(/[,;|]/)
    .map((t) => t.trim())
    .filter(Boolean);

export const tagSchema = z
  .string()
  .max(200)
  .transform(normaliseTag)
  .refine(
    isValidTag,
    `a tag is 1-${MAX_TAG_LENGTH} letters, digits, spaces or _ . : - starting with a letter or digit`,
  );

export const tagsSchema = z
  .array(tagSchema)
  .max(MAX_TAGS, `at most ${MAX_TAGS} tags`)
  .transform((tags) => [...new Set(tags)])
  .meta({ description: `Lower-cased and trimmed; duplicates merged; at most ${MAX_TAGS}`, example: ['vip', 'berlin'] });
