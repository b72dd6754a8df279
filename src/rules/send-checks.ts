import type { Knex } from 'knex';
import type { RulesConfig } from '../config-rules';
import type { Contact } from '../db/repositories/contacts';
import type { TemplateContent } from '../db/repositories/messages';
import { createTemplatesRepository } from '../db/repositories/templates';
import { checkTemplate, type TemplateCheck } from '../templates/check-template';
import { checkUsMarketing, usMarketingWarnings } from './us-marketing';
import { createAudienceRulesRepository } from '../db/repositories/audience-rules';
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
  phoneNumber?: string | null;
  /** The request field that names the recipient. */
  recipientField: string;
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
  const audiences = createAudienceRulesRepository(db);
  const templates = createTemplatesRepository(db);
  const policy = rules.serviceWindowPolicy;

  /** The template, then the fallback: a 422 names the first field that is wrong. */
  async function templateChecks(input: SendCheckInput): Promise<TemplateCheck> {
    const main = input.template ? await checkTemplate(templates, input.template, 'template') : { warnings: [] };
    const fallback = input.fallbackTemplate
      ? await checkTemplate(templates, input.fallbackTemplate, 'fallback_template')
      : { warnings: [] };
    return { warnings: [...main.warnings, ...fallback.warnings], category: main.category };
  }

  async function usWarnings(input: SendCheckInput, category: string | undefined): Promise<RuleWarning[]> {
    if (category !== 'MARKETING' || rules.allowUsMarketing) return [];
    if (input.audienceGroupIds === undefined) {
      checkUsMarketing(
        { category, phone: input.contact?.phone_number ?? input.phoneNumber, field: input.recipientField },
        rules.allowUsMarketing,
      );
      return [];
    }
    return usMarketingWarnings(
      category,
      await audiences.countUsNumbers(input.audienceGroupIds),
      rules.allowUsMarketing,
    );
  }

  async function windowWarnings(input: SendCheckInput): Promise<RuleWarning[]> {
    if (input.audienceGroupIds !== undefined) {
      const closed =
        policy === 'off' || input.type === 'template'
          ? 0
          : await audiences.countClosed(input.audienceGroupIds, input.at);
      // Only `enforce` refuses, and only an audience whose every window is closed: its size is asked for then.
      const recipients =
        closed > 0 && policy === 'enforce' && !input.hasFallback
          ? await audiences.countRecipients(input.audienceGroupIds)
          : undefined;
      return broadcastWindowWarnings(
        { type: input.type, field: input.field, hasFallback: input.hasFallback, closed, recipients },
        policy,
      );
    }
    return checkRecipientWindow(
      {
        type: input.type,
        field: input.field,
        hasFallback: input.hasFallback,
        lastInboundAt: input.contact?.last_inbound_at ?? null,
        at: input.at,
      },
      policy,
    );
  }

  return {
    /** Warnings for the caller, and the template's category for the row (the send path's rules use it). */
    async check(input: SendCheckInput): Promise<{ warnings: RuleWarning[]; templateCategory?: string }> {
      const template = await templateChecks(input);
      const warnings = [
        ...template.warnings,
        ...(await usWarnings(input, template.category)),
        ...(await windowWarnings(input)),
      ];
      return { warnings, templateCategory: template.category };
    },
  };
}

export type SendChecks = ReturnType<typeof createSendChecks>;
