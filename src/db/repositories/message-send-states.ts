import type { Knex } from 'knex';
import { changeMessage, messagesTable, MESSAGES_TABLE, type Message } from './message-rows';

export type LockedMessage = Message & { recipient_opted_out: boolean; recipient_last_inbound_at: Date | null };

/**
 * A message's way through a send: locked and claimed (`sending`), then sent, deferred, failed, or let go for a
 * retry. Every step clears `sending_since` once WhatsApp's answer is known.
 */
export function createMessageSendStates(db: Knex) {
  const table = (trx: Knex = db) => messagesTable(trx);
  const change = (id: number, fields: Record<string, unknown>, trx?: Knex) => changeMessage(db, id, fields, trx);

  return {
    /**
     * Locks these messages in id order, each with whether its recipient has opted out: the number
     * is on the suppression list (which outlives contacts), or the contact is marked opted out.
     */
    async lockForSend(ids: number[], trx: Knex.Transaction): Promise<LockedMessage[]> {
      const { rows } = await trx.raw(
        // A broadcast delivery's content is its parent's; the later columns of the same name win in node-pg's row.
        `SELECT m.*, (COALESCE(by_id.opted_out, false) OR EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone_number = m.phone_number)) AS recipient_opted_out,
           COALESCE(m.text, p.text) AS text, COALESCE(m.template, p.template) AS template, COALESCE(m.media, p.media) AS media,
           COALESCE(m.fallback_template, p.fallback_template) AS fallback_template, COALESCE(m.template_category, p.template_category) AS template_category,
           by_id.last_inbound_at AS recipient_last_inbound_at,
           COALESCE(m.interactive, p.interactive) AS interactive
         FROM ${MESSAGES_TABLE} m
         LEFT JOIN contacts by_id ON by_id.id = m.contact_id
         LEFT JOIN ${MESSAGES_TABLE} p ON p.id = m.parent_id
         WHERE m.id = ANY(?::bigint[])
         ORDER BY m.id
         FOR UPDATE OF m`,
        [ids],
      );
      return rows;
    },

    markSending: (ids: number[], trx?: Knex) =>
      ids.length === 0
        ? Promise.resolve()
        : table(trx)
            .whereIn('id', ids)
            .update({
              status: 'sending',
              sending_since: db.fn.now(),
              attempts: db.raw('attempts + 1'),
              updated_at: db.fn.now(),
            })
            .then(() => undefined),

    /**
     * A delivery webhook may have overtaken the send reply: never move a message back from delivered, read or failed.
     */
    async markSent(sent: { id: number; providerMessageId: string }[], trx: Knex = db): Promise<void> {
      if (sent.length === 0) return;
      await trx.raw(
        `UPDATE ${MESSAGES_TABLE} m SET
           status = CASE WHEN m.status IN ('delivered', 'read') OR m.failed_at IS NOT NULL THEN m.status ELSE 'sent' END,
           provider_message_id = v.provider_message_id,
           sent_at = COALESCE(m.sent_at, now()),
           sending_since = NULL,
           error_code = CASE WHEN m.failed_at IS NOT NULL THEN m.error_code END,
           error_message = CASE WHEN m.failed_at IS NOT NULL THEN m.error_message END,
           updated_at = now()
         FROM unnest(?::bigint[], ?::text[]) AS v(id, provider_message_id)
         WHERE m.id = v.id`,
        [sent.map((s) => s.id), sent.map((s) => s.providerMessageId)],
      );
    },

    /** The 24-hour window was closed at send time: these went out as their fallback template. */
    markFallbackUsed: (ids: number[], trx?: Knex) =>
      ids.length === 0
        ? Promise.resolve()
        : table(trx)
            .whereIn('id', ids)
            .update({ fallback_used: true })
            .then(() => undefined),

    /** Held back by a WhatsApp limit until `until`, with the reason; the send workflow tries again then. */
    markDeferred: (id: number, until: Date, code: string, message: string, trx?: Knex) =>
      change(
        id,
        { status: 'deferred', scheduled_at: until, error_code: code, error_message: message, sending_since: null },
        trx,
      ),

    markFailed: (id: number, code: string, message: string, trx?: Knex) =>
      change(id, { status: 'failed', error_code: code, error_message: message, sending_since: null }, trx),

    /**
     * The attempt stopped before calling WhatsApp (its send slot could not be had): nothing was sent, so a retry may
     * claim it.
     */
    releaseClaim: (ids: number[], trx?: Knex) =>
      table(trx)
        .whereIn('id', ids)
        .where({ status: 'sending' })
        .update({ sending_since: null, updated_at: db.fn.now() })
        .then(() => undefined),

    /** WhatsApp answered with an error worth retrying: the attempt is over, so a later claim may send again. */
    recordError: (id: number, code: string, message: string, trx?: Knex) =>
      change(id, { error_code: code, error_message: message, sending_since: null }, trx),
  };
}
