#!/usr/bin/env bash
# Applies pending migrations, the way the Supabase CLI does, to any Postgres:
#
#   DATABASE_URL=postgresql://… scripts/migrate.sh [--quiet]     (default: the local stack)
#
# - files are migrations/<YYYYMMDDHHMMSS>_<name>.sql, applied in version order;
# - each file runs in ONE transaction together with its row in
#   supabase_migrations.schema_migrations (version, name, statements), so `supabase db push`
#   later recognises what is applied, and a failing file leaves nothing behind;
# - a pending file older than the newest applied version is refused before anything is applied;
# - re-running applies nothing; two runners at once are serialised by an advisory lock;
# - afterwards PostgREST is told to reload its schema cache (NOTIFY pgrst).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIGRATIONS_DIR=${MIGRATIONS_DIR:-$ROOT/migrations}
QUIET=false; [ "${1:-}" = "--quiet" ] && QUIET=true

fail() { printf 'migrate: %s\n' "$*" >&2; exit 1; }
say()  { $QUIET || printf 'migrate: %s\n' "$*"; }

if [ -z "${DATABASE_URL:-}" ]; then
  env_file="${STACK_DIR:-$ROOT/.local}/stack.env"
  [ -f "$env_file" ] || fail "set DATABASE_URL, or start the local stack with 'make up'"
  DATABASE_URL=$(sed -n 's/^DB_URL=//p' "$env_file")
fi
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 --no-psqlrc -d "$DATABASE_URL")

# The history table, exactly as the Supabase CLI creates it (under the runners' lock: two
# concurrent `create schema if not exists` can otherwise collide).
"${PSQL[@]}" >/dev/null <<'SQL' || fail "cannot reach the database or create the history table"
begin;
select pg_advisory_xact_lock(hashtext('supabase_migrations.schema_migrations'));
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text not null primary key,
  statements text[],
  name text
);
commit;
SQL

# The files, checked for well-formed names and unique versions.
files=(); declare -A seen=()
shopt -s nullglob
for f in "$MIGRATIONS_DIR"/*.sql; do
  base=$(basename "$f")
  [[ $base =~ ^([0-9]{14})_([A-Za-z0-9_]+)\.sql$ ]] \
    || fail "$base: migration files are named <YYYYMMDDHHMMSS>_<name>.sql"
  v=${BASH_REMATCH[1]}
  [ -z "${seen[$v]:-}" ] || fail "two migrations share version $v: ${seen[$v]} and $base"
  seen[$v]=$base; files+=("$f")
done

applied=$("${PSQL[@]}" -At -c "select version from supabase_migrations.schema_migrations order by version")
newest=$(printf '%s\n' "$applied" | tail -n 1)

pending=()
for f in "${files[@]}"; do
  v=$(basename "$f" | cut -c1-14)
  grep -qx "$v" <<<"$applied" && continue
  pending+=("$f")
done

# Refuse out-of-order files before touching anything.
late=()
for f in "${pending[@]}"; do
  v=$(basename "$f" | cut -c1-14)
  [ -n "$newest" ] && [[ "$v" < "$newest" ]] && late+=("$(basename "$f")")
done
if [ ${#late[@]} -gt 0 ]; then
  fail "refusing ${late[*]}: older than the newest applied migration ($newest). Give the file a new timestamp (migrations are never edited or back-dated once applied)."
fi

count=0
for f in "${pending[@]}"; do
  base=$(basename "$f"); v=${base:0:14}; name=${base:15}; name=${name%.sql}
  say "applying $base"
  # one transaction: lock, re-check (a concurrent runner may have won), the file, its history row
  if ! "${PSQL[@]}" -v version="$v" -v name="$name" -v file="$f" >/dev/null <<'SQL'; then
begin;
select pg_advisory_xact_lock(hashtext('supabase_migrations.schema_migrations'));
select exists (select from supabase_migrations.schema_migrations where version = :'version') as already_applied \gset
\if :already_applied
rollback;
\else
\i :file
\set statements `cat :'file'`
insert into supabase_migrations.schema_migrations (version, name, statements)
values (:'version', :'name', array[:'statements']);
commit;
\endif
SQL
    fail "$base failed and was rolled back: nothing of it was applied"
  fi
  count=$((count + 1))
done

"${PSQL[@]}" -c "notify pgrst, 'reload schema'" >/dev/null
say "$count migration(s) applied"
