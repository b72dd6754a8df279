import type { Knex } from 'knex';
import type { Lead } from '../../providers/wordpress/entry';
import { CONTACTS_TABLE } from './contacts';
import { MAX_TAGS } from '../../campaigns/tags';
import { contactCreated, contactUpdated } from '../../event-webhooks/emit';
import type { Contact } from './contacts';
import { wantsEvent } from './event-deliveries';
import { enrollNewContacts, type NewContact } from './sequence-enrollments';

export type LeadOutcome = 'created' | 'updated' | 'unchanged' | 'older_than_contact' | 'duplicate_phone';

interface ExistingContact {
  id: number;
  phone_number: string;
  name: string;
  email: string | null;
  external_id: string | null;
  tags: string[];
  updated_at: Date;
}

/**
 * Seats for a batch of new contacts, in one call instead of one trigger pick per row; a seat a raced insert leaves
 * unused stays free.
 */
async function takeSeats(trx: Knex, count: number): Promise<number[]> {
  const { rows } = await trx.raw('SELECT groups_seat_many(?::integer) AS seats', [count]);
  return (rows[0].seats as string[]).map(Number);
}

export interface UpsertOptions {
  /**
   * A CSV upload is the user's own list, newer than anything stored: its names and emails
   * apply without a modified time, and it leaves WordPress's external id alone.
   */
  alwaysApply?: boolean;
  /** Where the workflows of the sequences a new contact enrols in run (the API's and worker's task queue). */
  taskQueue: string;
}

/** The contact's tags with the lead's appended, or undefined when the lead adds none. */
function addedTags(current: string[] = [], incoming: string[] = []): string[] | undefined {
  const fresh = incoming.filter((tag) => !current.includes(tag));
  return fresh.length > 0 ? [...current, ...fresh].slice(0, MAX_TAGS) : undefined;
}

/**
 * Upserts leads by normalised phone. A new phone becomes a contact, seated in the oldest
 * group with room; a known one takes the lead's name/email only when WordPress changed the
 * entry after our last change to the contact, so an edit made through the API is never
 * overwritten by an older entry. Everything else about the contact (opt-out, group,
 * source) stays as it is. New contacts enrol in the sequences their source or tags trigger.
 */
export async function upsertLeads(
  trx: Knex,
  source: string,
  leads: Lead[],
  options: UpsertOptions,
): Promise<LeadOutcome[]> {
  if (leads.length === 0) return [];
  const phones = [...new Set(leads.map((l) => l.phone))];
  const columns = ['id', 'phone_number', 'name', 'email', 'external_id', 'tags', 'updated_at'];
  const select = (list: string[]) =>
    trx(CONTACTS_TABLE).whereIn('phone_number', list).select(columns) as Promise<ExistingContact[]>;
  const existing = new Map<string, ExistingContact>();
  for (const row of await select(phones)) existing.set(row.phone_number, row);

  // One look per batch, so a sync without subscribers does no per-row event work.
  const wantsCreated = await wantsEvent(trx, 'contact.created');
  const wantsUpdated = await wantsEvent(trx, 'contact.updated');
  const fresh = leads.filter((l) => !existing.has(l.phone));
  const inserted = new Set<string>();
  if (fresh.length > 0) {
    const seats = await takeSeats(trx, fresh.length);
    const rows = await trx(CONTACTS_TABLE)
      .insert(
        fresh.map((l, i) => ({
          name: l.name ?? l.phone,
          phone_number: l.phone,
          email: l.email ?? null,
          tags: l.tags ?? [],
          source,
          external_id: l.externalId ?? null,
          external_updated_at: l.modifiedAt ?? null,
          group_id: seats[i],
        })),
      )
      .onConflict('phone_number')
      .ignore()
      .returning(wantsCreated ? '*' : ['id', 'phone_number', 'source', 'tags', 'opted_out']);
    for (const row of rows as Contact[]) {
      inserted.add(row.phone_number as string);
      // The contact, its event and its sequence enrolments commit together (the outboxes).
      if (wantsCreated) await contactCreated(trx, row);
    }
    await enrollNewContacts(trx, rows as NewContact[], options.taskQueue);
    // A contact created through the API between our read and our insert: treat it as existing.
    const raced = fresh.filter((l) => !inserted.has(l.phone)).map((l) => l.phone);
    if (raced.length > 0) for (const row of await select(raced)) existing.set(row.phone_number, row);
  }

  const outcomes: LeadOutcome[] = [];
  for (const lead of leads) {
    if (inserted.delete(lead.phone)) {
      outcomes.push('created');
      continue;
    }
    const contact = existing.get(lead.phone);
    if (!contact) {
      outcomes.push('unchanged');
      continue;
    }
    const changes: Record<string, unknown> = {};
    if (lead.name && lead.name !== contact.name) changes.name = lead.name;
    if (lead.email && lead.email !== contact.email) changes.email = lead.email;
    // Tags are only ever added (a form or landing page the person came through), so an older entry may add them too.
    const tags = addedTags(contact.tags, lead.tags);
    if (Object.keys(changes).length === 0 && !tags) {
      outcomes.push('unchanged');
      continue;
    }
    const newer =
      options.alwaysApply ||
      (Boolean(lead.modifiedAt) && Date.parse(lead.modifiedAt as string) > contact.updated_at.getTime());
    if (!newer && !tags) {
      // The contact came from another WordPress entry with the same number (seen in an earlier
      // cycle): a duplicate within WordPress, not an edit of ours that the entry predates.
      const otherEntry =
        contact.external_id !== null && lead.externalId !== undefined && contact.external_id !== lead.externalId;
      outcomes.push(otherEntry ? 'duplicate_phone' : 'older_than_contact');
      continue;
    }
    const external = options.alwaysApply
      ? {}
      : { external_id: lead.externalId ?? null, external_updated_at: lead.modifiedAt };
    const fields = newer ? { ...changes, ...external } : {};
    const [row] = await trx(CONTACTS_TABLE)
      .where({ id: contact.id })
      .update({ ...fields, ...(tags ? { tags } : {}), updated_at: trx.fn.now() })
      .returning('*');
    existing.set(lead.phone, row as ExistingContact);
    const changed = [...Object.keys(newer ? changes : {}), ...(tags ? ['tags'] : [])];
    if (wantsUpdated && changed.length > 0) await contactUpdated(trx, row as Contact, changed);
    outcomes.push('updated');
  }
  return outcomes;
}
