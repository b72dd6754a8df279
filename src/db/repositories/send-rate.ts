import type { Knex } from 'knex';

export const SEND_RATE_TABLE = 'send_rate_slots';
const DEFAULT_SENDER = 'default';

/**
 * Hands out send slots spaced 1/rate seconds apart, one shared row for every worker:
 * the row update serialises them, so the rate holds across processes without bursts.
 * Returns how long the caller must wait for each of its slots.
 */
export function createSendRateRepository(db: Knex) {
  return {
    async reserveSlots(perSecond: number, count: number, sender = DEFAULT_SENDER): Promise<number[]> {
      if (count === 0) return [];
      const spacing = 1 / perSecond;
      const span = spacing * count;
      const { rows } = await db.raw(
        `INSERT INTO ${SEND_RATE_TABLE} AS s (sender, next_slot_at) VALUES (?, clock_timestamp() + make_interval(secs => ?))
         ON CONFLICT (sender) DO UPDATE
           SET next_slot_at = GREATEST(s.next_slot_at, clock_timestamp()) + make_interval(secs => ?)
         RETURNING EXTRACT(EPOCH FROM (s.next_slot_at - make_interval(secs => ?) - clock_timestamp())) * 1000 AS first_wait_ms`,
        [sender, span, span, span],
      );
      const first = Number(rows[0].first_wait_ms);
      return Array.from({ length: count }, (_, i) => Math.max(0, first + i * spacing * 1000));
    },
  };
}
