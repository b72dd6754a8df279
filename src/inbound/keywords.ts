/** Upper case without accents or surrounding punctuation: `Arrêt.` and `ARRET` are the same word. */
export const foldKeyword = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .trim()
    .replace(/^[\p{P}\s]+|[\p{P}\s]+$/gu, '')
    .toUpperCase();

/** True when the whole message is exactly one of the words (STOP, not "please don't stop"). */
export function isKeyword(text: string | undefined, words: string[]): boolean {
  if (text === undefined) return false;
  const said = foldKeyword(text);
  return said.length > 0 && words.some((word) => foldKeyword(word) === said);
}
