import type { ApiClient } from '../../test/helpers/api-client';
import { delay } from './pool';

const ATTEMPTS = 5;
const BACKOFF_MS = 500;

/**
 * 503: Temporal unreachable in time. 500: on an overloaded machine today's synchronous start can fail with gRPC
 * CANCELLED, which the API does not map to 503.
 */
const RETRIED = new Set([500, 503]);

/**
 * POST /whatsapp/ as a well-behaved client would: a 503 or 500 (seen when the machine is so
 * loaded that the workflow start inside the request fails) is retried after a pause, a few
 * times, and counted in `retries` so the run can say so; anything else but 201 fails it.
 */
export async function postMessage(api: ApiClient, body: Record<string, unknown>, retries: { count: number }) {
  for (let attempt = 1; ; attempt++) {
    const res = await api.post('/whatsapp/', body);
    if (res.status === 201) return res;
    if (!RETRIED.has(res.status) || attempt === ATTEMPTS)
      throw new Error(`POST /whatsapp/ answered ${res.status}: ${JSON.stringify(res.body)}`);
    retries.count++;
    await delay(BACKOFF_MS * attempt);
  }
}
