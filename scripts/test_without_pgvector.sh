#!/usr/bin/env bash
# The path without pgvector: pg_convo on a PostgreSQL 15 where the `vector` extension is not
# available at all (a hosted or self-built server that never installed it).
#
#   scripts/test_without_pgvector.sh
#
# A scratch prefix $TMP/usr/{lib,share}/postgresql/15 is copied from this host's Postgres with
# every pgvector file removed (Debian's binaries find their lib and share dirs relative to
# themselves, so the copy is a Postgres of its own whose pg_available_extensions lacks `vector`),
# and a whole stack (Postgres, PostgREST, gateway) runs from it: scripts/stack.sh with PG_BINDIR.
# Checked:
#   - every migration applies; the memory-search migration says once that semantic search is off;
#   - the vector RPCs are absent (HTTP 404, PGRST202) and convo.install_semantic_search() says no;
#   - keyword search (search_chat_history) works for a signed-in user;
#   - the other suites' calls are unaffected: every pgTAP suite and the supabase-js / supabase-py
#     replay pass against this stack (the vector tests skip, each saying why).
# Prints ok / not ok lines and `novector: N passed, M failed`; always stops its stack and deletes
# its temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SYS_LIB=/usr/lib/postgresql/15
SYS_SHARE=/usr/share/postgresql/15
export STACK_DIR=${NOVECTOR_STACK_DIR:-$ROOT/.local/novector-stack}
export DB_PORT=${NOVECTOR_DB_PORT:-24982} API_PORT=${NOVECTOR_API_PORT:-24981} REST_PORT=${NOVECTOR_REST_PORT:-24985}
export STACK_ENV="$STACK_DIR/stack.env"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pg_convo-novector.XXXXXX")
export PG_BINDIR="$TMP$SYS_LIB/bin"
cleanup() {
  scripts/stack.sh down >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

PASSED=0; FAILED=0
ok()     { PASSED=$((PASSED + 1)); echo "ok - $1"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/#   /'; }
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got: $2"$'\n'"wanted: $3"; fi; }
finish() { echo "novector: $PASSED passed, $FAILED failed"; [ "$FAILED" = 0 ]; exit; }

# 1. a Postgres 15 of its own, without pgvector --------------------------------------------------
scripts/scratch_prefix.sh "$TMP" pgvector >/dev/null
expect_eq "the scratch prefix's pg_config points into the prefix" \
  "$("$PG_BINDIR/pg_config" --sharedir)" "$TMP$SYS_SHARE"

rm -rf "$STACK_DIR"
if ! scripts/stack.sh up >"$TMP/up.log" 2>&1; then
  not_ok "a stack starts and migrates on the server without pgvector" "$(tail -n 30 "$TMP/up.log")"
  finish
fi
ok "a stack starts and migrates on the server without pgvector"
# shellcheck disable=SC1090
. "$STACK_ENV"
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB_URL" "$@"; }

expect_eq "the server offers no vector extension (pg_available_extensions)" \
  "$(q -c "select count(*) from pg_available_extensions where name = 'vector'")" 0
expect_eq "the history lists every migration" \
  "$(q -c "select string_agg(version, ',' order by version) from supabase_migrations.schema_migrations")" \
  "$(for f in migrations/*.sql; do f=${f##*/}; echo "${f:0:14}"; done | paste -sd,)"

# every migration file again, one by one, on a database of its own, so its notices are seen
q -c "create database plain_migrations" >/dev/null
plain_url=${DB_URL%/*}/plain_migrations
psql -X -q -v ON_ERROR_STOP=1 -d "$plain_url" -f sql/supabase_bootstrap.sql >/dev/null 2>&1
applied=0 notices=""
for f in migrations/*.sql; do
  if out=$(PGOPTIONS="-c client_min_messages=notice" psql -X -q -v ON_ERROR_STOP=1 -d "$plain_url" -f "$f" 2>&1); then
    applied=$((applied + 1)); notices+=$out$'\n'
  else
    not_ok "migration $(basename "$f") applies without pgvector" "$out"
  fi
done
expect_eq "every migration applies by itself with psql" "$applied" "$(ls migrations/*.sql | wc -l)"
expect_eq "… and the memory-search migration says once that semantic search is disabled" \
  "$(grep -c 'semantic search is disabled: the pgvector extension (vector) is not installed on this server' <<<"$notices")" 1

expect_eq "convo.install_semantic_search() answers false (nothing to install)" \
  "$(q -c "select convo.install_semantic_search()")" f
expect_eq "the vector RPCs and columns are absent" \
  "$(q -c "select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname in ('match_memories', 'match_chat_messages',
                 'hybrid_search_memories', 'hybrid_search_chat_messages')")|$(q -c "select count(*) from information_schema.columns
           where table_schema = 'public' and column_name = 'embedding'")" "0|0"

# 2. over HTTP, as a signed-in user ---------------------------------------------------------------
ALICE=11111111-1111-4111-8111-111111111111
TOKEN=$(scripts/stack.sh token "$ALICE")
post() { curl -s -o "$TMP/body" -w '%{http_code}' "$API_URL/rest/v1/rpc/$1" -H "apikey: $ANON_KEY" \
           -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$2"; }
status=$(post match_memories '{"query_embedding": "[0.1, 0.2]", "match_count": 3}')
expect_eq "rpc/match_memories: 404 PGRST202 (no such function here)" "$status $(jq -r .code "$TMP/body")" "404 PGRST202"
status=$(post store_chat_pair "{\"p_user_id\": \"$ALICE\", \"p_user_message\": \"where did the quokka go\", \"p_ai_response\": \"to the island\"}")
expect_eq "rpc/store_chat_pair as alice: 200" "$status" 200
status=$(post search_chat_history '{"p_query": "quokka"}')
expect_eq "rpc/search_chat_history as alice finds her message by keyword" \
  "$status $(jq -r '[.[].message_text] | index("where did the quokka go") != null' "$TMP/body")" "200 true"

# 3. the other suites' calls: every pgTAP suite and the client replay, against this stack ---------
if scripts/pgtap.sh >"$TMP/pgtap.log" 2>&1; then
  ok "every pgTAP suite passes without pgvector ($(grep -Eo 'Tests=[0-9]+' "$TMP/pgtap.log" | tail -n1))"
else
  not_ok "every pgTAP suite passes without pgvector" "$(grep -vE '^(t/|/.*\.sql \.+ ok)' "$TMP/pgtap.log" | tail -n 30)"
fi
scripts/pgtap.sh -v pgrx-tests/70_memory_search.sql >"$TMP/pgtap70.log" 2>&1 || true
if grep -q '# SKIP pgvector is not installed on this server' "$TMP/pgtap70.log"; then
  ok "… the memory-search suite skips its vector tests, saying why"
  grep -m1 -o '# SKIP pgvector is not installed on this server.*' "$TMP/pgtap70.log" | cut -c1-150 | sed 's/^/#   /'
else
  not_ok "… the memory-search suite skips its vector tests, saying why" "$(tail -n 20 "$TMP/pgtap70.log")"
fi
if scripts/clients.sh run >"$TMP/clients.log" 2>&1; then
  ok "the supabase-js / supabase-py replay passes without pgvector ($(grep -h '^replayed:' "$TMP/clients.log" | tail -n1))"
else
  not_ok "the supabase-js / supabase-py replay passes without pgvector" \
    "$(grep -E -A12 '^✖|FAILED|Error' "$TMP/clients.log" | head -n 60; tail -n 12 "$TMP/clients.log")"
fi
# node's spec reporter prints "﹣ <test> (…ms) # <reason>", pytest -rs "SKIPPED [n] file:line: <reason>"
expect_eq "… the replay's semantic-search tests are skipped, each saying why (supabase-js, supabase-py)" \
  "$(grep -c '# pgvector is not installed on this server' "$TMP/clients.log" | grep -qv '^0$' && echo js)$(grep -c 'SKIPPED \[[0-9]*\] .*pgvector is not installed on this server' "$TMP/clients.log" | grep -qv '^0$' && echo py)" "jspy"

finish
