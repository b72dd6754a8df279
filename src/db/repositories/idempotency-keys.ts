import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

export const IDEMPOTENCY_KEYS_TABLE = 'idempotency_keys';

interface IdempotencyRow {
  scope: string;
  key: string;
  token: string;
  fingerprint: string;
  status_code: number | null;
  response_body: unknown;
  locked_at: Date;
  expires_at: Date;
}

export type IdempotencyBegin =
  | { kind: 'started'; token: string }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' };

export interface IdempotencyTimes {
  ttlMs: number;
  /** A request still "in progress" after this long died with its process: another may take the key over. */
  lockTimeoutMs: number;
}

export function createIdempotencyKeysRepository(db: Knex) {
  const table = () => db<IdempotencyRow>(IDEMPOTENCY_KEYS_TABLE);

  /** Takes the key: a new one, or one whose record expired. Undefined when a live record holds it. */
  async function claim(scope: string, key: string, fingerprint: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const { rows } = await db.raw(
      `INSERT INTO ${IDEMPOTENCY_KEYS_TABLE} (scope, key, token, fingerprint, expires_at)
       VALUES (?, ?, ?, ?, now() + ? * interval '1 millisecond')
       ON CONFLICT (scope, key) DO UPDATE SET token = EXCLUDED.token, fingerprint = EXCLUDED.fingerprint,
         status_code = NULL, response_body = NULL, locked_at = now(), created_at = now(), expires_at = EXCLUDED.expires_at
       WHERE ${IDEMPOTENCY_KEYS_TABLE}.expires_at <= now()
       RETURNING token`,
      [scope, key, token, fingerprint, ttlMs],
    );
    return rows[0]?.token;
  }

  return {
    async begin(
      scope: string,
      key: string,
      fingerprint: string,
      { ttlMs, lockTimeoutMs }: IdempotencyTimes,
    ): Promise<IdempotencyBegin> {
      const token = await claim(scope, key, fingerprint, ttlMs);
      if (token) return { kind: 'started', token };
      const row = await table().where({ scope, key }).first();
      // Released (a failed first request) between our insert and this read: take it now.
      if (!row) {
        const retaken = await claim(scope, key, fingerprint, ttlMs);
        return retaken ? { kind: 'started', token: retaken } : { kind: 'in_progress' };
      }
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.status_code !== null) return { kind: 'replay', status: row.status_code, body: row.response_body };
      const [stale] = await table()
        .where({ scope, key, token: row.token })
        .whereNull('status_code')
        .where('locked_at', '<', db.raw(`now() - ? * interval '1 millisecond'`, [lockTimeoutMs]))
        .update({ locked_at: db.fn.now() })
        .returning('token');
      return stale ? { kind: 'started', token: (stale as { token: string }).token } : { kind: 'in_progress' };
    },

    /** Keeps the answer for replays until the key expires. */
    finish: (scope: string, key: string, token: string, status: number, body: unknown) =>
      table()
        .where({ scope, key, token })
        .update({ status_code: status, response_body: body === undefined ? null : JSON.stringify(body) })
        .then(() => undefined),

    /** The request failed without a final answer (an error, a 5xx): the key is free for a retry. */
    release: (scope: string, key: string, token: string) =>
      table()
        .where({ scope, key, token })
        .delete()
        .then(() => undefined),

    purgeExpired: () => table().where('expires_at', '<=', db.fn.now()).delete(),
  };
}

export type IdempotencyKeysRepository = ReturnType<typeof createIdempotencyKeysRepository>;
