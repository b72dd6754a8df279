import { log } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { InboundSettings } from '../src/config';
import { createContactsRepository, type Contact } from '../src/db/repositories/contacts';
import { createInboundRepository } from '../src/db/repositories/inbound';
import { INBOUND_TYPES, type InboundMessageType } from '../src/db/repositories/messages';
import { boundedText } from '../src/inbound/bounded-text';
import { failPoisonFast } from './poison';
import { applyStatuses, type StatusOutcome } from '../src/inbox/apply-statuses';
import { contactCreated, messageReceived } from '../src/event-webhooks/emit';
import { replyIdOf } from '../src/inbound/interactive-reply';
import { inboundMediaOf } from '../src/inbound/inbound-media';
import { matchInbound, planReply } from '../src/inbound/plan-reply';
import { waIdToE164 } from '../src/phone';
import type { D360Client } from '../src/providers/d360/client';
import type { AutoReplyPlan, InboundEvent, InboundHandled, StatusEvent } from '../workflows/inbound-definitions';

export interface InboundActivityDeps {
  db: Knex;
  d360: D360Client;
  inbound: InboundSettings;
}

/** Well inside the 30 s the auto-reply's one local activity has (workflows/activity-options.ts DATABASE_TIMEOUT). */
const MARK_READ_WAIT_MS = 5_000;

/** `from` digits as E.164; numbers libphonenumber does not know yet are kept if they look like E.164. */
const phoneOf = (waId: string | undefined) => {
  if (!waId) return null;
  const digits = waId.replace(/\D/g, '');
  return waIdToE164(digits) ?? (/^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : null);
};

// Postgres text and jsonb cannot hold NUL; one in a webhook must not make the store retry forever.
const withoutNul = (text: string) => text.replace(/\u0000/g, '');
const cleanJson = (value: Record<string, unknown>): Record<string, unknown> =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? withoutNul(v) : v)));

export function createInboundActivities({ db, d360, inbound: settings }: InboundActivityDeps) {
  const contacts = createContactsRepository(db);

  /**
   * The contact behind a sender, created (source whatsapp) on first contact; concurrent first messages meet on the
   * unique keys.
   */
  async function senderContact(event: InboundEvent, phone: string | null): Promise<Contact | undefined> {
    const userId = event.fromUserId ? withoutNul(event.fromUserId) : null;
    if (!phone && !userId) return undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const found =
        (userId ? await contacts.findByWhatsAppUserId(userId) : undefined) ??
        (phone ? await contacts.findByPhone(phone) : undefined);
      if (found) {
        if (userId && !found.whatsapp_user_id)
          await contacts.attachWhatsAppUserId(found.id, userId).catch(() => undefined);
        return found;
      }
      const name = withoutNul(event.profileName ?? '').trim() || phone || userId || 'WhatsApp user';
      // The contact and its contact.created event commit together (event outbox).
      const created = await db.transaction(async (trx) => {
        const row = await createContactsRepository(trx).insertIfAbsent(
          { name, phone_number: phone, whatsapp_user_id: userId, source: 'whatsapp' },
          trx,
        );
        if (row) await contactCreated(trx, row);
        return row;
      });
      if (created) return created;
    }
    return undefined;
  }

  /** Stores the inbound message (once per wamid) and its sender as a contact. */
  async function storeInbound(event: InboundEvent): Promise<{ messageId: number; contactId: number | null }> {
    const phone = phoneOf(event.fromWaId);
    const contact = await senderContact(event, phone);
    const type = (INBOUND_TYPES as readonly string[]).includes(event.type)
      ? (event.type as InboundMessageType)
      : 'unknown';
    const fields = {
      contact_id: contact?.id ?? null,
      phone_number: phone,
      type,
      // Bounded again here: events recorded before the webhook bounded them may still be replayed.
      text: event.text === undefined ? null : withoutNul(boundedText(event.text)),
      reply_id: replyIdOf(event.raw) === undefined ? null : withoutNul(replyIdOf(event.raw) as string),
      media: inboundMediaOf(cleanJson(event.raw)) ?? null,
      provider_message_id: event.wamid,
      from_wa_id: event.fromWaId ? withoutNul(event.fromWaId) : null,
      from_user_id: event.fromUserId ? withoutNul(event.fromUserId) : null,
      from_name: event.profileName ? withoutNul(event.profileName) : null,
      wa_timestamp: new Date(Number(event.timestamp) * 1000),
      payload: cleanJson(event.raw),
    };
    // The message and its message.received event commit together (event outbox).
    const row = await db.transaction(async (trx) => {
      const inserted = await createInboundRepository(trx).insertInbound(fields, trx);
      await messageReceived(trx, inserted);
      return inserted;
    });
    return { messageId: row.id, contactId: row.contact_id };
  }

  const planFor = async (inboundMessageId: number): Promise<AutoReplyPlan> => {
    const matched = await matchInbound(db, inboundMessageId, settings);
    return db.transaction((trx) => planReply(trx, matched, settings, new Date()));
  };

  /**
   * MARK_INBOUND_READ: blue ticks for the customer. Best effort: a failure is logged, never retried into a loop,
   * and a slow 360Dialog is waited for at most MARK_READ_WAIT_MS, so it can never time out the step it shares.
   */
  async function markRead(wamid: string): Promise<boolean> {
    if (!settings.markRead || !d360.configured) return false;
    const ok = await d360.markRead(wamid, MARK_READ_WAIT_MS);
    if (!ok) log.warn('could not mark an inbound message read', { wamid });
    return ok;
  }

  return {
    /**
     * One customer message in one step: store it, decide the answer, mark it read. Each part is
     * idempotent (the wamid, the reply linked to its message), so a retry of the whole is safe.
     */
    handleInbound: (event: InboundEvent): Promise<InboundHandled> =>
      failPoisonFast(`inbound message ${event.wamid}`, async () => {
        const inbound = await storeInbound(event);
        const plan = await planFor(inbound.messageId);
        await markRead(event.wamid);
        return { ...inbound, plan };
      }),

    // The three steps one by one, for auto-reply workflows started before handleInbound (workflows/auto-reply.ts).
    recordInbound: (event: InboundEvent) => failPoisonFast(`inbound message ${event.wamid}`, () => storeInbound(event)),

    planAutoReply: (inboundMessageId: number): Promise<AutoReplyPlan> =>
      failPoisonFast(`the reply to inbound message ${inboundMessageId}`, () => planFor(inboundMessageId)),

    markInboundRead: markRead,

    /**
     * Deprecated: kept only for `deliveryStatus` workflows started before the webhook inbox (see
     * workflows/delivery-status.ts); the inbox processor applies statuses the same way, in batches.
     */
    applyDeliveryStatus: (event: StatusEvent): Promise<StatusOutcome> =>
      failPoisonFast(`status ${event.status} of ${event.wamid}`, async () => {
        const [outcome] = await db.transaction((trx) => applyStatuses([event], trx));
        if (outcome === 'unknown_message')
          log.info('status for a message we do not know; ignored', { wamid: event.wamid, status: event.status });
        return outcome;
      }),
  };
}
