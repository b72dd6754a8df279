import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent, fetch } from 'undici';
import { checkUrl, type PinnedAddress, type Resolver } from './url-guard';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the connection that answers the checked address whatever the host: Node asks
 * it instead of DNS, with `all` (happy eyeballs) or without, and gets the pin either way.
 */
export function pinnedLookup(pinned: PinnedAddress) {
  return (_hostname: string, options: LookupOptions | LookupCallback, callback?: LookupCallback): void => {
    const done = (typeof options === 'function' ? options : callback) as LookupCallback;
    const all = typeof options === 'object' && options.all;
    if (all) done(null, [{ address: pinned.address, family: pinned.family }]);
    else done(null, pinned.address, pinned.family);
  };
}

export interface PostOutcome {
  ok: boolean;
  responseCode: number | null;
  latencyMs: number;
  error: string | null;
}

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
  allowPrivate: boolean;
  timeoutMs: number;
  resolve?: Resolver;
}

/**
 * POSTs one event to a subscriber URL, checked before the attempt (DNS can change after the
 * subscription) and connected to exactly the checked address: its own agent, whose lookup is
 * pinned, so the socket cannot go anywhere the guard did not see. TLS still verifies the host name.
 */
export async function postToCheckedUrl(
  rawUrl: string,
  { headers, body, allowPrivate, timeoutMs, resolve }: PostOptions,
): Promise<PostOutcome> {
  const started = Date.now();
  const check = await checkUrl(rawUrl, { allowPrivate, ...(resolve ? { resolve } : {}) });
  if (check.problem !== undefined)
    return { ok: false, responseCode: null, latencyMs: 0, error: `url ${check.problem}` };
  const dispatcher = check.pinned ? new Agent({ connect: { lookup: pinnedLookup(check.pinned) } }) : undefined;
  try {
    const response = await fetch(rawUrl, {
      method: 'POST',
      headers,
      body,
      // A redirect could point anywhere, private addresses included: not followed, counts as a failure.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      ...(dispatcher ? { dispatcher } : {}),
    });
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      responseCode: response.status,
      latencyMs: Date.now() - started,
      error: ok ? null : `HTTP ${response.status}`,
    };
  } catch (err) {
    const reason =
      (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String((err as Error).message);
    return { ok: false, responseCode: null, latencyMs: Date.now() - started, error: reason };
  } finally {
    void dispatcher?.close().catch(() => undefined);
  }
}
