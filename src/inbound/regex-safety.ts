import { runInNewContext } from 'node:vm';

export const MAX_PATTERN_LENGTH = 500;
/** A rule's regex gets this long per message; past it the rule simply does not match. */
export const REGEX_TIME_LIMIT_MS = 50;

const UNBOUNDED = /^(\*|\+|\{\d+,\}|\{\d+,\d{2,}\})/;

/**
 * Rejects the shapes that make backtracking regexes explode: a repeated group that itself
 * repeats or alternates ((a+)+, (a|aa)*, (\w+\s?)*) and backreferences. A static check
 * (star height), so a saved rule cannot hang the worker; matching is also time-bounded.
 */
export function regexProblem(pattern: string, caseSensitive: boolean): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(pattern, caseSensitive ? 'u' : 'iu');
  } catch (err) {
    return `not a valid regular expression: ${(err as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not allowed (they can make matching take exponential time)';

  // For each open group: does it contain a repetition or an alternation?
  const stack: { risky: boolean }[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    if (c === '(') stack.push({ risky: false });
    else if (c === '|' && stack.length > 0) stack[stack.length - 1].risky = true;
    else if (UNBOUNDED.test(pattern.slice(i)) && stack.length > 0) stack[stack.length - 1].risky = true;
    else if (c === ')') {
      const group = stack.pop();
      const repeated = UNBOUNDED.test(pattern.slice(i + 1));
      if (group?.risky && repeated) return 'a repeated group contains a repetition or alternation (like (a+)+ or (a|b)*), which can backtrack catastrophically';
      if ((group?.risky || repeated) && stack.length > 0) stack[stack.length - 1].risky = true;
    }
  }
  return undefined;
}

/** Runs one regex test with a hard time limit; a pattern that runs away counts as no match. */
export function safeRegexTest(pattern: string, caseSensitive: boolean, text: string): boolean {
  try {
    return runInNewContext('new RegExp(pattern, flags).test(text)', { pattern, flags: caseSensitive ? 'u' : 'iu', text }, { timeout: REGEX_TIME_LIMIT_MS }) === true;
  } catch {
    return false;
  }
}
