import { createHash } from 'node:crypto';
import type { CountryCode } from 'libphonenumber-js/max';
import { normalisePhone } from '../../phone';
import { joinText, pickText } from './field-map';
import type { FieldPaths } from './presets';
import { leadTags } from '../../campaigns/lead-tags';

/** A lead ready to upsert: phone already E.164. */
export interface Lead {
  externalId?: string;
  /** ISO 8601 (UTC) of the entry's last change, when the route tells us. */
  modifiedAt?: string;
  name?: string;
  email?: string;
  phone: string;
  /** Normalised tags (WORDPRESS_FIELD_TAGS, WORDPRESS_TAGS, or a CSV column). */
  tags?: string[];
}

export type SkipReason = 'missing_phone' | 'invalid_phone';

export type MappedEntry =
  { ok: true; lead: Lead } | { ok: false; externalId?: string; reason: SkipReason; value?: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 200;

/**
 * WordPress prints times as "2026-11-27 10:15:00" or "2026-11-27T10:15:00" without an
 * offset; `*_gmt` fields and Gravity Forms dates are UTC, so a bare time is read as UTC.
 */
export function parseWordPressTime(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const bare = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
  const millis = Date.parse(bare ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isNaN(millis) ? undefined : new Date(millis).toISOString();
}

/** The entry's id and last-change time, read before anything else to compare with the cursor. */
export function entryStamp(entry: unknown, fields: FieldPaths): { externalId?: string; modifiedAt?: string } {
  return { externalId: pickText(entry, fields.id), modifiedAt: parseWordPressTime(pickText(entry, fields.modified)) };
}

/** What the sync reads from an entry (name, phone, email), hashed: an edit of anything else is not a change to us. */
export function entryHash(entry: unknown, fields: FieldPaths): string {
  const read = [joinText(entry, fields.name), pickText(entry, fields.phone), pickText(entry, fields.email)];
  return createHash('sha256').update(JSON.stringify(read)).digest('base64url').slice(0, 22);
}

export function mapEntry(entry: unknown, fields: FieldPaths, region?: CountryCode): MappedEntry {
  const { externalId, modifiedAt } = entryStamp(entry, fields);
  const rawPhone = pickText(entry, fields.phone);
  if (!rawPhone) return { ok: false, externalId, reason: 'missing_phone' };
  const phone = normalisePhone(rawPhone, region);
  if (!phone) return { ok: false, externalId, reason: 'invalid_phone', value: rawPhone.slice(0, 64) };
  const email = pickText(entry, fields.email);
  const tags = leadTags(entry, fields);
  return {
    ok: true,
    lead: {
      externalId,
      modifiedAt,
      name: joinText(entry, fields.name)?.slice(0, MAX_NAME),
      email: email && email.length <= 320 && EMAIL.test(email) ? email : undefined,
      phone,
      ...(tags ? { tags } : {}),
    },
  };
}

/** The sync cursor: the (modified time, id) of the newest entry fully processed. */
export interface SyncCursor {
  modifiedAt: string;
  id: string;
}

const compareIds = (a: string, b: string) =>
  /^\d+$/.test(a) && /^\d+$/.test(b) ? Math.sign(Number(a) - Number(b)) : a < b ? -1 : a > b ? 1 : 0;

export function compareCursor(a: SyncCursor, b: SyncCursor): number {
  if (a.modifiedAt !== b.modifiedAt) return a.modifiedAt < b.modifiedAt ? -1 : 1;
  return compareIds(a.id, b.id);
}

/** An entry at or before the cursor was handled by an earlier cycle; one without a time never is. */
export function seenBefore(lead: Pick<Lead, 'modifiedAt' | 'externalId'>, cursor: SyncCursor | undefined): boolean {
  if (!cursor || !lead.modifiedAt) return false;
  return compareCursor({ modifiedAt: lead.modifiedAt, id: lead.externalId ?? '' }, cursor) <= 0;
}

export function laterCursor(a: SyncCursor | undefined, b: SyncCursor | undefined): SyncCursor | undefined {
  if (!a) return b;
  if (!b) return a;
  return compareCursor(a, b) >= 0 ? a : b;
}
