import type { ApiClient } from '../../test/helpers/api-client';
import { delay } from './pool';

const ATTEMPTS = 5;
const BACKOFF_MS = 500;

/**
 * POST /whatsapp/ as a well-behaved client would: a 503 (the API could not reach Temporal in
 * time, as happens on an overloaded machine) is retried after a pause, a few times, and counted
 * in `retries` so the row can say so; anything else but 201 fails the benchmark.
 */
export async function postMessage(api: ApiClient, body: Record<string, unknown>, retries: { count: number }) {
  for (let attempt = 1; ; attempt++) {
    const res = await api.post('/whatsapp/', body);
    if (res.status === 201) return res;
    if (res.status !== 503 || attempt === ATTEMPTS) throw new Error(`POST /whatsapp/ answered ${res.status}: ${JSON.stringify(res.body)}`);
    retries.count++;
    await delay(BACKOFF_MS * attempt);
  }
}
