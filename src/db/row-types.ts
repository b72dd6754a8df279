import type { Knex } from 'knex';

/**
 * A table whose jsonb columns are read as parsed values but written as JSON text: node-postgres
 * would send a JS array as a Postgres array, so the repositories stringify them. Knex then checks
 * inserts and updates against this written shape (any column may be a raw, e.g. `db.fn.now()`),
 * while selects return `Row`.
 */
export type JsonColumnsAsText<Row, JsonColumn extends keyof Row> = {
  [K in keyof Row]: (K extends JsonColumn ? string | null : Row[K]) | Knex.Raw;
};

export type TableWithJson<Row, JsonColumn extends keyof Row> = Knex.CompositeTableType<
  Row,
  Partial<JsonColumnsAsText<Row, JsonColumn>>,
  Partial<JsonColumnsAsText<Row, JsonColumn>>
>;
