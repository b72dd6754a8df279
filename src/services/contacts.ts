import type { Knex } from 'knex';
import type { Contact, ContactInput, ContactsRepository } from '../db/repositories/contacts';
import { enrollNewContacts } from '../db/repositories/sequence-enrollments';

/**
 * Creates a contact through the API and, in the same transaction, enrols it in the sequences
 * its source or tags trigger (as upsertLeads does for WordPress and CSV).
 */
export const createContactService = (db: Knex, contacts: ContactsRepository, taskQueue: string) => async (input: ContactInput): Promise<Contact> =>
  db.transaction(async (trx) => {
    const contact = await contacts.create(input, trx);
    await enrollNewContacts(trx, [contact], taskQueue);
    return contact;
  });

export type CreateContact = ReturnType<typeof createContactService>;
