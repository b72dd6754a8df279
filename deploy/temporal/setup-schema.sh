#!/bin/sh
# One-off job (temporalio/admin-tools): creates Temporal's two databases on our Postgres and
# brings their schemas up to date. Safe to run on every `docker compose up`: `create` skips a
# database that exists and `update-schema` only applies versions not yet applied, so a newer
# admin-tools image upgrades an existing volume in place.
set -eu

: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
DB_PORT="${DB_PORT:-5432}"
SCHEMA_ROOT=/etc/temporal/schema/postgresql/v12

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}

for pair in temporal:temporal temporal_visibility:visibility; do
  db="${pair%%:*}"
  schema="${pair#*:}"
  echo "Temporal schema: database $db"
  sql_tool --db "$db" create
  sql_tool --db "$db" setup-schema -v 0.0
  sql_tool --db "$db" update-schema -d "$SCHEMA_ROOT/$schema/versioned"
done
echo 'Temporal schema is up to date'
