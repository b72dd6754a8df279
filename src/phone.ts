import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * E.164 or undefined. Without a leading + we only guess the country when one is
 * configured: WhatsApp would otherwise prepend the business number's country code
 * and could reach the wrong person.
 */
export function normalisePhone(raw: string, defaultRegion?: CountryCode): string | undefined {
  const trimmed = raw.trim();
  if (!/^[+\d][\d\s().\-/]*$/.test(trimmed)) return undefined;
  const international = trimmed.startsWith('+') || trimmed.startsWith('00');
  if (!international && !defaultRegion) return undefined;
  const candidate = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(candidate, international ? undefined : defaultRegion);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** WhatsApp ids (`wa_id`, `from`) are E.164 digits without the plus. */
export const waIdToE164 = (waId: string) => normalisePhone(`+${waId.replace(/\D/g, '')}`);
