import type { ApiClient } from './api-client';
import { eventually } from './poll';

/** Polls GET /whatsapp/{id}/ until the message reaches `status`. */
export function waitForStatus(api: ApiClient, id: number, status: string, timeoutMs = 20_000) {
  return eventually(
    async () => {
      const { body } = await api.get(`/whatsapp/${id}/`);
      return body.status === status ? body : undefined;
    },
    { timeoutMs, what: `message ${id} to be ${status}` },
  );
}

export const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
