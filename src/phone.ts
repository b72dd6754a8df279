import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * E.164 or undefined. Without a leading + we only guess the country when one is
 * configured: WhatsApp would otherwise prepend the business number's country code
 * and could reach the wrong person.
 */
export function normalisePhone(raw: string, defaultRegion?: CountryCode): string | undefined {
  const trimmed = raw.trim();
  // Only what people type into a phone field: digits, one leading +, and the usual separators.
  // A leading "(" is common ("(030) 1234 5678"); libphonenumber decides whether the digits make a number.
  if (!/^\+?[\d\s().\-/]+$/.test(trimmed) || !/\d/.test(trimmed)) return undefined;
  // "00" is the international prefix in most of the world, also when written "(00 49)".
  const digitsFirst = trimmed.replace(/^[\s(]+/, '');
  const international = trimmed.startsWith('+') || digitsFirst.startsWith('00');
  if (!international && !defaultRegion) return undefined;
  const candidate = digitsFirst.startsWith('00') ? `+${digitsFirst.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(candidate, international ? undefined : defaultRegion);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** WhatsApp ids (`wa_id`, `from`) are E.164 digits without the plus. */
export const waIdToE164 = (waId: string) => normalisePhone(`+${waId.replace(/\D/g, '')}`);
