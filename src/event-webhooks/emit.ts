import type { Knex } from 'knex';
import type { Contact } from '../db/repositories/contacts';
import { recordEvent } from '../db/repositories/event-deliveries';
import type { BroadcastCounts } from '../db/repositories/broadcasts';
import type { Message } from '../db/repositories/messages';
import type { SyncCounts } from '../db/repositories/sync-runs';

/**
 * The events other systems can subscribe to, each recorded in the transaction of its change
 * (event outbox). Event ids are derived from the change, so a retried activity records nothing twice.
 */
const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function messageReceived(trx: Knex, m: Message): Promise<void> {
  return recordEvent(trx, `message.received:${m.id}`, 'message.received', {
    message: {
      id: m.id,
      phone_number: m.phone_number,
      contact_id: m.contact_id,
      type: m.type,
      text: m.text,
      reply: m.reply_id !== null ? { id: m.reply_id, title: m.text } : null,
      provider_message_id: m.provider_message_id,
      received_at: iso(m.wa_timestamp),
    },
  });
}

/** Only when the status moved (sent, delivered, read, failed). */
export function messageStatusChanged(trx: Knex, before: Message, change: Record<string, unknown>): Promise<void> {
  const status = change.status as string | undefined;
  if (!status || status === before.status) return Promise.resolve();
  const errorCode = (change.error_code ?? null) as string | null;
  return recordEvent(trx, `message.status_changed:${before.id}:${status}`, 'message.status_changed', {
    message: {
      id: before.id,
      phone_number: before.phone_number,
      contact_id: before.contact_id,
      status,
      previous_status: before.status,
      provider_message_id: (change.provider_message_id as string | undefined) ?? before.provider_message_id,
      error: errorCode ? { code: errorCode, message: String(change.error_message ?? '') } : null,
    },
  });
}

/** Every contact event carries the contact as it is after the change, in this shape. */
export const contactData = (c: Contact) => ({
  id: c.id,
  phone_number: c.phone_number,
  name: c.name,
  email: c.email,
  tags: c.tags,
  group_id: c.group_id,
  source: c.source,
  opted_out: c.opted_out,
  created_at: c.created_at.toISOString(),
  updated_at: c.updated_at.toISOString(),
});

/** `cause` makes the id: the inbound message that said STOP or START, or the change's time. */
export function contactOptChanged(
  trx: Knex,
  contact: Contact,
  optedOut: boolean,
  cause: number | string,
): Promise<void> {
  const type = optedOut ? 'contact.opted_out' : 'contact.opted_in';
  return recordEvent(trx, `${type}:${contact.id}:${cause}`, type, {
    contact: { ...contactData(contact), opted_out: optedOut },
  });
}

export function contactCreated(trx: Knex, contact: Contact): Promise<void> {
  return recordEvent(trx, `contact.created:${contact.id}`, 'contact.created', { contact: contactData(contact) });
}

/** `changed`: the fields whose value moved (name, phone_number, email, tags, group_id). */
export function contactUpdated(trx: Knex, contact: Contact, changed: string[]): Promise<void> {
  return recordEvent(trx, `contact.updated:${contact.id}:${contact.updated_at.getTime()}`, 'contact.updated', {
    contact: contactData(contact),
    changed,
  });
}

const TRACKED_FIELDS = ['name', 'phone_number', 'email', 'tags', 'group_id'] as const;

/**
 * The events one write to a contact makes: created, or updated (when a tracked field moved) and
 * opted_out / opted_in (when opted_out moved, however it moved: the suppression-list trigger may
 * decide it). Called in the write's transaction.
 */
export async function contactChanged(trx: Knex, before: Contact | undefined, after: Contact): Promise<void> {
  if (!before) return contactCreated(trx, after);
  const changed = TRACKED_FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
  if (changed.length > 0) await contactUpdated(trx, after, changed);
  if (before.opted_out !== after.opted_out)
    await contactOptChanged(trx, after, after.opted_out, `at${after.updated_at.getTime()}`);
}

/** Every delivery of a broadcast is settled. */
export function broadcastFinished(trx: Knex, parent: Message, counts: BroadcastCounts): Promise<void> {
  return recordEvent(trx, `broadcast.finished:${parent.id}`, 'broadcast.finished', {
    broadcast: {
      id: parent.id,
      status: parent.status,
      group_id: parent.group_id,
      recipient_count: parent.recipient_count,
      counts,
    },
  });
}

/** A WordPress sync cycle ended (succeeded or failed). */
export function syncFinished(
  trx: Knex,
  runId: number,
  outcome: { counts?: SyncCounts; error?: string },
): Promise<void> {
  const c = outcome.counts;
  return recordEvent(trx, `sync.finished:${runId}`, 'sync.finished', {
    sync: {
      id: runId,
      status: outcome.error ? 'failed' : 'succeeded',
      error: outcome.error ?? null,
      counts: c
        ? { fetched: c.fetched, created: c.created, updated: c.updated, unchanged: c.unchanged, skipped: c.skipped }
        : null,
    },
  });
}
