import { AppError } from '../errors';
import { ruleExplanation, ruleWarning, type RuleWarning } from '../providers/d360/rule-codes';

/**
 * Since 2025-04-01 Meta delivers no marketing templates to US (+1) numbers
 * (360Dialog's WhatsApp Cloud API documentation, "Rules that decide whether a send can succeed").
 */
export const isUsNumber = (phone: string | null | undefined) => Boolean(phone?.startsWith('+1'));

export const refusesUsMarketing = (
  category: string | null | undefined,
  phone: string | null | undefined,
  allow: boolean,
) => !allow && category === 'MARKETING' && isUsNumber(phone);

/** POST time, one recipient: 422 marketing_to_us_number naming the recipient field. */
export function checkUsMarketing(
  input: { category?: string; phone?: string | null; field: string },
  allow: boolean,
): void {
  if (!refusesUsMarketing(input.category, input.phone, allow)) return;
  throw new AppError(422, 'marketing_to_us_number', ruleExplanation('marketing_to_us_number'), [
    { path: input.field, message: `${input.phone} is a US number and the template is MARKETING` },
  ]);
}

/** POST time, a broadcast: how many will be skipped. */
export const usMarketingWarnings = (
  category: string | undefined,
  usRecipients: number,
  allow: boolean,
): RuleWarning[] =>
  !allow && category === 'MARKETING' && usRecipients > 0
    ? [ruleWarning('marketing_to_us_number_warning', `${usRecipients} recipient(s)`)]
    : [];
