import type { Knex } from 'knex';
import { SERVICE_WINDOW_MS } from '../../rules/service-window';

/** The SQL of the 24-hour window checks (the window itself lives in contacts.last_inbound_at). */
export function createServiceWindowsRepository(db: Knex) {
  return {
    /** Audience members (null: everyone) who would be written as recipients now, and whose window is closed at `at`. */
    async countClosed(audienceGroupIds: number[] | null, at: Date): Promise<number> {
      const query = db('contacts')
        .where({ opted_out: false })
        .whereNotNull('phone_number')
        .where((q) => {
          q.whereNull('last_inbound_at').orWhere('last_inbound_at', '<=', new Date(at.getTime() - SERVICE_WINDOW_MS));
        });
      if (audienceGroupIds) query.whereIn('group_id', audienceGroupIds);
      const [{ count }] = await query.count<{ count: string }[]>({ count: '*' });
      return Number(count);
    },
  };
}
