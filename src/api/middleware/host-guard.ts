import type { Context, Next } from 'koa';
import { AppError } from '../../errors';

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The hostname of a Host header without its port (`[::1]:8000` -> `[::1]`), lower-cased; linear, no regex. */
export function hostnameOf(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    return close === -1 ? value : value.slice(0, close + 1);
  }
  const colon = value.indexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

export const isLoopbackHostHeader = (host: string) => LOOPBACK_HOSTNAMES.has(hostnameOf(host));

/** Whether HOST (the listening address) only accepts connections from this machine. */
export const isLoopbackAddress = (address: string) =>
  address === 'localhost' || address === '::1' || address.startsWith('127.');

/**
 * DNS-rebinding guard (as Vite and Jupyter have): a page on evil.example whose name later
 * resolves to 127.0.0.1 reaches a loopback-only API with `Host: evil.example`. Without an
 * API key nothing else stops it, so only loopback names are accepted then.
 */
export function loopbackHostGuard(enabled: boolean) {
  return async function guardHost(ctx: Context, next: Next): Promise<void> {
    const host = ctx.req.headers.host ?? '';
    if (enabled && !isLoopbackHostHeader(host)) {
      throw new AppError(
        403,
        'host_not_allowed',
        'this API listens on loopback without API_KEY and only answers requests addressed to localhost, 127.0.0.1 or [::1]; set API_KEY (and HOST) to serve other names',
      );
    }
    return next();
  };
}
