import type { Knex } from 'knex';
import { MESSAGES_TABLE, type Message } from './messages';

/** The SQL of the 131049 deferral: at most once per message, whatever reported it. */
export function createMarketingCapRepository(db: Knex) {
  return {
    /**
     * These messages wait `deferred` until `until` for their one retry; the earlier attempt's
     * send and failure times are cleared so the retry records its own. Returns the rows deferred
     * now: a message deferred for the cap before is left as it is (its second 131049 fails it).
     */
    defer: (ids: number[], until: Date, message: string, trx: Knex = db): Promise<Message[]> =>
      ids.length === 0
        ? Promise.resolve([])
        : trx(MESSAGES_TABLE)
            .whereIn('id', ids)
            .whereNull('marketing_cap_deferred_at')
            .update({
              status: 'deferred',
              scheduled_at: until,
              error_code: 'marketing_cap_deferred',
              error_message: message,
              sending_since: null,
              sent_at: null,
              failed_at: null,
              marketing_cap_deferred_at: trx.fn.now(),
              updated_at: trx.fn.now(),
            })
            .returning('*'),
  };
}
