/*
 * Failure codes that cross Temporal as ApplicationFailure types and end up on message rows
 * (`error_code`) and sync reports. Workflows decide on them (retry or not), activities and
 * providers throw them: one module, importable from the workflow sandbox (no imports).
 */

/** A worker shutting down hands its send or chunk to another worker (retryable). */
export const WORKER_STOPPING = 'worker_stopping';
/** A send that ran out of retries without a more precise code. */
export const SEND_FAILED = 'send_failed';
/** The provider (360Dialog key, WORDPRESS_URL) is not configured on the worker. */
export const NOT_CONFIGURED = 'not_configured';
/** An earlier attempt claimed the message and never recorded WhatsApp's answer: it is never sent blindly again. */
export const SEND_OUTCOME_UNKNOWN = 'send_outcome_unknown';
/** The recipient opted out before the send. */
export const OPTED_OUT = 'opted_out';

/** WordPress failures, as WordPressError codes and the import activity's failure types. */
export const WORDPRESS_UNAUTHORIZED = 'unauthorized';
export const WORDPRESS_FORBIDDEN = 'forbidden';
export const WORDPRESS_NOT_FOUND = 'not_found';
export const WORDPRESS_BAD_REPLY = 'bad_reply';
export const WORDPRESS_NETWORK_ERROR = 'network_error';

/** WordPress failures that retrying cannot fix: credentials, rights, the route, the reply's shape, no WORDPRESS_URL. */
export const WORDPRESS_PERMANENT_FAILURES = [
  WORDPRESS_UNAUTHORIZED,
  WORDPRESS_FORBIDDEN,
  WORDPRESS_NOT_FOUND,
  WORDPRESS_BAD_REPLY,
  NOT_CONFIGURED,
];
