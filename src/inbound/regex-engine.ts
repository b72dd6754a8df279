import { RE2JS } from 're2js';

export const MAX_PATTERN_LENGTH = 500;
const CACHE_SIZE = 500;

/**
 * Auto-reply regexes run on RE2 (re2js, the pure-JavaScript port of RE2/J): matching is
 * linear in the text whatever the pattern, so no pattern can stall a worker and none needs a
 * shape heuristic or a time limit. What RE2 cannot run in linear time it does not accept at
 * all (backreferences, lookaround, possessive repeats, counts above 1000): that is its syntax.
 */
const compiled = new Map<string, RE2JS>();

function compile(pattern: string, caseSensitive: boolean): RE2JS {
  const cacheKey = `${caseSensitive ? 's' : 'i'}:${pattern}`;
  let re = compiled.get(cacheKey);
  if (!re) {
    re = RE2JS.compile(pattern, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
    if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value as string);
    compiled.set(cacheKey, re);
  }
  return re;
}

/** Why RE2 refuses this pattern, or undefined when it compiles. */
export function regexProblem(pattern: string, caseSensitive: boolean): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  try {
    compile(pattern, caseSensitive);
    return undefined;
  } catch (err) {
    return `not a valid RE2 regular expression: ${(err as Error).message}`;
  }
}

/** Whether the pattern occurs in the text. A stored pattern RE2 refuses (saved before RE2) never matches. */
export function regexTest(pattern: string, caseSensitive: boolean, text: string): boolean {
  try {
    return compile(pattern, caseSensitive).matcher(text).find();
  } catch {
    return false;
  }
}
