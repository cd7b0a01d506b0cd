#!/usr/bin/env bash
# The crash test (issue 11, `make crash-test`): a mixed load (chat pairs via store_chat_pair,
# session loads with a message and its counter, bulk music inserts) runs against a stack whose
# Postgres is stopped with `pg_ctl stop -m immediate` (no checkpoint, no clean shutdown: what a
# power cut leaves) several times; after each restart (crash recovery, then scripts/stack.sh up)
# the invariants in isolation/invariants.sql must hold:
#   every user message has exactly one reply; every reply answers an earlier message of its user;
#   chat_sessions.last_message_at is its newest message; genre preferences equal a recompute;
#   one session per phone; user_sessions.total_messages equals its messages.
#
#   scripts/crash_test.sh        a throwaway stack in .local/crash-stack (ports 24621/24622/24625)
#   CRASH_STACK_DIR=… CRASH_DB_PORT=… CRASH_API_PORT=… CRASH_REST_PORT=… scripts/crash_test.sh
#                                elsewhere. Not stack.sh's STACK_DIR/DB_PORT…, on purpose: a shell
#                                that points those at the `make up` stack must not crash it.
#
# The stack is created afresh each time (its ports are written into its data directory).
# Bounded (about 30 s; CRASHES=4 rounds by default), and leaves its stack stopped whatever
# happens (KEEP_WORK=1 keeps the generated pgbench scripts and their logs). Ends with
# `crash: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export STACK_DIR=${CRASH_STACK_DIR:-$ROOT/.local/crash-stack} DB_PORT=${CRASH_DB_PORT:-24622}
export API_PORT=${CRASH_API_PORT:-24621} REST_PORT=${CRASH_REST_PORT:-24625}
CRASHES=${CRASHES:-4}
PGBIN=$(/usr/bin/pg_config --bindir)
PGDATA="$STACK_DIR/db"
export PGPASSWORD=postgres
DB=(-h 127.0.0.1 -p "$DB_PORT" -U postgres)   # + the database name: postgres
psql_db() { "$PGBIN/psql" "${DB[@]}" -d postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
# Postgres runs as the postgres OS user when we are root (as scripts/stack.sh runs it)
if [ "$(id -u)" = 0 ]; then as_owner() { runuser -u postgres -- "$@"; }; else as_owner() { "$@"; }; fi

WORK=$(mktemp -d)
LOAD_PID=""
stop_all() {
  if [ -n "$LOAD_PID" ]; then kill "$LOAD_PID" 2>/dev/null || true; fi
  scripts/stack.sh down >/dev/null 2>&1 || true
  if [ -n "${KEEP_WORK:-}" ]; then echo "work files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap stop_all EXIT

PASSED=0 FAILED=0
check() { # check NAME OK(0/1) [DETAIL]
  if [ "$2" = 0 ]; then PASSED=$((PASSED + 1)); echo "ok   $1${3:+ ($3)}"
  else FAILED=$((FAILED + 1)); echo "FAIL $1${3:+: $3}"; fi
}
finish() { echo "crash: $PASSED passed, $FAILED failed"; [ "$FAILED" = 0 ]; exit $?; }

scripts/stack.sh down >/dev/null 2>&1 || true
rm -rf "$STACK_DIR"
scripts/stack.sh up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; check "the stack starts" 1; finish; }

# The load's own users (each with one chat session) and phones: d0d0d0d0-…-00000000000N,
# chat session d0d0d0d0-…-0000000000cN, phone +155577000N, for N in 1..4.
USERS=4
USER_IDS=$(seq -f 'd0d0d0d0-0000-4000-8000-00000000000%g' 1 $USERS | paste -sd,)
psql_db >/dev/null <<SQL
delete from auth.users where id = any('{$USER_IDS}'::uuid[]);
delete from public.user_sessions where phone_number like '+155577000%';
insert into auth.users (id, aud, role, email)
select ('d0d0d0d0-0000-4000-8000-00000000000' || n)::uuid, 'authenticated', 'authenticated',
       'crash-' || n || '@example.test'
from generate_series(1, $USERS) n;
insert into public.chat_sessions (id, user_id, title)
select ('d0d0d0d0-0000-4000-8000-0000000000c' || n)::uuid,
       ('d0d0d0d0-0000-4000-8000-00000000000' || n)::uuid, 'crash test'
from generate_series(1, $USERS) n;
SQL

# pgbench scripts, one per kind of request, each as PostgREST runs it (role + claims, one
# transaction). The session one stores a message and counts it in the same transaction, so
# total_messages must equal the messages whatever instant the crash hits.
claims() { # claims ROLE [SUB-EXPRESSION]: the SET ROLE + JWT claims PostgREST would make
  if [ -n "${2:-}" ]; then
    echo "SELECT set_config('role', '$1', true), set_config('request.jwt.claims', json_build_object('role', '$1', 'sub', $2)::text, true);"
  else
    echo "SELECT set_config('role', '$1', true), set_config('request.jwt.claims', json_build_object('role', '$1')::text, true);"
  fi
}
user_of="('d0d0d0d0-0000-4000-8000-00000000000' || :u)"
cat > "$WORK/chat.sql" <<SQL
\set u random(1, $USERS)
BEGIN;
$(claims authenticated "$user_of")
SELECT public.store_chat_pair($user_of::uuid, 'how are you today?', 'fine, thanks for asking',
                             ('d0d0d0d0-0000-4000-8000-0000000000c' || :u)::uuid);
COMMIT;
SQL
cat > "$WORK/music.sql" <<SQL
\set u random(1, $USERS)
BEGIN;
$(claims authenticated "$user_of")
INSERT INTO public.music_interactions (user_id, track_id, interaction_type, rl_reward, audio_features)
SELECT $user_of::uuid, 'crash-' || g, 'play', round((random() * 2 - 1)::numeric, 2), jsonb_build_object('genre', g)
FROM unnest(array['Jazz', 'Pop', 'Rock']) AS g;
COMMIT;
SQL
cat > "$WORK/session.sql" <<SQL
\set p random(1, $USERS)
BEGIN;
$(claims service_role)
SELECT id AS sid FROM public.load_or_create_session('+155577000' || :p) \gset
INSERT INTO public.messages (session_id, role, content) VALUES (':sid', 'user', 'ping');
SELECT public.increment_session_messages(':sid');
COMMIT;
SQL

rows_written() {
  psql_db -Atc "select (select count(*) from public.chat_messages where user_id = any('{$USER_IDS}'::uuid[]))
                     + (select count(*) from public.music_interactions where user_id = any('{$USER_IDS}'::uuid[]))
                     + (select count(*) from public.messages m join public.user_sessions s on s.id = m.session_id
                        where s.phone_number like '+155577000%')"
}

for round in $(seq 1 "$CRASHES"); do
  echo "-- crash $round of $CRASHES"
  before=$(rows_written)
  # 6 clients, at most 400 transactions/s in all (a shared machine); the crash ends them
  "$PGBIN/pgbench" "${DB[@]}" -n -c 6 -j 2 -R 400 -T 30 \
    -f "$WORK/chat.sql@3" -f "$WORK/music.sql@3" -f "$WORK/session.sql@2" postgres >"$WORK/load-$round.log" 2>&1 &
  LOAD_PID=$!
  sleep "$((2 + RANDOM % 2)).$((RANDOM % 10))"
  during=$(rows_written)
  log_lines=$(wc -l < "$STACK_DIR/log/postgres.log")
  as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null
  for _ in $(seq 1 100); do kill -0 "$LOAD_PID" 2>/dev/null || break; sleep 0.1; done
  kill "$LOAD_PID" 2>/dev/null || true; wait "$LOAD_PID" 2>/dev/null || true; LOAD_PID=""
  check "crash $round: the load was writing when Postgres stopped" \
    "$([ "$during" -gt "$before" ] && echo 0 || echo 1)" "$((during - before)) rows in the round so far"
  load_log="$WORK/load-$round.log"
  check "crash $round: the load's clients lost their server" \
    "$(grep -qE 'client [0-9]+ .*aborted' "$load_log" && echo 0 || echo 1)" \
    "$(grep -cE 'client [0-9]+ .*aborted' "$load_log" || true) of 6 clients aborted"
  # a refused request before the crash would be a defect too (connection losses are FATAL lines)
  check "crash $round: no request failed before the crash" \
    "$(grep -q 'ERROR:' "$load_log" && echo 1 || echo 0)" "$(grep -m3 'ERROR:' "$load_log" || true)"

  if ! scripts/stack.sh up >"$WORK/up-$round.log" 2>&1; then
    cat "$WORK/up-$round.log"; check "crash $round: the stack comes back up" 1; finish
  fi
  check "crash $round: Postgres recovered from the crash" \
    "$(tail -n +"$((log_lines + 1))" "$STACK_DIR/log/postgres.log" | grep -q 'not properly shut down' && echo 0 || echo 1)"
  api_url=$(sed -n 's/^API_URL=//p' "$STACK_DIR/stack.env") anon_key=$(sed -n 's/^ANON_KEY=//p' "$STACK_DIR/stack.env")
  code=$(curl -s -o /dev/null -w '%{http_code}' "$api_url/rest/v1/rpc/convo_info" -H "apikey: $anon_key")
  check "crash $round: the API answers again" "$([ "$code" = 200 ] && echo 0 || echo 1)" "HTTP $code"
  while IFS='|' read -r name violations; do
    check "crash $round: $name" "$([ "$violations" = 0 ] && echo 0 || echo 1)" "$violations violations"
  done < <(psql_db -v user_ids="{$USER_IDS}" -v phones='+155577000%' -f isolation/invariants.sql)
done

echo "-- after $CRASHES crashes: $(rows_written) rows written by the load"
finish
