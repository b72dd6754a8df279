import { AppError } from '../../errors';

/** Deeper than any request we define; deep enough nesting would overflow the stack in JSON.stringify later. */
export const MAX_JSON_DEPTH = 32;

const invalidJson = (why: string) => new AppError(400, 'invalid_json', `the request body is not valid JSON: ${why}`);

/** Bytes that are not UTF-8 would otherwise be replaced by U+FFFD and stored as quietly corrupted text. */
function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidJson('it contains bytes that are not UTF-8');
  }
}

/** One linear scan, before parsing, so nothing recursive ever meets a hostile nesting depth. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** `__proto__` keys are refused so no later merge can turn them into prototype pollution. */
function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw invalidJson('the key "__proto__" is not allowed');
  return value;
}

/** Parses a UTF-8 JSON document, refusing invalid bytes, nesting deeper than MAX_JSON_DEPTH and `__proto__` keys. */
export function parseJsonText(bytes: Buffer): unknown {
  const text = decodeUtf8(bytes);
  if (nestingDepth(text) > MAX_JSON_DEPTH) throw invalidJson(`it is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text, refuseProtoKeys);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw invalidJson((err as Error).message);
  }
}
