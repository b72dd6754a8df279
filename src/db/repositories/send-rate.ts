import type { Knex } from 'knex';

export const SEND_RATE_TABLE = 'send_rate_slots';
const DEFAULT_SENDER = 'default';

/**
 * Hands out send slots spaced 1/rate seconds apart, one shared row for every worker:
 * the row update serialises them, so the rate holds across processes without bursts.
 * Returns how long the caller must wait for its slot.
 */
export function createSendRateRepository(db: Knex) {
  return {
    async reserveSlot(perSecond: number, sender = DEFAULT_SENDER): Promise<number> {
      const spacing = 1 / perSecond;
      const { rows } = await db.raw(
        `INSERT INTO ${SEND_RATE_TABLE} AS s (sender, next_slot_at) VALUES (?, clock_timestamp() + make_interval(secs => ?))
         ON CONFLICT (sender) DO UPDATE
           SET next_slot_at = GREATEST(s.next_slot_at, clock_timestamp()) + make_interval(secs => ?)
         RETURNING GREATEST(0, EXTRACT(EPOCH FROM (s.next_slot_at - make_interval(secs => ?) - clock_timestamp())) * 1000)::float8 AS wait_ms`,
        [sender, spacing, spacing, spacing],
      );
      return Number(rows[0].wait_ms);
    },
  };
}
