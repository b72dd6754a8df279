import type { Knex } from 'knex';

export const RECIPIENT_SLOTS_TABLE = 'recipient_send_slots';

/**
 * Meta's pair rate (about one message per 6 s to the same person, 131056) as send slots per
 * recipient, one row each, shared by every worker like the number's slots (send-rate.ts): the
 * upsert serialises reservations for the same person. Returns each request's wait, in order;
 * a person asked for twice in one batch gets two slots `spacingSeconds` apart.
 */
export function createPairRateRepository(db: Knex) {
  return {
    async reserve(phones: string[], spacingSeconds: number): Promise<number[]> {
      if (phones.length === 0 || spacingSeconds <= 0) return phones.map(() => 0);
      const counts = new Map<string, number>();
      for (const phone of phones) counts.set(phone, (counts.get(phone) ?? 0) + 1);
      const { rows } = await db.raw(
        `INSERT INTO ${RECIPIENT_SLOTS_TABLE} AS s (phone_number, next_slot_at, last_span)
         SELECT v.phone, clock_timestamp() + make_interval(secs => v.n * ?), make_interval(secs => v.n * ?)
         FROM unnest(?::text[], ?::int[]) AS v(phone, n)
         ON CONFLICT (phone_number) DO UPDATE
           SET next_slot_at = GREATEST(s.next_slot_at, clock_timestamp()) + EXCLUDED.last_span, last_span = EXCLUDED.last_span
         RETURNING s.phone_number, EXTRACT(EPOCH FROM (s.next_slot_at - s.last_span - clock_timestamp())) * 1000 AS first_wait_ms`,
        [spacingSeconds, spacingSeconds, [...counts.keys()], [...counts.values()]],
      );
      const first = new Map<string, number>(
        rows.map((row: { phone_number: string; first_wait_ms: string }) => [
          row.phone_number,
          Number(row.first_wait_ms),
        ]),
      );
      const seen = new Map<string, number>();
      return phones.map((phone) => {
        const nth = seen.get(phone) ?? 0;
        seen.set(phone, nth + 1);
        return Math.max(0, (first.get(phone) ?? 0) + nth * spacingSeconds * 1000);
      });
    },
  };
}
