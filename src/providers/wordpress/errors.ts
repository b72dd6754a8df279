import {
  WORDPRESS_FORBIDDEN,
  WORDPRESS_NETWORK_ERROR,
  WORDPRESS_NOT_FOUND,
  WORDPRESS_UNAUTHORIZED,
} from '../../../workflows/failure-codes';

/** A failed WordPress request, classified once so the sync knows whether to retry. */
export class WordPressError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** From Retry-After on 429/503, when the site sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'WordPressError';
  }
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

interface WpErrorBody {
  code?: string;
  message?: string;
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function httpError(status: number, body: unknown, url: string, retryAfterHeader: string | null): WordPressError {
  const wp = (typeof body === 'object' && body !== null ? body : {}) as WpErrorBody;
  const said = wp.message ? `: ${wp.code ? `${wp.code} ` : ''}${wp.message}` : '';
  if (status === 401) {
    return new WordPressError(
      `WordPress rejected the credentials (401${said}) at ${url}. Check WORDPRESS_USERNAME and WORDPRESS_APP_PASSWORD ` +
        '(an Application Password from Users > Profile, spaces included). If they are right, the web server is probably ' +
        'dropping the Authorization header: on Apache with PHP as CGI/FastCGI add ' +
        '"SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1" (or the equivalent RewriteRule) to .htaccess.',
      WORDPRESS_UNAUTHORIZED,
      false,
      status,
    );
  }
  if (status === 403) {
    return new WordPressError(
      `WordPress refused access (403${said}) at ${url}: the WORDPRESS_USERNAME user lacks the capability this route needs`,
      WORDPRESS_FORBIDDEN,
      false,
      status,
    );
  }
  if (status === 404) {
    return new WordPressError(
      `WordPress has no such route (404${said}) at ${url}: check WORDPRESS_URL and WORDPRESS_CONTACTS_PATH (or that the plugin of WORDPRESS_PRESET is active)`,
      WORDPRESS_NOT_FOUND,
      false,
      status,
    );
  }
  const retryable = RETRYABLE_STATUS.has(status);
  return new WordPressError(
    `WordPress answered HTTP ${status}${said} at ${url}`,
    wp.code ?? `http_${status}`,
    retryable,
    status,
    retryAfter(retryAfterHeader),
  );
}

export function networkError(err: unknown, url: string, timeoutMs: number): WordPressError {
  const e = err as Error;
  const reason =
    e?.name === 'TimeoutError' || e?.name === 'AbortError'
      ? `no answer within ${timeoutMs} ms`
      : (e?.message ?? String(err));
  return new WordPressError(`WordPress unreachable at ${url}: ${reason}`, WORDPRESS_NETWORK_ERROR, true);
}
