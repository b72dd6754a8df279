import { Agent } from 'undici';
import { Deadline } from './deadline';
import { classifyHttpError, type ClassifiedError } from './errors';

export interface D360ClientOptions {
  apiUrl: string;
  apiKey?: string;
  timeoutMs: number;
  /** Connections kept open to 360Dialog; more requests than this queue for one (D360_MAX_CONNECTIONS). */
  maxConnections: number;
}

export type SendResult = { ok: true; providerMessageId: string } | { ok: false; error: ClassifiedError };

export type CloudApiMessage = Record<string, unknown> & { to: string; type: string };

/** The 360Dialog Cloud API endpoint: one key per business number, no version in the path. */
export function createD360Client({ apiUrl, apiKey, timeoutMs, maxConnections }: D360ClientOptions) {
  // Without a bound, a thousand messages due at one instant open a thousand connections (and TLS
  // handshakes) at once; a bounded keep-alive pool reuses warm ones.
  const dispatcher = new Agent({ connections: maxConnections, keepAliveTimeout: 30_000 });

  const headers = { 'content-type': 'application/json', 'D360-API-KEY': apiKey ?? '' };
  const { origin, pathname } = new URL(apiUrl);
  const basePath = pathname.replace(/\/$/, '');

  // dispatcher.request rather than fetch: no Request/Response objects or web streams per send.
  async function post(path: string, body: unknown, limitMs = timeoutMs): Promise<{ status: number; json: unknown }> {
    const deadline = new Deadline(limitMs);
    try {
      const response = await dispatcher.request({
        origin,
        path: `${basePath}${path}`,
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: deadline,
      });
      const text = await response.body.text();
      let json: unknown = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.statusCode, json };
    } finally {
      deadline.clear();
    }
  }

  return {
    configured: Boolean(apiKey),

    async sendMessage(message: CloudApiMessage): Promise<SendResult> {
      let reply: { status: number; json: unknown };
      try {
        reply = await post('/messages', { messaging_product: 'whatsapp', recipient_type: 'individual', ...message });
      } catch (err) {
        const reason =
          err instanceof Error && err.name === 'TimeoutError'
            ? `no answer within ${timeoutMs} ms`
            : String((err as Error).message);
        return {
          ok: false,
          error: { code: 'network_error', message: `360Dialog unreachable: ${reason}`, retryable: true },
        };
      }
      if (reply.status >= 200 && reply.status < 300) {
        const id = (reply.json as { messages?: { id?: string }[] } | undefined)?.messages?.[0]?.id;
        if (id) return { ok: true, providerMessageId: id };
        return {
          ok: false,
          error: {
            code: 'bad_reply',
            message: '360Dialog accepted the message but returned no message id',
            retryable: false,
          },
        };
      }
      return { ok: false, error: classifyHttpError(reply.status, reply.json) };
    },

    /** Blue ticks on an inbound message; true when 360Dialog accepted it within `limitMs` (at most D360_TIMEOUT_MS). */
    async markRead(wamid: string, limitMs = timeoutMs): Promise<boolean> {
      try {
        const body = { messaging_product: 'whatsapp', status: 'read', message_id: wamid };
        const reply = await post('/messages', body, Math.min(limitMs, timeoutMs));
        return reply.status >= 200 && reply.status < 300;
      } catch {
        return false;
      }
    },
  };
}

export type D360Client = ReturnType<typeof createD360Client>;
