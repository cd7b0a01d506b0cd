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
# - afterwards PostgREST is told to reload its schema cache (NOTIFY pgrst);
# - when the migrations need the pg_convo extension, the server must have it installed, with a
#   library (.so) at least as new as the database's extension and the newest version the
#   migrations name; otherwise nothing is applied (see check_extension below).
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

version_lt() { [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]; }

# The pg_convo extension, checked before anything is applied ------------------------------------
# A migration that needs the extension says so, each statement on one line:
# `create extension … pg_convo [version 'V']` or `alter extension pg_convo update to 'V'`.
# The library (pg_convo.so) must be at least as new as the version the database is at and the
# newest version the migrations name: an older .so serves none of the newer functions (they would
# fail later with "could not find function … in file").
INSTALL_HINT="run \`make install\` on the database host, or unpack the package from \`make package\` (see README)"
check_extension() {
  local stated needed="" v row available installed library oldest
  stated=$(cat "${files[@]}" /dev/null | grep -iE "^[[:space:]]*(create|alter)[[:space:]]+extension[[:space:]]+(if[[:space:]]+not[[:space:]]+exists[[:space:]]+)?pg_convo([[:space:];]|$)" || true)
  for v in $(grep -ioE "(version|update[[:space:]]+to)[[:space:]]+'[^']+'" <<<"$stated" | cut -d"'" -f2); do
    { [ -z "$needed" ] || version_lt "$needed" "$v"; } && needed=$v
  done
  row=$("${PSQL[@]}" -At -F '|' -c "select coalesce((select default_version from pg_available_extensions where name = 'pg_convo'), ''), coalesce((select extversion from pg_extension where extname = 'pg_convo'), '')") \
    || fail "cannot reach the database"
  available=${row%%|*}; installed=${row#*|}
  [ -n "$stated" ] || [ -n "$installed" ] || return 0   # these migrations do not use pg_convo
  [ -n "$available" ] || fail "pg_convo is not installed on this server: $INSTALL_HINT. (Hosted Supabase cannot load it.)"

  # The library's own version: convo.info() answers from the .so; where the database has no
  # extension yet, from a trial install that is rolled back.
  if [ -n "$installed" ]; then
    library=$("${PSQL[@]}" -At -c "select convo.info() ->> 'version'" 2>&1) \
      || fail "cannot ask pg_convo's library for its version: $library"
  else
    oldest=$("${PSQL[@]}" -At -c "select version from pg_available_extension_versions where name = 'pg_convo'" | sort -V | head -n 1)
    library=$("${PSQL[@]}" -At -v v="$oldest" 2>&1 <<'SQL'
begin;
create extension pg_convo version :'v';
select convo.info() ->> 'version';
rollback;
SQL
    ) || fail "cannot load pg_convo on this server to check its version: $library"
  fi
  if [ -n "$installed" ] && version_lt "$library" "$installed"; then
    fail "the pg_convo library on this server is $library, older than this database's extension ($installed): install pg_convo $installed or newer: $INSTALL_HINT. Nothing was applied."
  fi
  if [ -n "$needed" ] && version_lt "$library" "$needed"; then
    fail "these migrations need pg_convo $needed, but the library on this server is $library: install pg_convo $needed or newer first: $INSTALL_HINT. Nothing was applied."
  fi
  return 0
}
check_extension

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
