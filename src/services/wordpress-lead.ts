import type { Knex } from 'knex';
import { cleanTags } from '../campaigns/tags';
import { leadTags } from '../campaigns/lead-tags';
import type { WordPressWebhookConfig } from '../config-wordpress';
import { createContactsRepository, type Contact } from '../db/repositories/contacts';
import { upsertLeads, type LeadOutcome } from '../db/repositories/lead-contacts';
import type { Lead } from '../providers/wordpress/entry';
import { CONTACT_SOURCE } from './wordpress-import';

export interface WordPressSubmission {
  phone: string;
  name?: string;
  first_name?: string;
  last_name?: string;
  email?: string;
  tags?: string[];
  entry_id?: string;
  submitted_at?: string;
}

/** The submission as the sync would have read it: same tag settings, same name rules. */
export function submissionLead(
  input: WordPressSubmission,
  raw: unknown,
  tagFields: WordPressWebhookConfig['tagFields'],
  now: Date,
): Lead {
  const name = input.name || [input.first_name, input.last_name].filter(Boolean).join(' ') || undefined;
  const tags = cleanTags([...(input.tags ?? []), ...(leadTags(raw, tagFields) ?? [])]);
  return {
    phone: input.phone,
    ...(name ? { name } : {}),
    ...(input.email ? { email: input.email } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    ...(input.entry_id ? { externalId: input.entry_id } : {}),
    // A submission is news: it applies over older data, and a repeated delivery finds nothing to change.
    modifiedAt: input.submitted_at ? new Date(input.submitted_at).toISOString() : now.toISOString(),
  };
}

/**
 * Upserts one lead exactly as the periodic sync does (upsertLeads: by phone, seated in a group,
 * opt-out left alone, tags only added) and answers the contact as it now is.
 */
export async function receiveWordPressLead(
  db: Knex,
  lead: Lead,
  taskQueue: string,
): Promise<{ outcome: LeadOutcome; contact: Contact }> {
  return db.transaction(async (trx) => {
    const [outcome] = await upsertLeads(trx, CONTACT_SOURCE, [lead], { taskQueue });
    const contact = (await createContactsRepository(trx).findByPhone(lead.phone, trx)) as Contact;
    return { outcome, contact };
  });
}
