import type { Knex } from 'knex';
import { createContactsRepository, type Contact, type ContactInput } from '../db/repositories/contacts';
import { createOptOutsRepository, type OptOut } from '../db/repositories/opt-outs';
import { contactChanged } from '../event-webhooks/emit';
import { enrollNewContacts } from '../db/repositories/sequence-enrollments';

/**
 * Contact writes made through the API, each in one transaction with the events it causes
 * (contact.created, contact.updated, contact.opted_out, contact.opted_in: the event outbox); a new contact
 * is enrolled in the sequences its source or tags trigger, as upsertLeads does for WordPress and CSV.
 */
export function createContactService(db: Knex, taskQueue: string) {
  return {
    create: (input: ContactInput): Promise<Contact> =>
      db.transaction(async (trx) => {
        const contact = await createContactsRepository(trx).create(input, trx);
        await contactChanged(trx, undefined, contact);
        await enrollNewContacts(trx, [contact], taskQueue);
        return contact;
      }),

    update: (id: number, input: Partial<ContactInput>): Promise<Contact | undefined> =>
      db.transaction(async (trx) => {
        const contacts = createContactsRepository(trx);
        const before = await contacts.findForUpdate(id, trx);
        if (!before) return undefined;
        const after = await contacts.update(id, input, trx);
        if (after) await contactChanged(trx, before, after);
        return after;
      }),

    /** DELETE /opt-outs/{phone}: the number leaves the suppression list and its contact is subscribed again. */
    removeOptOut: (phone: string): Promise<OptOut | undefined> =>
      db.transaction(async (trx: Knex.Transaction) => {
        const contacts = createContactsRepository(trx);
        const before = await contacts.findByPhone(phone, trx);
        const removed = await createOptOutsRepository(trx).remove(phone, trx);
        const after = before ? await contacts.find(before.id, trx) : undefined;
        if (before && after) await contactChanged(trx, before, after);
        return removed;
      }),
  };
}

export type ContactService = ReturnType<typeof createContactService>;
