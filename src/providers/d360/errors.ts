/**
 * How a 360Dialog / WhatsApp Cloud API error is handled is decided by its code, never
 * by its text (360Dialog's WhatsApp Cloud API documentation, "Errors").
 */
import { RULE_EXPLANATIONS } from './rule-codes';

export const RETRYABLE_META_CODES = new Set([130429, 131056, 80007, 4, 1, 2, 131000, 131016, 133004, 131057]);
export const RETRYABLE_HTTP = new Set([408, 425, 429, 500, 502, 503, 504]);

const EXPLANATIONS: Record<string, string> = {
  '131047':
    "outside the 24-hour window: free text is only allowed within 24 hours of the customer's last message; send an approved template",
  '131026': 'the recipient cannot receive this message (not on WhatsApp, or on an old app version)',
  '131050': 'the customer has opted out of marketing messages from this business',
  '131048': 'spam rate limit hit: too many messages from this number were blocked or reported; slow down',
  '131049': 'per-user marketing limit: Meta chose not to deliver this marketing message to this user now',
  '131051': 'unsupported message type',
  '131053': 'the media could not be uploaded or downloaded; check the link',
  '131021': "the recipient is the sender's own number",
  '131031': 'the business account is locked or restricted',
  '131042': 'a payment problem on the business account',
  '131008': 'a required parameter is missing',
  '131009': 'a parameter value is not valid',
  '130403': 'the recipient is in a country where this business cannot message',
  '130497': 'the business account is restricted from messaging users in this country',
  '368': 'the business account is temporarily blocked for policy violations',
  '100': 'invalid parameter in the request',
  '401': 'the D360-API-KEY was rejected (401): check D360_API_KEY',
  '403': 'forbidden by 360Dialog (403): the key has no access to this number',
  opted_out: 'the contact has opted out; nothing was sent',
  send_outcome_unknown:
    "a send attempt ended without recording WhatsApp's answer (a worker died mid-send); it was not sent again, to avoid a duplicate. Check with the recipient; a delivery report from WhatsApp corrects this status",
  not_configured: 'D360_API_KEY is not set, so nothing can be sent',
  ...RULE_EXPLANATIONS,
};

export function explain(code: string, fallback?: string): string {
  if (EXPLANATIONS[code]) return EXPLANATIONS[code];
  const numeric = Number(code);
  if (numeric >= 132000 && numeric <= 132018)
    return `template problem (${code}): ${fallback ?? 'check the template name, language and parameters'}`;
  return fallback ?? `WhatsApp error ${code}`;
}

export interface ClassifiedError {
  code: string;
  message: string;
  retryable: boolean;
}

interface ErrorBody {
  error?: { code?: number; message?: string; error_data?: { details?: string } };
  meta?: { developer_message?: string; http_code?: number };
}

export function classifyHttpError(status: number, body: unknown): ClassifiedError {
  const parsed = (typeof body === 'object' && body !== null ? body : {}) as ErrorBody;
  const metaCode = parsed.error?.code;
  const text = parsed.error?.error_data?.details ?? parsed.error?.message ?? parsed.meta?.developer_message;
  if (typeof metaCode === 'number') {
    const code = String(metaCode);
    return { code, message: explain(code, text), retryable: RETRYABLE_META_CODES.has(metaCode) };
  }
  if (status === 400 && /rate limit/i.test(text ?? '')) {
    return { code: 'rate_limited', message: text ?? 'rate limited by 360Dialog', retryable: true };
  }
  const code = String(status);
  return {
    code,
    message: EXPLANATIONS[code] ?? `360Dialog answered HTTP ${status}${text ? `: ${text}` : ''}`,
    retryable: RETRYABLE_HTTP.has(status),
  };
}
