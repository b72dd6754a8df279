import type { Knex } from 'knex';
import type { RulesConfig } from '../config-rules';
import type { Contact } from '../db/repositories/contacts';
import type { TemplateContent } from '../db/repositories/messages';
import { createTemplatesRepository } from '../db/repositories/templates';
import { checkTemplate } from '../templates/check-template';
import { createServiceWindowsRepository } from '../db/repositories/service-windows';
import type { RuleWarning } from '../providers/d360/rule-codes';
import { broadcastWindowWarnings, checkRecipientWindow } from './service-window';

export interface SendCheckInput {
  type: string;
  /** The request field that carries the content, named in a refusal. */
  field: string;
  hasFallback: boolean;
  template?: TemplateContent;
  fallbackTemplate?: TemplateContent;
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
  const templates = createTemplatesRepository(db);
  const policy = rules.serviceWindowPolicy;

  /** The template, then the fallback: a 422 names the first field that is wrong. */
  async function templateWarnings(input: SendCheckInput): Promise<RuleWarning[]> {
    const warnings = input.template ? await checkTemplate(templates, input.template, 'template') : [];
    const fallback = input.fallbackTemplate ? await checkTemplate(templates, input.fallbackTemplate, 'fallback_template') : [];
    return [...warnings, ...fallback];
  }

  async function windowWarnings(input: SendCheckInput): Promise<RuleWarning[]> {
    if (input.audienceGroupIds !== undefined) {
      const closed = policy === 'off' || input.type === 'template' ? 0 : await windows.countClosed(input.audienceGroupIds, input.at);
      return broadcastWindowWarnings({ type: input.type, hasFallback: input.hasFallback, closed }, policy);
    }
    return checkRecipientWindow(
      { type: input.type, field: input.field, hasFallback: input.hasFallback, lastInboundAt: input.contact?.last_inbound_at ?? null, at: input.at },
      policy,
    );
  }

  return {
    async check(input: SendCheckInput): Promise<RuleWarning[]> {
      return [...(await templateWarnings(input)), ...(await windowWarnings(input))];
    },
  };
}

export type SendChecks = ReturnType<typeof createSendChecks>;
