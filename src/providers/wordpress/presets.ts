/**
 * Where common WordPress lead sources keep their entries (docs/wordpress.md).
 * A preset fills in the route, the paging style and the field paths; every part can be
 * overridden with WORDPRESS_CONTACTS_PATH and WORDPRESS_FIELD_*, so a custom route needs
 * no code.
 */
export const PRESET_NAMES = ['custom', 'gravity-forms', 'fluent-forms', 'elementor', 'users'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * `core`: page/per_page with X-WP-TotalPages (or a plugin's own last-page number in the body).
 * `gravity`: paging[current_page]/paging[page_size] and `{total_count, entries}`.
 */
export type PagingStyle = 'core' | 'gravity';

/** Dot paths into one entry; several paths separated by commas (see field-map.ts). */
export interface FieldPaths {
  name: string;
  phone: string;
  email: string;
  id: string;
  modified: string;
  /** Paths whose values become tags (text split at , ; | or a list), e.g. the form or landing page. */
  tags?: string;
  /** Tags every lead from this site gets (WORDPRESS_TAGS). */
  fixedTags?: string[];
}

export interface SourceSettings {
  path?: string;
  paging: PagingStyle;
  fields: FieldPaths;
  /** Extra query parameters every page request carries (ordering, context). */
  query: Record<string, string>;
}

// Times are tried in this order; a UTC one first, so comparisons with our own timestamps are exact.
const MODIFIED_FALLBACKS =
  'modified_gmt,date_updated,updated_at_gmt,updated_at,modified,date_created,created_at,date_gmt,date';

export const PRESETS: Record<PresetName, SourceSettings> = {
  // A register_rest_route endpoint returning a JSON array with core paging headers.
  custom: {
    paging: 'core',
    fields: { name: 'name', phone: 'phone', email: 'email', id: 'id', modified: MODIFIED_FALLBACKS },
    query: {},
  },
  // Field ids differ per form: "1.3,1.6" is a Name field's first and last input.
  'gravity-forms': {
    path: '/wp-json/gf/v2/entries',
    paging: 'gravity',
    fields: { name: '1.3,1.6', phone: '3', email: '2', id: 'id', modified: 'date_updated,date_created' },
    // Oldest first by id, so entries submitted while we page do not shift the pages we have not read yet.
    query: { 'sorting[key]': 'id', 'sorting[direction]': 'ASC' },
  },
  // Values live in the `response` JSON string; the route needs ?form_id=<id> in WORDPRESS_CONTACTS_PATH.
  'fluent-forms': {
    path: '/wp-json/fluentform/v1/submissions',
    paging: 'core',
    fields: {
      name: 'response.names.first_name,response.names.last_name',
      phone: 'response.phone',
      email: 'response.email',
      id: 'id',
      modified: 'updated_at,created_at',
    },
    query: {},
  },
  // Submissions carry `values: [{key, value}]`; `values.phone` picks the item whose key is phone.
  elementor: {
    path: '/wp-json/elementor/v1/form-submissions',
    paging: 'core',
    fields: {
      name: 'values.name',
      phone: 'values.phone',
      email: 'values.email',
      id: 'id',
      modified: 'updated_at_gmt,updated_at,created_at_gmt,created_at',
    },
    query: {},
  },
  // Leads registered as users; the phone is user meta, which a site must expose (register_meta show_in_rest).
  // Users carry no modification time (registered_date never moves), so no `modified`: every cycle
  // reads them all and an entry counts as changed when what we read from it changed (entry hashes).
  users: {
    path: '/wp-json/wp/v2/users',
    paging: 'core',
    fields: { name: 'name', phone: 'meta.phone', email: 'email', id: 'id', modified: '' },
    query: { context: 'edit', orderby: 'id', order: 'asc' },
  },
};

export interface SourceOverrides {
  path?: string;
  fields: Partial<Omit<FieldPaths, 'fixedTags'>>;
}

/** A preset with the site's overrides applied; undefined fields keep the preset's. */
export function resolveSource(
  preset: PresetName,
  overrides: SourceOverrides,
): SourceSettings & { path: string | undefined } {
  const base = PRESETS[preset];
  const fields = { ...base.fields };
  for (const [key, value] of Object.entries(overrides.fields) as [
    Exclude<keyof FieldPaths, 'fixedTags'>,
    string | undefined,
  ][]) {
    if (value) fields[key] = value;
  }
  return { ...base, path: overrides.path ?? base.path, fields, query: { ...base.query } };
}
