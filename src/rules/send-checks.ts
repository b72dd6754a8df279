import type { Knex } from 'knex';
import type { RulesConfig } from '../config-rules';
import type { Contact } from '../db/repositories/contacts';
import { createServiceWindowsRepository } from '../db/repositories/service-windows';
import type { RuleWarning } from '../providers/d360/rule-codes';
import { broadcastWindowWarnings, checkRecipientWindow } from './service-window';

export interface SendCheckInput {
  type: string;
  /** The request field that carries the content, named in a refusal. */
  field: string;
  hasFallback: boolean;
  /** A single message's recipient (undefined: a phone number we have no contact for). */
  contact?: Contact;
  /** A broadcast's audience: group ids, or null for every contact. Undefined for a single message. */
  audienceGroupIds?: number[] | null;
  /** When the message will be sent. */
  at: Date;
}

/**
 * What the API checks before it accepts a send: throws a 422 AppError for what WhatsApp will
 * certainly refuse, returns warnings for what it will probably refuse.
 */
export function createSendChecks(db: Knex, rules: RulesConfig) {
  const windows = createServiceWindowsRepository(db);
  const policy = rules.serviceWindowPolicy;

  return {
    async check(input: SendCheckInput): Promise<RuleWarning[]> {
      if (input.audienceGroupIds !== undefined) {
        const closed = policy === 'off' || input.type === 'template' ? 0 : await windows.countClosed(input.audienceGroupIds, input.at);
        return broadcastWindowWarnings({ type: input.type, hasFallback: input.hasFallback, closed }, policy);
      }
      return checkRecipientWindow(
        { type: input.type, field: input.field, hasFallback: input.hasFallback, lastInboundAt: input.contact?.last_inbound_at ?? null, at: input.at },
        policy,
      );
    },
  };
}

export type SendChecks = ReturnType<typeof createSendChecks>;
