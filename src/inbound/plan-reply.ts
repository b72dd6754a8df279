import type { Knex } from 'knex';
import type { InboundSettings } from '../config';
import { createAutoRepliesRepository, type ReplyContent } from '../db/repositories/auto-replies';
import { createContactsRepository } from '../db/repositories/contacts';
import { createInboundRepository } from '../db/repositories/inbound';
import { createOptOutsRepository } from '../db/repositories/opt-outs';
import type { AutoReplyKind, Message, NewMessage } from '../db/repositories/messages';
import type { AutoReplyPlan } from '../../workflows/inbound-definitions';
import { contactOptChanged } from '../event-webhooks/emit';
import { isKeyword } from './keywords';
import { chooseRule, type RuleChoice } from './rules';

// Nothing a customer should get an automatic answer to.
const SILENT_TYPES = new Set(['system', 'reaction', 'unsupported', 'unknown']);

function replyMessage(content: ReplyContent): Pick<NewMessage, 'type' | 'text' | 'template' | 'interactive'> {
  if (content.template) return { type: 'template', template: content.template };
  if (content.interactive) return { type: 'interactive', interactive: content.interactive };
  return { type: 'text', text: content.message };
}

const replyPlan = (message: Message): AutoReplyPlan => ({
  action: 'reply',
  messageId: message.id,
  phoneNumber: message.phone_number ?? '',
  kind: message.auto_reply_kind ?? 'rule',
  ruleId: message.auto_reply_rule_id,
});

/** What the words of an inbound message ask for, decided from the message and the rules alone. */
export interface InboundMatch {
  inbound: Message;
  keyword?: 'opt_out' | 'opt_in';
  choice?: RuleChoice;
}

/**
 * The text work of a reply: keywords and rule matching, before any row lock is taken, so a
 * long text or many rules never hold a contact's lock. Undefined when the message is gone.
 */
export async function matchInbound(
  db: Knex,
  inboundId: number,
  settings: InboundSettings,
): Promise<InboundMatch | undefined> {
  const inbound = await createInboundRepository(db).find(inboundId);
  if (!inbound) return undefined;
  const text = inbound.text ?? undefined;
  if (isKeyword(text, settings.optOutKeywords)) return { inbound, keyword: 'opt_out' };
  if (isKeyword(text, settings.optInKeywords)) return { inbound, keyword: 'opt_in' };
  if (SILENT_TYPES.has(inbound.type)) return { inbound };
  // A rule changed after this read answers from the version read here: the reply is what the rules said when it came
  // in.
  const rules = await createAutoRepliesRepository(db).active();
  return {
    inbound,
    choice: chooseRule(rules, { text, replyId: inbound.reply_id ?? undefined }, inbound.wa_timestamp ?? new Date()),
  };
}

/**
 * Decides, in one transaction, what answer (if any) an inbound message gets and writes it
 * as an outbound row linked to it. Opt-out words come first, then the guards, then the
 * rules (matched beforehand by matchInbound). Re-running it (activity retry, replayed
 * webhook) finds the reply already written.
 */
export async function planReply(
  trx: Knex.Transaction,
  matched: InboundMatch | undefined,
  settings: InboundSettings,
  now: Date,
): Promise<AutoReplyPlan> {
  const inboundRepo = createInboundRepository(trx);
  const contacts = createContactsRepository(trx);
  const optOuts = createOptOutsRepository(trx);
  if (!matched) return { action: 'none', reason: 'inbound_message_missing' };
  const { inbound } = matched;
  const existing = await inboundRepo.findReplyTo(inbound.id);
  if (existing) return replyPlan(existing);

  const contact = inbound.contact_id ? await contacts.findForUpdate(inbound.contact_id, trx) : undefined;
  if (!contact) return { action: 'none', reason: 'no_contact' };
  const tooOld = now.getTime() - (inbound.wa_timestamp?.getTime() ?? 0) > settings.maxAgeMs;

  const reply = async (content: ReplyContent, kind: AutoReplyKind, ruleId: number | null): Promise<AutoReplyPlan> => {
    if (!contact.phone_number) return { action: 'none', reason: 'no_phone_number' };
    const row = await inboundRepo.insertReply(
      {
        contact_id: contact.id,
        phone_number: contact.phone_number,
        ...replyMessage(content),
        status: 'sending',
        reply_to_id: inbound.id,
        auto_reply_rule_id: ruleId,
        auto_reply_kind: kind,
      },
      trx,
    );
    return replyPlan(row);
  };

  if (SILENT_TYPES.has(inbound.type)) return { action: 'none', reason: `${inbound.type}_message` };
  if (matched.keyword === 'opt_out') {
    // A second STOP from someone already opted out gets silence: they asked to hear nothing.
    if (contact.opted_out) return { action: 'none', reason: 'already_opted_out' };
    if (contact.phone_number) await optOuts.add(contact.phone_number, 'whatsapp', trx);
    const optedOut = await contacts.update(contact.id, { opted_out: true });
    await contactOptChanged(trx, optedOut ?? contact, true, inbound.id);
    return tooOld
      ? { action: 'none', reason: 'too_old' }
      : reply({ message: settings.optOutConfirmation }, 'opt_out', null);
  }
  if (matched.keyword === 'opt_in') {
    // The person's own START is what takes their number off the suppression list.
    if (contact.phone_number) await optOuts.remove(contact.phone_number, trx);
    if (contact.opted_out) {
      const optedIn = await contacts.update(contact.id, { opted_out: false });
      await contactOptChanged(trx, optedIn ?? contact, false, inbound.id);
    }
    return tooOld
      ? { action: 'none', reason: 'too_old' }
      : reply({ message: settings.optInConfirmation }, 'opt_in', null);
  }
  if (tooOld) return { action: 'none', reason: 'too_old' };
  if (contact.opted_out) return { action: 'none', reason: 'opted_out' };

  const { choice } = matched;
  const rules = createAutoRepliesRepository(trx);
  if (!choice) return { action: 'none', reason: 'no_matching_rule' };
  if (!(await rules.claimCooldown(contact.id, choice.rule.id, settings.autoReplyCooldownMs, trx))) {
    return { action: 'none', reason: 'cooldown' };
  }
  return reply(choice.reply, choice.kind, choice.rule.id);
}
