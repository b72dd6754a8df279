/** Punctuation or white space: what may surround a keyword. One code point per test, so stripping stays linear. */
const EDGE = /^[\p{P}\s]$/u;

/**
 * Drops the punctuation and white space at both ends. A scan from each end, linear in the
 * length: the regex it replaces, `[\p{P}\s]+$`, retried its run from every starting point
 * (quadratic: 128K characters took ~12 s).
 */
function stripEdges(text: string): string {
  const chars = Array.from(text);
  let start = 0;
  let end = chars.length;
  while (start < end && EDGE.test(chars[start])) start++;
  while (end > start && EDGE.test(chars[end - 1])) end--;
  return start === 0 && end === chars.length ? text : chars.slice(start, end).join('');
}

/** Upper case without accents or surrounding punctuation: `Arrêt.` and `ARRET` are the same word. */
export const foldKeyword = (text: string) => stripEdges(text.normalize('NFD').replace(/\p{M}/gu, '')).toUpperCase();

/** True when the whole message is exactly one of the words (STOP, not "please don't stop"). */
export function isKeyword(text: string | undefined, words: string[]): boolean {
  if (text === undefined) return false;
  const said = foldKeyword(text);
  return said.length > 0 && words.some((word) => foldKeyword(word) === said);
}
