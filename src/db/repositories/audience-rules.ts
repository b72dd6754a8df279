import type { Knex } from 'knex';
import { SERVICE_WINDOW_MS } from '../../rules/service-window';

/** The SQL of the checks a broadcast's audience gets at POST time (the window lives in contacts.last_inbound_at). */
export function createAudienceRulesRepository(db: Knex) {
  const recipients = (audienceGroupIds: number[] | null) => {
    const query = db('contacts').where({ opted_out: false }).whereNotNull('phone_number');
    if (audienceGroupIds) query.whereIn('group_id', audienceGroupIds);
    return query;
  };
  const count = async (query: Knex.QueryBuilder) =>
    Number((await query.count<{ count: string }[]>({ count: '*' }))[0].count);

  return {
    /** Audience members who would be written as recipients now. */
    countRecipients: (audienceGroupIds: number[] | null) => count(recipients(audienceGroupIds)),

    /** Audience members with a US (+1) number. */
    countUsNumbers: (audienceGroupIds: number[] | null) =>
      count(recipients(audienceGroupIds).whereLike('phone_number', '+1%')),

    /** Audience members (null: everyone) who would be written as recipients now, and whose window is closed at `at`. */
    countClosed: (audienceGroupIds: number[] | null, at: Date) =>
      count(
        recipients(audienceGroupIds).where((q) => {
          q.whereNull('last_inbound_at').orWhere('last_inbound_at', '<=', new Date(at.getTime() - SERVICE_WINDOW_MS));
        }),
      ),
  };
}
