#!/usr/bin/env bash
# The upgrade test: a database made exactly as main made it at pg_convo 0.1.0, filled with data in
# every domain, upgraded with `make migrate`, then checked. It leaves the upgraded stack RUNNING,
# so that scripts/test.sh can run its pgTAP, HTTP and client suites against it.
#
#   STACK_DIR=… DB_PORT=… API_PORT=… REST_PORT=… scripts/test_upgrade.sh        build, upgrade, check
#   (same env) scripts/test_upgrade.sh stop                                       stop that stack
#
# 1. 0.1.0 as it was: `create extension pg_convo version '0.1.0'` (the kept install script
#    sql/pg_convo--0.1.0.sql, served by the current library: pgrx symbol names are stable), then
#    only the migrations up to $LAST_0_1_0 and the seed, through scripts/stack.sh up;
# 2. tests/upgrade/fill_0_1_0.sql: users, chat, memories, agent sessions, music, mediation, mentor;
# 3. a fingerprint of all data (tests/upgrade/fingerprint.sql), then `make migrate` (every file
#    of migrations/, which runs `alter extension pg_convo update`), then `scripts/stack.sh up`
#    on the running stack;
# 4. checks: extension and history at the new version; every row and every 0.1.0 column unchanged
#    (a column a migration rewrites on purpose is listed with its reason in
#    tests/upgrade/changed_by_upgrade.txt); the 0.1.0 data served through the API; the upgraded
#    extension identical to a fresh install member by member (tests/upgrade/extension_catalog.sql:
#    every function's definition, volatility, proconfig, privileges and comment, every type, table,
#    operator …; pg_dump skips extension members), and that comparison shown to name a changed
#    member; the whole schema identical to a fresh database migrated from scratch (pg_dump --schema-only);
#    `drop extension pg_convo` refused, and what CASCADE would remove (both rolled back).
# Prints ok / not ok lines and `upgrade: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"
export STACK_DIR
STACK_DIR=$(realpath -m "${STACK_DIR:-$ROOT/.local/upgrade-stack}")
export DB_PORT=${DB_PORT:-24522} API_PORT=${API_PORT:-24521} REST_PORT=${REST_PORT:-24525}
unset DATABASE_URL MIGRATIONS_DIR   # make migrate must find the stack through STACK_DIR

FROM_VERSION=0.1.0
LAST_0_1_0=20261122050000            # the newest migration of the 0.1.0 release
TO_VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
ANN=f0f0a1a1-a1a1-4a1a-8a1a-a1a1a1a1a1a1   # a user of tests/upgrade/fill_0_1_0.sql

if [ "${1:-}" = stop ]; then exec scripts/stack.sh down; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pg_convo-upgrade.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

PASSED=0; FAILED=0
ok()     { PASSED=$((PASSED + 1)); echo "ok - $1"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/#   /'; }
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got: $2"$'\n'"wanted: $3"; fi; }
note()   { printf '%s\n' "$@" | sed 's/^/#   /'; }
finish() { echo "upgrade: $PASSED passed, $FAILED failed"; [ "$FAILED" = 0 ]; }
fatal()  { not_ok "$@"; scripts/stack.sh down >/dev/null 2>&1 || true; finish; exit 1; }

q() { scripts/stack.sh psql -At "$@"; }          # as postgres, database postgres
qdb() { local db=$1; shift; PGPASSWORD=postgres psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DB_PORT" -U postgres -d "$db" "$@"; }
fingerprint() { q -v history_upto="$LAST_0_1_0" -f tests/upgrade/fingerprint.sql; }
# versions_in DIR: the migration versions of the files in DIR, comma-separated
versions_in() { local f v=(); for f in "$1"/*.sql; do f=${f##*/}; v+=("${f:0:14}"); done; (IFS=,; echo "${v[*]}"); }
history() { q -c "select string_agg(version, ',' order by version) from supabase_migrations.schema_migrations"; }
# api_as SUB PATH [curl args]: a request through the gateway as that user
api_as() {
  local sub=$1 path=$2; shift 2
  curl -s -H "apikey: $ANON_KEY" -H "Authorization: Bearer $(scripts/stack.sh token "$sub")" \
       -H 'Content-Type: application/json' "$API_URL/rest/v1/$path" "$@"
}

# 1. the stack at 0.1.0, as main made it -----------------------------------------------------------
scripts/stack.sh down >/dev/null 2>&1 || true
rm -rf "$STACK_DIR/db" "$STACK_DIR/stack.env"
mkdir -p "$WORK/migrations-0.1.0"
for f in migrations/*.sql; do
  base=${f##*/}; (( 10#${base:0:14} > LAST_0_1_0 )) || cp "$f" "$WORK/migrations-0.1.0/"
done
# The extension at 0.1.0 before the foundation migration's `create extension if not exists`:
# a one-off first file, removed from the history afterwards (main never had it).
PRESTEP=20261121235959
printf "create extension pg_convo version '%s';\n" "$FROM_VERSION" \
  > "$WORK/migrations-0.1.0/${PRESTEP}_pg_convo_at_${FROM_VERSION//./_}.sql"
MIGRATIONS_DIR="$WORK/migrations-0.1.0" scripts/stack.sh up >"$WORK/up-0.1.0.log" 2>&1 \
  || fatal "the 0.1.0 stack starts" "$(tail -n 20 "$WORK/up-0.1.0.log")"
q -c "delete from supabase_migrations.schema_migrations where version = '$PRESTEP'"
# shellcheck disable=SC1091
. "$STACK_DIR/stack.env"
expect_eq "the 0.1.0 stack: extension $FROM_VERSION, migrations up to $LAST_0_1_0 only" \
  "$(q -c "select extversion from pg_extension where extname = 'pg_convo'") $(history)" \
  "$FROM_VERSION $(versions_in "$WORK/migrations-0.1.0" | sed "s/^$PRESTEP,//")"

# 2. data in every domain ------------------------------------------------------------------------------
q -o /dev/null -f tests/upgrade/fill_0_1_0.sql 2>"$WORK/fill.err" \
  || fatal "tests/upgrade/fill_0_1_0.sql fills the 0.1.0 database" "$(cat "$WORK/fill.err")"
empty=$(q -c "select string_agg(c.relname, ' ' order by c.relname) from pg_class c
              where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
                and (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from public.%I', c.relname), false, true, '')))[1]::text = '0'")
expect_eq "every table of 0.1.0 has rows ($(q -c "select count(*) from pg_tables where schemaname = 'public'") tables)" "$empty" ""
chat_before=$(api_as "$ANN" "rpc/get_chat_history?p_limit=50")
expect_eq "the 0.1.0 API serves the user's chat (3 turns)" "$(jq length <<<"$chat_before" 2>&1)" 3
fingerprint > "$WORK/before.txt"

# 3. the upgrade: make migrate, then make up's path on the running stack ----------------------------------
if make --no-print-directory migrate >"$WORK/migrate.log" 2>&1; then
  ok "make migrate upgrades the 0.1.0 database ($(grep -c '^migrate: applying' "$WORK/migrate.log") migrations)"
else
  fatal "make migrate upgrades the 0.1.0 database" "$(cat "$WORK/migrate.log")"
fi
if scripts/stack.sh up >"$WORK/up.log" 2>&1; then ok "scripts/stack.sh up on the upgraded stack (PostgREST serves the new schema)"
else not_ok "scripts/stack.sh up on the upgraded stack" "$(tail -n 20 "$WORK/up.log")"; fi

# 4. checks ------------------------------------------------------------------------------------------------
expect_eq "extension version $TO_VERSION" "$(q -c "select extversion from pg_extension where extname = 'pg_convo'")" "$TO_VERSION"
expect_eq "the history lists every migration file" "$(history)" "$(versions_in migrations)"
expect_eq "convo_info through the API says $TO_VERSION" \
  "$(api_as "$ANN" rpc/convo_info | jq -r '.version + " " + .uid' 2>&1)" "$TO_VERSION $ANN"

fingerprint > "$WORK/after.txt"
# compare_fingerprints BEFORE AFTER: ok/not ok per kind of change; a changed item passes only when
# tests/upgrade/changed_by_upgrade.txt names it (first word) with a reason.
compare_fingerprints() {
  local item value reason rows=0 cols=0 changed=() allowed=() gone=() added=()
  declare -A before=() after=()
  while IFS='|' read -r item value; do before[$item]=$value; done < "$1"
  while IFS='|' read -r item value; do after[$item]=$value; done < "$2"
  for item in "${!before[@]}"; do
    case "$item" in *' #rows') rows=$((rows + 1)) ;; *) cols=$((cols + 1)) ;; esac
    if [ -z "${after[$item]+set}" ]; then gone+=("$item")
    elif [ "${after[$item]}" != "${before[$item]}" ]; then
      reason=$(awk -v i="$item" '$1 == i { $1 = ""; print substr($0, 2) }' tests/upgrade/changed_by_upgrade.txt)
      if [ -n "$reason" ]; then allowed+=("$item: $reason"); else changed+=("$item"); fi
    fi
  done
  for item in "${!after[@]}"; do [ -n "${before[$item]+set}" ] || added+=("$item"); done
  expect_eq "no 0.1.0 table or column is gone" "${gone[*]:-}" ""
  expect_eq "every row and every 0.1.0 column's values unchanged ($rows tables, $cols columns)" "${changed[*]:-}" ""
  [ ${#allowed[@]} = 0 ] || note "changed on purpose (tests/upgrade/changed_by_upgrade.txt):" "${allowed[@]}"
  [ ${#added[@]} = 0 ] || note "added by the upgrade (not compared): $(printf '%s\n' "${added[@]}" | sort | paste -sd' ')"
}
compare_fingerprints "$WORK/before.txt" "$WORK/after.txt"

# (get_chat_history gained the sibling positions of each pair: 0.1.0's columns are compared)
chat_after=$(api_as "$ANN" "rpc/get_chat_history?p_limit=50" \
  | jq -c 'if type == "array" then map(del(.user_sibling_index, .user_sibling_count, .ai_sibling_index, .ai_sibling_count)) else . end' 2>&1)
expect_eq "the API serves the user's 0.1.0 chat unchanged after the upgrade" "$chat_after" "$(jq -c . <<<"$chat_before")"
# the conversation trees' migration made each 0.1.0 session one branch: its history is whole,
# each message follows the one before it, and its current leaf is its last reply
expect_eq "a 0.1.0 chat session is one branch after the upgrade (history along it, no siblings)" \
  "$(api_as "$ANN" "rpc/get_chat_history?p_session_id=f0f00001-0000-4000-8000-000000000001" \
     | jq -r 'if type == "array" then map(.user_message[0:5] + " " + ([.user_sibling_count, .ai_sibling_count] | map(tostring) | join("/"))) | join(", ") else . end' 2>&1)" \
  "A dea 1/1, I had 1/1"
expect_eq "... its messages chained by previous_id, and its current leaf the last reply" \
  "$(q -c "select count(*) filter (where m.parent_id is null) || ' ' || count(*) || ' ' ||
                  (select convo.chat_session_tip(s.id) = (select a.id from public.chat_messages a where a.session_id = s.id
                                                          order by a.\"timestamp\" desc limit 1))
           from public.chat_sessions s join public.chat_messages m on m.session_id = s.id
           where s.id = 'f0f00001-0000-4000-8000-000000000001' group by s.id")" "1 4 true"
expect_eq "the user's 0.1.0 memories (POST get_memories) and genre preferences through the API" \
  "$(api_as "$ANN" rpc/get_memories -d '{"p_limit": 10}' | jq -c 'if type == "array" then length else . end' 2>&1) $(api_as "$ANN" rpc/get_genre_preferences | jq -r 'if type == "array" then map(.genre) | sort | join(",") else . end' 2>&1)" \
  "3 lo-fi,pop"
# The preferences the 0.1.0 trigger folded equal what the new aggregate recomputes (rolled back).
prefs="select genre, interaction_count, reward_sum, weighted_reward_sum, recency_weight_sum, preference_score, average_reward, last_interaction
       from public.music_genre_preferences where user_id = '$ANN' order by genre"
recomputed=$(q <<SQL
begin;
\\o /dev/null
select public.recompute_genre_preferences(p_user_id => '$ANN');
\\o
$prefs;
rollback;
SQL
)
expect_eq "recompute_genre_preferences gives back exactly the preferences folded at 0.1.0" "$recomputed" "$(q -c "$prefs")"

# The upgraded extension vs a fresh install, and the whole schema vs a fresh migrated database.
qdb postgres -c "set client_min_messages = warning" -c "drop database if exists convo_fresh" -c "create database convo_fresh"
qdb convo_fresh -f sql/supabase_bootstrap.sql >/dev/null 2>&1
if DATABASE_URL="postgresql://postgres:postgres@127.0.0.1:$DB_PORT/convo_fresh" scripts/migrate.sh --quiet >"$WORK/fresh.log" 2>&1; then
  qdb postgres -f tests/upgrade/extension_catalog.sql > "$WORK/catalog-upgraded.txt"
  qdb convo_fresh -f tests/upgrade/extension_catalog.sql > "$WORK/catalog-fresh.txt"
  # member by member (pg_depend deptype 'e'): each function's whole definition, volatility,
  # proconfig and privileges, each type, table, operator, cast … (tests/upgrade/extension_catalog.sql)
  compare_members() { python3 tests/schema/compare.py --format catalog --title "extension member" --names "$1" "$2" "$3"; }
  if members_out=$(compare_members "upgraded,fresh install" "$WORK/catalog-upgraded.txt" "$WORK/catalog-fresh.txt"); then
    ok "the upgraded extension equals a fresh $TO_VERSION install, member by member ($(grep -c '^@@ ' "$WORK/catalog-fresh.txt") members, $(sed -nE 's/^ok - extension member, ([a-z ]+): ([0-9]+) objects equal/\1 \2/p' <<<"$members_out" | paste -sd, | sed 's/,/, /g'): definitions, settings, privileges, comments)"
  else
    not_ok "the upgraded extension equals a fresh $TO_VERSION install, member by member" "$members_out"
  fi
  # … and that comparison does see a member that differs: one function's proconfig and privileges
  # changed in a transaction that is rolled back must be named
  qdb convo_fresh > "$WORK/catalog-changed.txt" <<'SQL'
begin;
alter function convo.info() set search_path = public;
grant execute on function convo.info() to public;
\i tests/upgrade/extension_catalog.sql
rollback;
SQL
  changed_out=$(compare_members "fresh install,changed" "$WORK/catalog-fresh.txt" "$WORK/catalog-changed.txt" || true)
  expect_eq "… a member that differs is named (convo.info() with another search_path and EXECUTE for PUBLIC, rolled back)" \
    "$(grep -E '^(not ok|#   differs:)' <<<"$changed_out")" \
    "$(printf '%s\n' "not ok - extension member, function: 1 object(s) differ ($(( $(grep -c '^@@ function ' "$WORK/catalog-fresh.txt") - 1 )) equal)" "#   differs: function convo.info()")"
  # (pg_dump's \restrict line carries a random key per run; pg_cron exists only in the database
  # its scheduler serves, postgres, so its entries are left out of both, with the blank and `--`
  # lines between entries)
  for db in postgres convo_fresh; do
    PGPASSWORD=postgres pg_dump -h 127.0.0.1 -p "$DB_PORT" -U postgres --schema-only "$db" \
      | grep -v '^\\\(un\)\?restrict ' \
      | awk '/^-- Name: / { skip = ($0 ~ /^-- Name: (EXTENSION )?pg_cron; /) } !skip && !/^(--)?$/' > "$WORK/schema-$db.sql"
  done
  expect_eq "the upgraded database's schema equals a fresh one migrated from scratch (pg_dump --schema-only)" \
    "$(diff "$WORK/schema-postgres.sql" "$WORK/schema-convo_fresh.sql" | head -n 40)" ""
else
  not_ok "a fresh database migrated from scratch, to compare with" "$(cat "$WORK/fresh.log")"
fi
qdb postgres -c "drop database if exists convo_fresh with (force)"

# drop extension on the upgraded database with data: refused without CASCADE; what CASCADE removes.
# Both run in a transaction that is rolled back, so the stack keeps everything.
drop_out=$(q -v VERBOSITY=default -c "begin" -c "drop extension pg_convo" -c "rollback" 2>&1 || true)
if grep -q 'cannot drop extension pg_convo because other objects depend on it' <<<"$drop_out"; then
  ok "drop extension pg_convo is refused while the app's objects depend on it"
  note "$(grep -E '^(ERROR|DETAIL)' <<<"$drop_out")" "… ($(grep -c 'depends on' <<<"$drop_out") dependent objects listed)" "$(grep '^HINT' <<<"$drop_out")"
else
  not_ok "drop extension pg_convo is refused while the app's objects depend on it" "$drop_out"
fi
inventory="select format('tables=%s rows=%s columns=%s policies=%s restrictive_policies=%s triggers=%s public_functions=%s convo_functions=%s convo_schema=%s',
  (select count(*) from pg_tables where schemaname = 'public'),
  (select sum((xpath('/row/n/text()', query_to_xml(format('select count(*) as n from public.%I', tablename), false, true, '')))[1]::text::int) from pg_tables where schemaname = 'public'),
  (select count(*) from pg_attribute a join pg_class c on c.oid = a.attrelid
   where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped),
  (select count(*) from pg_policies where schemaname = 'public'),
  (select count(*) from pg_policies where schemaname = 'public' and permissive = 'RESTRICTIVE'),
  (select count(*) from pg_trigger t join pg_class c on c.oid = t.tgrelid where not t.tgisinternal and c.relnamespace in ('public'::regnamespace, 'auth'::regnamespace)),
  (select count(*) from pg_proc where pronamespace = 'public'::regnamespace),
  (select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'convo'),
  (select count(*) from pg_namespace where nspname = 'convo'))"
inv_before=$(q -c "$inventory")
fingerprint > "$WORK/before-drop.txt"
cascade_out=$(q -c "set client_min_messages = notice" -c "begin" -c "drop extension pg_convo cascade" -c "$inventory" -c "rollback" 2>&1 || true)
inv_cascade=$(grep -m 1 '^tables=' <<<"$cascade_out" || true)
note "drop extension pg_convo cascade (rolled back): $(grep -m 1 -o 'drop cascades to [0-9]* other objects' <<<"$cascade_out"):" \
     "$(grep -o 'drop cascades to [a-z]* ' <<<"$cascade_out" | sort | uniq -c | sed -E 's/ *([0-9]+) drop cascades to ([a-z]+) /\1 \2(s)/' | paste -sd' ')" \
     "before:        $inv_before" "after CASCADE: $inv_cascade"
# (CASCADE does drop columns: generated columns computed by pg_convo's functions, e.g. token_count)
expect_eq "… with CASCADE it keeps every table and row" \
  "$(sed -E 's/ columns=.*//' <<<"$inv_cascade")" "$(sed -E 's/ columns=.*//' <<<"$inv_before")"
# What CASCADE takes are permissive policies (a right lost fails closed); losing a restrictive one
# would widen access.
expect_eq "… and no restrictive policy (dropping one would widen access)" \
  "$(grep -o 'restrictive_policies=[0-9]*' <<<"$inv_cascade")" "$(grep -o 'restrictive_policies=[0-9]*' <<<"$inv_before")"
expect_eq "after the rolled-back drops, everything is still there" "$(q -c "$inventory")" "$inv_before"
fingerprint > "$WORK/after-drop.txt"
expect_eq "… and the data's fingerprint is unchanged" "$(diff "$WORK/before-drop.txt" "$WORK/after-drop.txt" | head -n 5)" ""

echo "# the upgraded stack is running: $STACK_DIR/stack.env (stop: scripts/test_upgrade.sh stop)"
finish
