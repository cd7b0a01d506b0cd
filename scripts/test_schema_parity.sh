#!/usr/bin/env bash
# The domain files (schema/<DD>_<domain>.sql, the schema as it stands) equal the migrations
# (migrations/, the deploy path): the `schema` suite.
#
#   PARITY_DIR=… PARITY_PORT=… scripts/test_schema_parity.sh      (defaults: .local/schema-parity, 24971)
#
# In a scratch cluster of its own (127.0.0.1:$PARITY_PORT, stopped at the end): database
# `from_migrations` gets sql/supabase_bootstrap.sql and every migration (scripts/migrate.sh, as
# `make migrate` applies them), database `from_schema_files` gets sql/supabase_bootstrap.sql and
# each schema/*.sql in lexicographic order, one transaction per file. Twice: on this host's
# Postgres (with pgvector, where it is installed: convo.install_semantic_search creates the
# vector-typed objects) and on a scratch copy of it without pgvector's files (where the same
# function creates nothing: both databases must lack them alike). Then, each time:
#   * the domain files themselves: one per domain number the migrations use, none for a domain
#     without migrations, every function and policy created in exactly one place;
#   * `pg_dump --schema-only` of both (all but the migration history), split into pg_dump's objects;
#   * tests/schema/catalog.sql on both: what a dump hides or prints loosely (policies with roles and
#     expressions; functions' definitions, volatility, security, proconfig, owner, ACL, extension
#     members included; columns in order; constraints, indexes, triggers, types, publication
#     membership, default ACLs, comments).
# Every difference fails and is named (`differs: policy public.t "name"` and a diff of it;
# `only in migrations: …`). Where this host has no pgvector, the case with it is not compared, and
# the output says so.
# Ends with `schema: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PARITY_DIR=$(realpath -m "${PARITY_DIR:-$ROOT/.local/schema-parity}")
PARITY_PORT=${PARITY_PORT:-24971}
SYS_LIB=$(/usr/bin/pg_config --pkglibdir)   # /usr/lib/postgresql/15/lib
SYS_SHARE=$(/usr/bin/pg_config --sharedir)  # /usr/share/postgresql/15

PASSED=0; FAILED=0
ok()     { PASSED=$((PASSED + 1)); echo "ok - $1"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/#   /'; }
finish() { echo "schema: $PASSED passed, $FAILED failed"; [ "$FAILED" = 0 ]; }
fatal()  { not_ok "$@"; finish; exit 1; }

# Postgres refuses to run as root: as root, the scratch cluster runs as the postgres OS user.
if [ "$(id -u)" = 0 ]; then as_owner() { runuser -u postgres -- "$@"; }; OWNER=postgres
else as_owner() { "$@"; }; OWNER=$(id -un); fi

PGBIN=""; PGDATA=""
stop_cluster() {
  [ -n "$PGDATA" ] && [ -f "$PGDATA/postmaster.pid" ] && as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
}
trap 'stop_cluster; rm -rf "$PARITY_DIR/novector-prefix"' EXIT

# 1. the domain files themselves ------------------------------------------------------------------------
shopt -s nullglob
files=(schema/*.sql)
[ ${#files[@]} -gt 0 ] || fatal "schema/ holds the domain files" "no schema/*.sql"
bad_names=(); declare -A domain_file=()
for f in "${files[@]}"; do
  if [[ ${f#schema/} =~ ^([0-9]{2})_[a-z0-9_]+\.sql$ ]]; then domain_file[${BASH_REMATCH[1]}]=$f
  else bad_names+=("$f"); fi
done
missing=(); declare -A migration_domains=()
for m in migrations/*.sql; do
  d=$(basename "$m" | cut -c9-10); migration_domains[$d]=1
  [ -n "${domain_file[$d]:-}" ] || missing+=("$(basename "$m") (domain $d)")
done
orphans=()
for d in "${!domain_file[@]}"; do [ -n "${migration_domains[$d]:-}" ] || orphans+=("${domain_file[$d]}"); done
problems=""
[ ${#bad_names[@]} = 0 ] || problems+="not named schema/<DD>_<domain>.sql: ${bad_names[*]}"$'\n'
[ ${#missing[@]} = 0 ] || problems+="migrations of a domain without a domain file: ${missing[*]}"$'\n'
[ ${#orphans[@]} = 0 ] || problems+="a domain file no migration has the domain number of: ${orphans[*]}"$'\n'
if [ -z "$problems" ]; then ok "one domain file per domain number of migrations/ (${#files[@]} files)"
else not_ok "one domain file per domain number of migrations/" "$problems"; fi

# Defined once: a function (by name) or a policy (by table and name) created in two places of the
# domain files is an error, even where both would apply (the later would silently win).
defined_twice=$(
  for f in "${files[@]}"; do
    # functions by name and argument list (overloads such as public.profiles(session_messages) and
    # public.profiles(session_participants) are two functions), also those inside strings executed
    # later (install_semantic_search's DDL)
    tr '\n' ' ' < "$f" | grep -oiE 'create[[:space:]]+(or[[:space:]]+replace[[:space:]]+)?function[[:space:]]+[a-z_]+\.[a-z_0-9]+[[:space:]]*\([^)]*' \
      | sed -E 's/.*function[[:space:]]+//I; s/[[:space:]]+/ /g' | awk -v f="$f" '{ print "function " tolower($0) ")\t" f }' || true
    # policies: `create policy "name" on table` (the name and the table may be on two lines)
    tr '\n' ' ' < "$f" | grep -oiE 'create[[:space:]]+policy[[:space:]]+"[^"]+"[[:space:]]+on[[:space:]]+[a-z_.]+' \
      | sed -E 's/^create[[:space:]]+policy[[:space:]]+("[^"]+")[[:space:]]+on[[:space:]]+(.*)$/policy \2 \1/I' \
      | awk -v f="$f" '{ print $0 "\t" f }' || true
  done | sort | awk -F'\t' '{ n[$1]++; w[$1] = w[$1] " " $2 } END { for (k in n) if (n[k] > 1) print k ":" w[k] }' | sort)
if [ -z "$defined_twice" ]; then
  ok "every function and policy is created in exactly one place of schema/ ($(cat "${files[@]}" | grep -ciE 'create[[:space:]]+(or[[:space:]]+replace[[:space:]]+)?function[[:space:]]') functions)"
else
  not_ok "every function and policy is created in exactly one place of schema/" "$defined_twice"
fi

# The current state, not steps: no object is dropped or replaced after it was created here (a
# changed object is edited where it is defined), and the extension is created at its newest
# version (no `alter extension … update`). Top-level statements only (a function body may drop
# what it replaces, as install_semantic_search does); comments are not looked at.
history_like=$(for f in "${files[@]}"; do
  sed -E 's/--.*$//' "$f" | grep -niE '^(drop[[:space:]]+(function|policy|trigger|index|view|table|constraint)|alter[[:space:]]+extension[[:space:]]+[a-z_]+[[:space:]]+update|alter[[:space:]]+table[[:space:]].*[[:space:]]drop[[:space:]]+constraint)' \
    | sed "s|^|$f:|" || true
done)
if [ -z "$history_like" ]; then ok "schema/ states what is, not the steps to it (no drop, no alter extension … update)"
else not_ok "schema/ states what is, not the steps to it (no drop, no alter extension … update)" "$history_like"; fi

# 2. both databases, in a scratch cluster; compared ---------------------------------------------------------
# parity CASE BINDIR: CASE names the case in every line; BINDIR is the Postgres to run
parity() {
  local case=$1 dir="$PARITY_DIR/${1// /-}" db f applied
  PGBIN=$2; PGDATA="$dir/db"
  local results="$dir/results"   # the dumps and catalogs compared, kept for reading afterwards
  mkdir -p "$dir/run" "$results"
  [ "$(id -u)" = 0 ] && chown -R "$OWNER" "$dir"
  if ! as_owner env -i PATH=/usr/bin:/bin LANG=C.UTF-8 "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
       --auth-local=trust --auth-host=trust >"$dir/initdb.log" 2>&1; then
    not_ok "$case: a scratch cluster (initdb)" "$(tail -n 20 "$dir/initdb.log")"; return
  fi
  cat >> "$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PARITY_PORT
unix_socket_directories = '$dir/run'
wal_level = logical
fsync = off
log_min_messages = warning
CONF
  if ! as_owner env -i PATH=/usr/bin:/bin LANG=C.UTF-8 TZ=UTC "$PGBIN/pg_ctl" -D "$PGDATA" -l "$dir/postgres.log" -w -t 60 start >/dev/null; then
    not_ok "$case: a scratch cluster starts on 127.0.0.1:$PARITY_PORT" "$(tail -n 20 "$dir/postgres.log")"; return
  fi
  psql_in postgres -c "create database from_migrations" -c "create database from_schema_files"

  for db in from_migrations from_schema_files; do
    if ! psql_in "$db" -f sql/supabase_bootstrap.sql >"$dir/bootstrap-$db.log" 2>&1; then
      not_ok "$case: sql/supabase_bootstrap.sql applies ($db)" "$(cat "$dir/bootstrap-$db.log")"; stop_cluster; return
    fi
  done
  if DATABASE_URL=$(url from_migrations) scripts/migrate.sh --quiet >"$dir/migrate.log" 2>&1; then
    ok "$case: every migration applies to an empty database ($(ls migrations/*.sql | wc -l) files)"
  else
    not_ok "$case: every migration applies to an empty database" "$(cat "$dir/migrate.log")"; stop_cluster; return
  fi
  applied=0
  for f in "${files[@]}"; do
    if ! psql_in from_schema_files -1 -f "$f" >"$dir/apply.log" 2>&1; then
      not_ok "$case: the domain files apply in order to an empty database" "$f: $(cat "$dir/apply.log")"; stop_cluster; return
    fi
    applied=$((applied + 1))
  done
  ok "$case: the domain files apply in order to an empty database ($applied files)"
  echo "# $case: the vector extension is $(psql_in from_migrations -At -c "select coalesce((select 'installed (' || extversion || ')' from pg_extension where extname = 'vector'), 'not installed')") in the database built from migrations"

  for db in from_migrations from_schema_files; do
    "$PGBIN/pg_dump" -d "$(url "$db")" --schema-only --exclude-schema=supabase_migrations > "$results/$db.dump.sql"
    psql_in "$db" -At -f tests/schema/catalog.sql > "$results/$db.catalog.txt"
  done
  stop_cluster
  compare "$case" pg_dump "$results/from_migrations.dump.sql" "$results/from_schema_files.dump.sql"
  compare "$case" catalog "$results/from_migrations.catalog.txt" "$results/from_schema_files.catalog.txt"
  echo "# $case: compared $results/{from_migrations,from_schema_files}.{dump.sql,catalog.txt}"
}
url() { echo "postgresql://postgres@127.0.0.1:$PARITY_PORT/$1"; }
psql_in() { local db=$1; shift; PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d "$(url "$db")" "$@"; }
compare() { # CASE FORMAT A B: the comparator's ok / not ok lines, counted here
  local out rc=0
  out=$(python3 tests/schema/compare.py --format "$2" --names "migrations,schema files" "$3" "$4") || rc=$?
  if [ "$rc" -gt 1 ]; then not_ok "$1: tests/schema/compare.py runs" "$out"; return; fi
  out=$(sed -E "s/^(ok|not ok) - /\1 - $1: /" <<<"$out")
  printf '%s\n' "$out"
  PASSED=$((PASSED + $(grep -c '^ok - ' <<<"$out" || true)))
  FAILED=$((FAILED + $(grep -c '^not ok - ' <<<"$out" || true)))
}

stop_cluster
rm -rf "$PARITY_DIR"; mkdir -p "$PARITY_DIR"
if [ -f "$SYS_SHARE/extension/vector.control" ]; then
  parity "with pgvector" "$(/usr/bin/pg_config --bindir)"
else
  echo "# with pgvector: not compared: pgvector is not installed on this host (scripts/bootstrap.sh installs it)"
fi
# a Postgres whose pg_available_extensions lacks `vector` (a copy of this one without its files)
prefix="$PARITY_DIR/novector-prefix"
prefix_bin=$(scripts/scratch_prefix.sh "$prefix" pgvector)
[ "$(id -u)" = 0 ] && chown -R "$OWNER" "$PARITY_DIR"
if [ "$("$prefix_bin/pg_config" --sharedir)" = "$prefix$SYS_SHARE" ]; then
  parity "without pgvector" "$prefix_bin"
else
  not_ok "without pgvector: a scratch copy of the Postgres prefix finds its own share dir"
fi
finish
