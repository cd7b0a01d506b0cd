#!/usr/bin/env bash
# The replica suite (issue 24, item 2): every read the API offers works on a hot standby.
#
# A primary and a streaming hot standby (pg_basebackup -R) on 127.0.0.1, run as the postgres OS
# user. The primary gets what scripts/stack.sh gives a stack (sql/supabase_bootstrap.sql, the
# migrations through scripts/migrate.sh, sql/seed.sql) plus tests/replica/fill.sql, rows in every
# domain, so reads return rows and a read's side effect (an access count) really happens.
# Then, on the standby, for what the catalog lists (nothing is named by hand except a few
# argument values the catalog cannot know, in ARGUMENT_HINTS below):
#   - every table and view in public, for each API role with SELECT on it (or on some of its
#     columns): its readable columns selected as PostgREST would (set_config('role'),
#     set_config('request.jwt.claims'), in a READ ONLY transaction) must succeed;
#   - every STABLE or IMMUTABLE function in public, for each API role with EXECUTE: called with
#     arguments made from the catalog (rows of the tables whose columns the arguments name, the
#     dimension of the vector columns, the acting user as p_user_id for the service role) in a
#     READ ONLY transaction, it must succeed: PostgREST runs such functions READ ONLY (and a GET
#     of any function), and the read pool answers them. VOLATILE functions are for the primary.
# Last, the check must catch a reader that writes: in a scratch copy of the database,
# get_memories (it counts reads) is marked STABLE; the same check on the standby must then fail
# on exactly that function.
#
#   scripts/test_replica.sh        a throwaway pair in .local/replica (ports 24961, 24962)
#   REPLICA_DIR=… REPLICA_PRIMARY_PORT=… REPLICA_STANDBY_PORT=… [PG_CONFIG=…] scripts/test_replica.sh
#
# Bounded (about a minute), stops both servers whatever happens (KEEP_WORK=1 keeps the data
# directories and logs). Ends with `replica: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIR=$(realpath -m "${REPLICA_DIR:-$ROOT/.local/replica}")
PRIMARY_PORT=${REPLICA_PRIMARY_PORT:-24961}
STANDBY_PORT=${REPLICA_STANDBY_PORT:-24962}
PGBIN=$("${PG_CONFIG:-/usr/bin/pg_config}" --bindir)   # PG_CONFIG: another Postgres 15 (a scratch prefix)
PRIMARY="$DIR/primary" STANDBY="$DIR/standby" RUN="$DIR/run" LOG="$DIR/log"
export PGPASSWORD=postgres PGCONNECT_TIMEOUT=10
API_ROLES=(anon authenticated service_role)

if [ "$(id -u)" = 0 ]; then OWNER=postgres; as_owner() { runuser -u postgres -- "$@"; }
else OWNER=$(id -un); as_owner() { "$@"; }; fi
# the servers get a minimal environment of their own, as in scripts/stack.sh
as_server() { as_owner env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC PGPASSWORD=postgres "$@"; }
# psql PORT DB [psql args]: as postgres over TCP
sql() { local port=$1 db=$2; shift 2; "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"; }

PASSED=0 FAILED=0
check() { # check NAME OK(0/1) [DETAIL]
  if [ "$2" = 0 ]; then PASSED=$((PASSED + 1)); echo "ok   $1${3:+ ($3)}"
  else FAILED=$((FAILED + 1)); echo "FAIL $1${3:+: $3}"; fi
}
finish() { echo "replica: $PASSED passed, $FAILED failed"; [ "$FAILED" = 0 ]; exit $?; }

stop_all() {
  local d
  for d in "$STANDBY" "$PRIMARY"; do
    [ -f "$d/postmaster.pid" ] && as_owner "$PGBIN/pg_ctl" -D "$d" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  done
  if [ -n "${KEEP_WORK:-}" ]; then echo "kept: $DIR"; else rm -rf "$DIR"; fi
}
trap stop_all EXIT

# 1. The primary, set up like a stack's database ----------------------------------------------------
stop_all; trap stop_all EXIT
mkdir -p "$DIR" "$RUN" "$LOG"
[ "$(id -u)" = 0 ] && chown -R "$OWNER" "$DIR"
(umask 077; printf 'postgres\n' > "$DIR/.pw"); [ "$(id -u)" = 0 ] && chown "$OWNER" "$DIR/.pw"
as_server "$PGBIN/initdb" -D "$PRIMARY" -U postgres --pwfile="$DIR/.pw" -E UTF8 --locale=C.UTF-8 \
  --auth-host=scram-sha-256 --auth-local=peer >"$LOG/initdb.log" 2>&1 \
  || { cat "$LOG/initdb.log"; check "initdb" 1; finish; }
rm -f "$DIR/.pw"
cat >> "$PRIMARY/postgresql.conf" <<CONF
# pg_convo replica suite: the primary
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$RUN'
max_connections = 50
shared_buffers = 64MB
wal_level = logical   # as on Supabase (Realtime); streaming replication needs replica or more
max_wal_senders = 4
log_min_messages = warning
CONF
as_server "$PGBIN/pg_ctl" -D "$PRIMARY" -l "$LOG/primary.log" -w -t 60 start >/dev/null \
  || { cat "$LOG/primary.log"; check "the primary starts" 1; finish; }

# as scripts/stack.sh's init_db does, then the suite's own rows
PRIMARY_URL="postgresql://postgres:postgres@127.0.0.1:$PRIMARY_PORT/postgres"
if ! {
  PGOPTIONS="-c client_min_messages=warning" sql "$PRIMARY_PORT" postgres -f sql/supabase_bootstrap.sql \
  && DATABASE_URL="$PRIMARY_URL" scripts/migrate.sh --quiet \
  && sql "$PRIMARY_PORT" postgres -f sql/seed.sql \
  && sql "$PRIMARY_PORT" postgres -f tests/replica/fill.sql
} >"$LOG/setup.log" 2>&1; then
  cat "$LOG/setup.log"; check "the primary is migrated and filled" 1; finish
fi
check "the primary is migrated and filled" 0 "$(sql "$PRIMARY_PORT" postgres -Atc \
  "select count(*) || ' migrations, pg_convo ' || (select extversion from pg_extension where extname = 'pg_convo')
     || coalesce(', pgvector ' || (select extversion from pg_extension where extname = 'vector'), ', no pgvector')
   from supabase_migrations.schema_migrations")"

# The scratch database for the last check: a copy made now (no one else is connected), in which
# get_memories will be marked STABLE.
sql "$PRIMARY_PORT" postgres -c "create database replica_scratch template postgres" >/dev/null

# 2. The standby: a base backup of the primary, streaming, hot ---------------------------------------
as_server "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$STANDBY" -R -X stream -c fast \
  >"$LOG/basebackup.log" 2>&1 || { cat "$LOG/basebackup.log"; check "pg_basebackup -R" 1; finish; }
cat >> "$STANDBY/postgresql.conf" <<CONF
# pg_convo replica suite: the standby (primary_conninfo is in postgresql.auto.conf, by -R)
port = $STANDBY_PORT
hot_standby = on
CONF
as_server "$PGBIN/pg_ctl" -D "$STANDBY" -l "$LOG/standby.log" -w -t 60 start >/dev/null \
  || { cat "$LOG/standby.log"; check "the standby starts" 1; finish; }

# caught_up DB-ON-PRIMARY: the standby has replayed everything the primary has written so far
caught_up() {
  local target i
  target=$(sql "$PRIMARY_PORT" postgres -Atc "select pg_current_wal_lsn()")
  for i in $(seq 1 300); do
    [ "$(sql "$STANDBY_PORT" postgres -Atc "select coalesce(pg_last_wal_replay_lsn() >= '$target'::pg_lsn, false)" 2>/dev/null)" = t ] && return 0
    sleep 0.1
  done
  return 1
}
rc=0; caught_up || rc=1
state=$(sql "$STANDBY_PORT" postgres -Atc "select pg_is_in_recovery()::text || '/' || current_setting('transaction_read_only')" 2>&1 || true)
status=$(sql "$PRIMARY_PORT" postgres -Atc "select state from pg_stat_replication limit 1" 2>&1 || true)
ok=1; { [ "$rc" = 0 ] && [ "$state" = true/on ] && [ "$status" = streaming ]; } && ok=0
check "the standby streams from the primary and is in recovery, read-only" $ok "recovery/read-only: $state, replication: $status"

# 3. The check, on the standby ---------------------------------------------------------------------
# The acting user: the fixture's main user (the one with the most chat messages).
ACTING=$(sql "$STANDBY_PORT" postgres -Atc "select user_id from public.chat_messages group by 1 order by count(*) desc, 1 limit 1")

# Values the catalog cannot give (an enumerated text argument): "name=>SQL expression", several
# separated by ";". get_client_by_identifier(p_identifier, p_type) takes 'email' or 'phone'.
ARGUMENT_HINTS="p_type=>'email'"

# cases DB: one line per call to make, TAB-separated: kind, object, role, attempt, statement.
# Made by SQL from the catalog, on the standby itself.
cases() {
  sql "$STANDBY_PORT" "$1" -At -F $'\t' -v acting="$ACTING" -v hints="$ARGUMENT_HINTS" <<'SQL'
with recursive roles(role) as (values ('anon'), ('authenticated'), ('service_role')),
-- tables and views: the columns each role may read
relations as (
  select c.oid, format('%I.%I', n.nspname, c.relname) as name
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
),
readable as (
  select r.name, ro.role,
         string_agg(quote_ident(a.attname), ', ' order by a.attnum) as cols
  from relations r cross join roles ro
  join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
  where has_column_privilege(ro.role, r.oid, a.attnum, 'select')
  group by r.name, ro.role
),
-- functions: STABLE and IMMUTABLE ones, callable (not trigger functions)
functions as (
  select p.oid, p.oid::regprocedure::text as signature, format('%I.%I', n.nspname, p.proname) as name,
         p.pronargs, p.pronargdefaults,
         -- the input arguments' names (proargnames also names OUT and TABLE columns)
         coalesce((select array_agg(coalesce(a.name, '') order by a.ord)
                     from unnest(p.proargnames, p.proargmodes) with ordinality as a(name, mode, ord)
                    where a.mode in ('i', 'b', 'v')),
                  p.proargnames, array_fill(''::text, array[p.pronargs])) as argnames,
         p.proargtypes::oid[] as argtypes
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and p.prokind = 'f' and p.provolatile in ('s', 'i')
    and p.prorettype <> 'trigger'::regtype
),
-- the arguments a call must give: those without a default (they come first), but never
-- p_user_id (it is the caller's: see below)
required as (
  select f.oid, a.pos, a.argname, a.argtype
  from functions f,
       unnest(f.argnames[1:f.pronargs], f.argtypes) with ordinality as a(argname, argtype, pos)
  where a.pos <= f.pronargs - f.pronargdefaults and a.argname <> 'p_user_id'
),
columns as (
  select c.relname, a.attname, a.atttypid, a.atttypmod
  from pg_attribute a join pg_class c on c.oid = a.attrelid
  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
),
-- candidate values per argument, best first
candidates as (
  -- a hint (enumerated values)
  select r.oid, r.pos, 0 as rank, trim(h.expr) as expr
  from required r, unnest(string_to_array(:'hints', ';')) as hint(text),
       lateral (select split_part(hint.text, '=>', 1) as name, substr(hint.text, strpos(hint.text, '=>') + 2) as expr) h
  where trim(h.name) = r.argname
  union all
  -- a row of the table this argument's type is (a computed relationship's argument)
  select r.oid, r.pos, 1, format('(select t from public.%I t limit 1)', c.relname)
  from required r join pg_class c on c.reltype = r.argtype and c.relnamespace = 'public'::regnamespace
  union all
  -- p_X_id: the id of a row of table Xs (p_session_id → sessions.id, p_client_id → clients.id),
  -- then any column named X_id; rows the caller can see (RLS), up to three of each
  select r.oid, r.pos, 2 + cols.ord, format('(select %I from public.%I where %I is not null order by 1 offset %s limit 1)',
                                         cols.attname, cols.relname, cols.attname, o.n)
  from required r
  cross join lateral (
    select c.relname, c.attname, 0 as ord from columns c
     where c.relname = regexp_replace(r.argname, '^p_(.*)_id$', '\1') || 's' and c.attname = 'id' and c.atttypid = r.argtype
    union all
    select c.relname, c.attname, 1 from columns c
     where c.attname = regexp_replace(r.argname, '^p_', '') and c.atttypid = r.argtype
  ) as cols
  cross join generate_series(0, 2) as o(n)
  union all
  -- a vector of the dimension the schema stores
  select r.oid, r.pos, 5, format('array_fill(0.01::real, array[%s])::%s', c.atttypmod, r.argtype::regtype)
  from required r join lateral (
    select atttypmod from columns where atttypid = r.argtype and atttypmod > 0 limit 1) c on true
  union all
  -- a plain value of the argument's type
  select r.oid, r.pos, 9, v.expr
  from required r join lateral (values
    ('text'::regtype, quote_literal('hello world')), ('integer', '100'), ('bigint', '100'),
    ('numeric', '0.5'), ('date', 'current_date'), ('boolean', 'true'), ('jsonb', quote_literal('{}') || '::jsonb'),
    ('timestamp with time zone', 'now()')) as v(type, expr) on v.type = r.argtype
),
-- every combination of candidates, best first, at most 12 per function
combos as (
  select f.oid, array[]::text[] as exprs, 0 as pos, 0 as score
  from functions f
  union all
  select c.oid, combos.exprs || (c.expr::text collate "default"), c.pos::int, combos.score + c.rank
  from combos join candidates c on c.oid = combos.oid and c.pos = combos.pos + 1
),
calls as (
  select f.signature, f.name, f.oid, f.argnames, x.exprs,
         row_number() over (partition by f.oid order by x.score, x.exprs) as attempt
  from functions f join combos x on x.oid = f.oid
  where x.pos = (select count(*) from required r where r.oid = f.oid)
)
select 'table', name, role, 1, format('select count(*), sum(length(s::text)) from (select %s from %s limit 200) as s', cols, name)
from readable
union all
select 'function', c.signature, ro.role, c.attempt,
       format('select count(*), sum(length(s::text)) from (select * from %s(%s)) as s', c.name,
              array_to_string(c.exprs
                || case when ro.role = 'service_role' and 'p_user_id' = any(c.argnames)
                        then array['p_user_id => ' || quote_literal(:'acting') || '::uuid'] else array[]::text[] end, ', '))
from calls c cross join roles ro
where has_function_privilege(ro.role, c.oid, 'execute') and c.attempt <= 12
union all
-- a function without any combination of arguments is a failure, not a silent skip
select 'function', f.signature, ro.role, 0, ''
from functions f cross join roles ro
where has_function_privilege(ro.role, f.oid, 'execute')
  and not exists (select from calls c where c.oid = f.oid)
order by 1 desc, 2, 3, 4;
SQL
}

# run_as PORT DB ROLE STATEMENT: one PostgREST-like request: a READ ONLY transaction, the role
# and its JWT claims set with set_config, the statement. Prints the error (SQLSTATE: message).
run_as() {
  local claims
  case $3 in
    authenticated) claims="{\"sub\": \"$ACTING\", \"role\": \"authenticated\", \"aud\": \"authenticated\"}" ;;
    *) claims="{\"role\": \"$3\"}" ;;
  esac
  PGOPTIONS="-c client_min_messages=warning -c statement_timeout=30s" "$PGBIN/psql" -X -q -At -h 127.0.0.1 -p "$1" -U postgres -d "$2" \
    -v ON_ERROR_STOP=1 -v VERBOSITY=verbose 2>&1 >/dev/null <<SQL | sed -n 's/^ERROR: *//p' | head -n 1
begin isolation level read committed read only;
select set_config('search_path', 'public, extensions', true), set_config('role', '$3', true),
       set_config('request.jwt.claims', '$claims', true), set_config('request.method', 'GET', true);
$4;
rollback;
SQL
}

# check_db DB: every case on the standby; prints one line per table or function and role,
# "ok"/"FAIL", and returns the number of failures in $DB_FAILED and passes in $DB_PASSED.
# A deliberate refusal (22023 bad argument, 42501, PT404, 23503) means the attempt's arguments
# did not fit: the next attempt is tried. Anything else, above all 25006 (a write in a read-only
# transaction, or on a standby), fails the function at once.
check_db() {
  local db=$1 kind name role attempt stmt err key last="" lasterr="" done_key=""
  DB_PASSED=0 DB_FAILED=0
  emit() { # emit OK KEY DETAIL
    if [ "$1" = 0 ]; then DB_PASSED=$((DB_PASSED + 1)); echo "ok   $2${3:+ ($3)}"
    else DB_FAILED=$((DB_FAILED + 1)); echo "FAIL $2: $3"; fi
  }
  local cases_file; cases_file=$(mktemp)
  if ! cases "$db" > "$cases_file" 2>&1; then
    emit 1 "the catalog query in $db" "$(head -c 2000 "$cases_file")"; rm -f "$cases_file"; return 0
  fi
  while IFS=$'\t' read -r kind name role attempt stmt; do
    key="$kind $name as $role"
    if [ -n "$last" ] && [ "$key" != "$last" ] && [ "$done_key" != "$last" ]; then
      emit 1 "$last" "no arguments found that it accepts (last: $lasterr)"
    fi
    last=$key
    [ "$done_key" = "$key" ] && continue
    if [ "$attempt" = 0 ]; then
      emit 1 "$key" "the catalog gives no arguments for it: add a hint"; done_key=$key; continue
    fi
    err=$(run_as "$STANDBY_PORT" "$db" "$role" "$stmt" || true)
    if [ -z "$err" ]; then
      emit 0 "$key" "$([ "$kind" = function ] && echo "attempt $attempt")"; done_key=$key
    elif [[ $err =~ ^(22023|42501|PT404|23503): ]] && [ "$kind" = function ]; then
      lasterr=$err
    else
      emit 1 "$key" "$err [$stmt]"; done_key=$key
    fi
  done < "$cases_file"
  if [ -n "$last" ] && [ "$done_key" != "$last" ]; then
    emit 1 "$last" "no arguments found that it accepts (last: $lasterr)"
  fi
  rm -f "$cases_file"
}

echo "# every table and STABLE / IMMUTABLE function in public, as each API role that may read it, on the standby"
check_db postgres | tee "$LOG/main.out"
DB_PASSED=$(grep -c '^ok ' "$LOG/main.out" || true) DB_FAILED=$(grep -c '^FAIL ' "$LOG/main.out" || true)
PASSED=$((PASSED + DB_PASSED)) FAILED=$((FAILED + DB_FAILED))
ok=1; [ "$DB_PASSED" -gt 0 ] && ok=0
check "the check found tables and functions to call" $ok "$DB_PASSED calls"

# Volatility, stated: the functions the check leaves to the primary (listed, not called)
echo "# VOLATILE functions in public (run read-write, by POST, on the primary): $(sql "$STANDBY_PORT" postgres -Atc \
  "select string_agg(proname, ', ' order by proname) from pg_proc
    where pronamespace = 'public'::regnamespace and provolatile = 'v' and prokind = 'f' and prorettype <> 'trigger'::regtype")"

# 4. The check must catch a reader that writes -------------------------------------------------------
echo "# self-test: get_memories (it counts reads) marked STABLE in a scratch database; the check must fail on it"
sql "$PRIMARY_PORT" replica_scratch -c "alter function public.get_memories(integer, text, uuid) stable" >/dev/null
caught_up || true
check_db replica_scratch > "$LOG/scratch.out" 2>&1 || true
# what fails in the scratch database and did not fail above: exactly get_memories, for both roles
# that may call it, with 25006
new_failures=$(grep '^FAIL ' "$LOG/scratch.out" | grep -vxF -f <(grep '^FAIL ' "$LOG/main.out" || true) || true)
printf '%s\n' "$new_failures" | sed 's/^/  scratch: /'
keys=$(sed -n 's/^FAIL \(function [^:]*\): .*/\1/p' <<<"$new_failures" | sort | paste -sd';')
ok=1
{ [ "$keys" = "function get_memories(integer,text,uuid) as authenticated;function get_memories(integer,text,uuid) as service_role" ] \
  && [ "$(grep -c ': 25006: ' <<<"$new_failures")" = 2 ]; } && ok=0
check "the check fails when a read RPC that writes is marked STABLE (get_memories, 25006, both roles)" $ok "${keys:-nothing failed}"

finish
