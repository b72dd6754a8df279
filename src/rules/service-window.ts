import type { ServiceWindowPolicy } from '../config-rules';
import { AppError } from '../errors';
import { ruleWarning, type RuleWarning } from '../providers/d360/rule-codes';

/**
 * WhatsApp's 24-hour customer service window: free text and media reach a customer only
 * until 24 hours after their last message to us; outside it only an approved template does
 * (131047). 360Dialog's WhatsApp Cloud API documentation, "Errors" and "Rules that decide whether a send can succeed".
 */
export const SERVICE_WINDOW_MS = 24 * 3_600_000;

/** Only these need an open window; a template is what WhatsApp allows outside it. */
export const needsServiceWindow = (type: string) => type === 'text' || type === 'media';

export const serviceWindowEndsAt = (lastInboundAt: Date | null): Date | null =>
  lastInboundAt ? new Date(lastInboundAt.getTime() + SERVICE_WINDOW_MS) : null;

export const isWindowOpenAt = (lastInboundAt: Date | null, at: Date) =>
  lastInboundAt !== null && lastInboundAt.getTime() + SERVICE_WINDOW_MS > at.getTime();

export type SendTimeWindow = 'send' | 'fallback' | 'refuse';

/**
 * At the send instant: an open window (or a template) sends as is; a closed one sends the
 * fallback template when there is one, else fails before any call to WhatsApp under `enforce`;
 * `warn` lets WhatsApp decide (our view of the window is only as complete as our inbound history).
 */
export function sendTimeWindow(
  message: { type: string; fallback_template: unknown; last_inbound_at: Date | null },
  policy: ServiceWindowPolicy,
  now = new Date(),
): SendTimeWindow {
  if (policy === 'off' || !needsServiceWindow(message.type) || isWindowOpenAt(message.last_inbound_at, now))
    return 'send';
  if (message.fallback_template) return 'fallback';
  return policy === 'enforce' ? 'refuse' : 'send';
}

const when = (lastInboundAt: Date | null) =>
  lastInboundAt
    ? `their window closes at ${serviceWindowEndsAt(lastInboundAt)?.toISOString()}`
    : 'they have never written to this number';

/**
 * At POST time, one recipient: under `enforce` a closed window at `at` without a fallback is
 * refused (422 outside_service_window); otherwise the caller gets a warning with the message.
 */
export function checkRecipientWindow(
  input: { type: string; field: string; hasFallback: boolean; lastInboundAt: Date | null; at: Date },
  policy: ServiceWindowPolicy,
): RuleWarning[] {
  if (policy === 'off' || !needsServiceWindow(input.type) || isWindowOpenAt(input.lastInboundAt, input.at)) return [];
  if (input.hasFallback)
    return [
      ruleWarning(
        'outside_service_window_warning',
        `${when(input.lastInboundAt)}; the fallback_template will be sent instead`,
      ),
    ];
  if (policy === 'enforce') {
    throw new AppError(
      422,
      'outside_service_window',
      `the customer's 24-hour service window will be closed at the message's time (${when(input.lastInboundAt)}), and WhatsApp only delivers approved templates outside it: send a template, or add a fallback_template`,
      [{ path: input.field, message: 'free text and media need an open 24-hour service window' }],
    );
  }
  return [ruleWarning('outside_service_window_warning', when(input.lastInboundAt))];
}

/**
 * At POST time, a broadcast (or status): never refused for some closed windows; says how many and
 * what will happen to them. Under `enforce`, one that would reach nobody (every recipient's window
 * closed, no fallback) is refused like a single message. `recipients`: the audience's size, when asked.
 */
export function broadcastWindowWarnings(
  input: { type: string; field: string; hasFallback: boolean; closed: number; recipients?: number },
  policy: ServiceWindowPolicy,
): RuleWarning[] {
  if (policy === 'off' || !needsServiceWindow(input.type) || input.closed === 0) return [];
  if (policy === 'enforce' && !input.hasFallback && input.closed === input.recipients) {
    throw new AppError(
      422,
      'outside_service_window',
      `every recipient's 24-hour service window will be closed at this time (${input.closed} of ${input.recipients}), and WhatsApp only delivers approved templates outside it, so nobody would get it: send a template instead`,
      [{ path: input.field, message: 'free text and media need an open 24-hour service window' }],
    );
  }
  const fate = input.hasFallback
    ? 'they will get the fallback_template instead'
    : policy === 'enforce'
      ? 'they will be skipped unless they write first'
      : 'WhatsApp will probably refuse them';
  return [
    ruleWarning(
      'outside_service_window_warning',
      `${input.closed} recipient(s) have a closed window at this time; ${fate}`,
    ),
  ];
}
