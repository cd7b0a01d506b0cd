#!/usr/bin/env bash
# `make bench`: every workload against its baseline, measured in the same run on the same data, on
# a throwaway stack of its own (.local/bench-stack). BENCHMARKS.md records a run and how to read it.
#
#   scripts/bench.sh [SECONDS]     SECONDS per round of each variant (default 5)
#
# A shared 2-core machine is noisy (one run of a comparison swings by ±15%), so every comparison
# runs as ROUNDS interleaved rounds, A B A B A B …, each variant for the same SECONDS, and reports
# the median of the per-round ratios with their min–max. A summary table ends the run.
# Environment: BENCH_ROUNDS (default 3), BENCH_CLIENTS (default 4), BENCH_DB_PORT / BENCH_API_PORT /
# BENCH_REST_PORT (default 24522 / 24521 / 24525), CARGO_TARGET_DIR (for the HTTP client),
# BENCH_ONLY=trees (only the conversation-trees section: ~7 minutes with BENCH_ROUNDS=7),
# BENCH_ONLY=tokens (only the tokens section: throughput, the insert ratio, the context window),
# BENCH_ONLY=mediation (only the mediation reads: ~4 minutes),
# BENCH_KEEP_TREES=1 (keep that section's two databases), BENCH_STACK_DIR (default
# .local/bench-stack; with other ports, a second bench stack beside a running one).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${1:-${BENCH_SECONDS:-5}}
ROUNDS=${BENCH_ROUNDS:-3}
CLIENTS=${BENCH_CLIENTS:-4}
export STACK_DIR="${BENCH_STACK_DIR:-$ROOT/.local/bench-stack}" DB_PORT=${BENCH_DB_PORT:-24522}
export API_PORT=${BENCH_API_PORT:-24521} REST_PORT=${BENCH_REST_PORT:-24525}
PGBIN=$(/usr/bin/pg_config --bindir)
export PATH="$HOME/.cargo/bin:$PATH"
export PGPASSWORD=postgres PGCLIENTENCODING=UTF8 PGOPTIONS="-c client_min_messages=warning"
OUT="$ROOT/.local/bench-results"; mkdir -p "$OUT"
STARTED=$(date +%s)

say() { printf '\n\033[1m[bench]\033[0m %s\n' "$*"; }
psql_on() { local db=$1; shift; "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DB_PORT" -U postgres -d "$db" "$@"; }
psql_bench() { psql_on postgres "$@"; }

# The reference tokenizer (Python tiktoken, offline) is needed before anything long starts.
# shellcheck source=tests/tokens/tiktoken_env.sh
source tests/tokens/tiktoken_env.sh
ensure_tiktoken || { echo "[bench] the count_tokens workload needs the reference tokenizer (see above)" >&2; exit 1; }
case ${BENCH_ONLY:-} in ''|trees|tokens|mediation) ;; *) echo "[bench] BENCH_ONLY: only 'trees', 'tokens' or 'mediation' can run alone" >&2; exit 2;; esac
# The HTTP client, built before the clock starts (its own crate, no pgrx).
[ -n "${BENCH_ONLY:-}" ] || cargo build -q --release -p pg_convo_integration --bin http_bench
HTTP_BENCH="${CARGO_TARGET_DIR:-$ROOT/target}/release/http_bench"

trap 'scripts/stack.sh down >/dev/null 2>&1 || true' EXIT
scripts/stack.sh down >/dev/null 2>&1 || true
if ss -Hltn "sport = :$DB_PORT" | grep -q .; then
  echo "[bench] port $DB_PORT is in use: stop what listens there, or set BENCH_DB_PORT" >&2; exit 1
fi
rm -rf "$STACK_DIR/db" "$STACK_DIR/stack.env"
scripts/stack.sh up >"$OUT/stack.log" 2>&1 || { cat "$OUT/stack.log"; exit 1; }
psql_bench -f bench/baselines.sql >/dev/null

# --- measuring ---------------------------------------------------------------------------------
# pgb NAME DB ARGS...: one pgbench run on database DB, its output kept in $OUT/NAME.log.
pgb() {
  local name=$1 db=$2; shift 2
  "$PGBIN/pgbench" -h 127.0.0.1 -p "$DB_PORT" -U postgres -d "$db" -n "$@" >"$OUT/$name.log" 2>&1 \
    || { cat "$OUT/$name.log" >&2; return 1; }
}
# tps NAME SCRIPT [CLIENTS [DB]]: transactions per second in the steady state, i.e. the mean of
# pgbench's per-second figures after the first second. Each round opens new connections, and a
# backend's first call pays one-time costs (loading pg_convo, planning its statements) that
# PostgREST's pooled connections pay once, not per request (scripts/bench_connections.sh measures
# a new connection's first call).
tps() {
  pgb "$1" "${4:-postgres}" -M prepared -c "${3:-$CLIENTS}" -j 2 -T "$DURATION" -P 1 -f "$2"
  awk '/^progress: / { n++; if (n > 1) { sum += $4; k++ } }
       /^tps = / && !total { total = $3 }
       END { if (k) printf "%.1f\n", sum / k; else print total }' "$OUT/$1.log"
}
# latency NAME SCRIPT [PGBENCH ARGS...]: mean latency (ms) of one client.
latency() {
  local name=$1 script=$2; shift 2
  pgb "$name" postgres -c 1 -T "$DURATION" "$@" -f "$script"
  grep -Eo 'latency average = [0-9.]+' "$OUT/$name.log" | cut -d' ' -f4
}

declare -A VALUE LABEL UNIT   # VALUE[variant,round]; LABEL/UNIT[variant]
SUMMARY=()

# variant FUNCTION UNIT LABEL: declares a measured variant: FUNCTION ROUND prints its figure.
variant() { UNIT[$1]=$2; LABEL[$1]=$3; }

# rounds VARIANT...: ROUNDS rounds; each runs every variant once, in order in odd rounds and in
# reverse in even ones (A B C, C B A, A B C …), so that going first or last (after a checkpoint,
# while autovacuum visits what the previous variant wrote) favours no variant.
rounds() {
  local r v order
  for r in $(seq 1 "$ROUNDS"); do
    if [ $((r % 2)) = 1 ]; then order=("$@"); else order=(); for v in "$@"; do order=("$v" "${order[@]}"); done; fi
    for v in "${order[@]}"; do
      VALUE[$v,$r]=$("$v" "$r")
      printf '  round %s  %-46s %10s %s\n' "$r" "${LABEL[$v]}" "${VALUE[$v,$r]}" "${UNIT[$v]}"
    done
  done
}

# stats NUMBER...: "median min max"
stats() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
    END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }'
}
fmt() { awk -v v="$1" 'BEGIN { printf(v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.3f", v) }'; }

# compare TITLE A B [GOAL]: the per-round ratios A/B; their median against GOAL (">= 0.9",
# "<= 1.5"; none: for information), and their min–max. Prints it and adds a summary row.
compare() {
  local title=$1 a=$2 b=$3 goal=${4:-} r ratios=() as=() bs=() med lo hi am bm verdict=info
  for r in $(seq 1 "$ROUNDS"); do
    as+=("${VALUE[$a,$r]}"); bs+=("${VALUE[$b,$r]}")
    ratios+=("$(awk -v x="${VALUE[$a,$r]}" -v y="${VALUE[$b,$r]}" 'BEGIN { printf "%.4f", x / y }')")
  done
  read -r med lo hi <<<"$(stats "${ratios[@]}")"
  read -r am _ <<<"$(stats "${as[@]}")"; read -r bm _ <<<"$(stats "${bs[@]}")"
  if [ -n "$goal" ]; then
    verdict=$(awk -v m="$med" -v lo="$lo" -v hi="$hi" -v g="$goal" 'BEGIN {
      split(g, p, " "); ok = p[1] == ">=" ? m >= p[2] : m <= p[2]
      all = p[1] == ">=" ? lo >= p[2] : hi <= p[2]; none = p[1] == ">=" ? hi < p[2] : lo > p[2]
      print ok ? (all ? "met" : "met (not every round)") : (none ? "MISSED" : "MISSED (not every round)") }')
  fi
  local row
  row=$(printf '%-46s %8s %-9s %8s %-9s %7.2f  %-13s %-7s %s' "$title" \
    "$(fmt "$am")" "${UNIT[$a]}" "$(fmt "$bm")" "${UNIT[$b]}" "$med" \
    "$(printf '%.2f-%.2f' "$lo" "$hi")" "${goal:--}" "$verdict")
  printf '  => %s\n' "$row"
  SUMMARY+=("$row")
}

printf '[bench] %s rounds × %s s per variant, %s clients unless stated; raw output in %s\n' \
  "$ROUNDS" "$DURATION" "$CLIENTS" "${OUT#"$ROOT"/}"
summary() {
  say "summary: $ROUNDS interleaved rounds × $DURATION s per variant; ratio = A/B per round, median (min–max) ($(( ($(date +%s) - STARTED) / 60 )) min)"
  printf '%-46s %-18s %-18s %7s  %-13s %-7s %s\n' "comparison" "A (median)" "B (median)" "ratio" "min-max" "target" "verdict"
  printf '%s\n' "${SUMMARY[@]}"
}

# --- conversation trees (domain 11) --------------------------------------------------------------
# A function, so that BENCH_ONLY=trees runs it alone (below); a full run calls it after the token
# workloads. Two databases on this server: bench_trees_before, migrated only up to
# TREES_BEFORE_VERSION (scripts/migrate.sh with a MIGRATIONS_DIR of those files), and bench_trees,
# migrated fully; the same data in both (bench/trees_*.sql).
TREES_BEFORE_VERSION=20261206100200   # the last migration before the conversation trees
trees_bench() {
  local corpus="$OUT/token-corpus" before_dir="$OUT/trees-migrations-before" f k line
  say "conversation trees: databases before (up to $TREES_BEFORE_VERSION) and after the tree migrations, two sessions of 100k messages each"
  [ -s "$corpus/corpus.copy" ] \
    || "$TIKTOKEN_PY" tests/tokens/corpus.py --messages 12000 --seed 20261123 --out "$corpus" >/dev/null
  rm -rf "$before_dir"; mkdir -p "$before_dir"
  for f in migrations/*.sql; do
    [ "$(basename "$f" | cut -c1-14)" -gt "$TREES_BEFORE_VERSION" ] || ln -s "$ROOT/$f" "$before_dir/"
  done
  trees_db() { # NAME MIGRATIONS_DIR: a database as make_db prepares one, with the chat samples
    psql_bench -c "drop database if exists $1" -c "create database $1"
    psql_on "$1" -f sql/supabase_bootstrap.sql >/dev/null
    MIGRATIONS_DIR=$2 DATABASE_URL="postgresql://postgres:postgres@127.0.0.1:$DB_PORT/$1" scripts/migrate.sh --quiet
    psql_on "$1" -f bench/baselines.sql >/dev/null
    psql_on "$1" -f bench/tokens_corpus.sql -c "truncate bench.token_corpus"
    psql_on "$1" -c "\\copy bench.token_corpus from '$corpus/corpus.copy'"
    psql_on "$1" -f bench/chat_samples.sql -f bench/trees_sessions.sql
  }
  trees_db bench_trees_before "$before_dir"
  trees_db bench_trees "$ROOT/migrations"
  psql_on bench_trees_before -At -c "select 'before: migrated up to ' || max(version) from supabase_migrations.schema_migrations"
  psql_on bench_trees -At -c "select 'after:  migrated up to ' || max(version) from supabase_migrations.schema_migrations"
  psql_on bench_trees_before -f bench/trees_context_before.sql
  psql_on bench_trees -f bench/trees_context.sql   # fails unless its tree is the one the RPCs write
  psql_bench -c checkpoint >/dev/null

  # Each window as its owner: both full (the turn before the oldest in the window would not fit),
  # the branch walk's copy = get_chat_context's window, and on the linear session = the Rust walk.
  for k in 1 2; do
    line=$(psql_on bench_trees -At <<SQL
begin;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', format('{"role":"authenticated","sub":"%s"}', bench.user_id(300000 + $k)), true) \\g /dev/null
select bench.trees_window_report(4000, bench.trees_context_session($k), $k = 2);
rollback;
SQL
    )
    printf '  %s session: %s\n' "$([ "$k" = 1 ] && echo branched || echo "linear  ")" "$line"
    ! grep -q NO <<<"$line" || { echo "[bench] FAILED: not a full window, or the walks disagree" >&2; exit 1; }
  done
  line=$(psql_on bench_trees_before -At <<'SQL'
begin;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', format('{"role":"authenticated","sub":"%s"}', bench.user_id(300002)), true) \g /dev/null
select format('%s messages, %s tokens', jsonb_array_length(c -> 'messages'), c ->> 'total_tokens')
from public.get_chat_context(4000, bench.trees_context_session(2)) c;
rollback;
SQL
  )
  echo "  linear session before the trees: $line"

  TREES_U1=$(psql_on bench_trees -At -c "select bench.user_id(300001)"); TREES_S1=$(psql_on bench_trees -At -c "select bench.trees_context_session(1)")
  TREES_U2=$(psql_on bench_trees -At -c "select bench.user_id(300002)"); TREES_S2=$(psql_on bench_trees -At -c "select bench.trees_context_session(2)")
  trees_latency() { # NAME DB SCRIPT UID SID: mean latency (ms), 1 client, prepared
    pgb "$1" "$2" -M prepared -c 1 -T "$DURATION" -D uid="$4" -D sid="$5" -f "$3"
    grep -Eo 'latency average = [0-9.]+' "$OUT/$1.log" | cut -d' ' -f4
  }
  trees_branched()  { trees_latency "trees_context_branched-$1" bench_trees bench/trees_context.pgbench "$TREES_U1" "$TREES_S1"; }
  trees_linear()    { trees_latency "trees_context_linear-$1" bench_trees bench/trees_context.pgbench "$TREES_U2" "$TREES_S2"; }
  trees_linear_0()  { trees_latency "trees_context_linear_before-$1" bench_trees_before bench/trees_context.pgbench "$TREES_U2" "$TREES_S2"; }
  trees_walk_sql()  { trees_latency "trees_walk_sql-$1" bench_trees bench/trees_walk_sql.pgbench "$TREES_U2" "$TREES_S2"; }
  trees_walk_rust() { trees_latency "trees_walk_rust-$1" bench_trees bench/trees_walk_rust.pgbench "$TREES_U2" "$TREES_S2"; }
  variant trees_branched  ms "window: branched session"
  variant trees_linear    ms "window: linear session"
  variant trees_linear_0  ms "window: linear session, before the trees"
  variant trees_walk_sql  ms "linear: SQL branch walk (ids only)"
  variant trees_walk_rust ms "linear: Rust fit_chat_turns (ids only)"
  say "get_chat_context(4000, session) as the session's owner, 1 client: branched vs linear; the walks alone"
  rounds trees_branched trees_linear trees_linear_0 trees_walk_sql trees_walk_rust
  compare "trees: window, branched / linear (latency)" trees_branched trees_linear "<= 1.2"
  compare "trees: window, linear, after / before trees" trees_linear trees_linear_0
  compare "trees: walk, SQL branch / Rust index (latency)" trees_walk_sql trees_walk_rust

  # store_chat_pair as bench/chat_rust.pgbench calls it (no session), and into the user's session
  say "store_chat_pair before / after the trees: $CLIENTS clients, 200 users, as chat_rust; and with p_session_id"
  pair_before()         { tps "trees_pair_before-$1" bench/chat_rust.pgbench "$CLIENTS" bench_trees_before; }
  pair_after()          { tps "trees_pair_after-$1" bench/chat_rust.pgbench "$CLIENTS" bench_trees; }
  pair_session_before() { tps "trees_pair_session_before-$1" bench/trees_store_pair_session.pgbench "$CLIENTS" bench_trees_before; }
  pair_session_after()  { tps "trees_pair_session_after-$1" bench/trees_store_pair_session.pgbench "$CLIENTS" bench_trees; }
  variant pair_before         pairs/s "before the trees, no session"
  variant pair_after          pairs/s "after the trees, no session"
  variant pair_session_before pairs/s "before the trees, in the user's session"
  variant pair_session_after  pairs/s "after the trees, in the user's session"
  rounds pair_before pair_after pair_session_before pair_session_after
  compare "trees: store_chat_pair after / before" pair_after pair_before ">= 0.95"
  compare "trees: store_chat_pair, session, after/before" pair_session_after pair_session_before ">= 0.95"
  # BENCH_KEEP_TREES=1 keeps both databases (in $STACK_DIR until the next run: `stack.sh up` there)
  [ -n "${BENCH_KEEP_TREES:-}" ] || psql_bench -c "drop database bench_trees_before" -c "drop database bench_trees"
}
if [ "${BENCH_ONLY:-}" = trees ]; then trees_bench; summary; exit 0; fi
if [ -z "${BENCH_ONLY:-}" ]; then   # the sections up to the tokens' (BENCH_ONLY=tokens skips them)

# --- companion chat: store_chat_pair (issue 3) ---------------------------------------------------
say "store_chat_pair: $CLIENTS clients, 200 users, PostgREST-shaped transactions"
chat_rust()   { tps "chat_rust-$1" bench/chat_rust.pgbench; }
chat_seed()   { tps "chat_plpgsql_seed-$1" bench/chat_plpgsql_seed.pgbench; }
chat_two()    { tps "chat_two_inserts-$1" bench/chat_two_inserts.pgbench; }
variant chat_rust pairs/s "(a) Rust store_chat_pair"
variant chat_seed pairs/s "(b) seed's PL/pgSQL store_chat_pair"
variant chat_two  pairs/s "(c) seed backend: two INSERT transactions"
rounds chat_rust chat_seed chat_two
compare "chat (a)/(b) Rust vs seed's PL/pgSQL" chat_rust chat_seed ">= 1.0"
compare "chat (a)/(c) Rust vs two inserts" chat_rust chat_two ">= 1.5"

# --- agent sessions (issue 6) ------------------------------------------------------------------
say "load_or_create_session: 16 clients on 8 phones, steady state (no rollover due)"
sessions_rust() { psql_bench -f bench/agent_sessions_setup_steady.sql; tps "sessions_rust-$1" bench/agent_sessions_rust.pgbench 16; }
sessions_seed() { psql_bench -f bench/agent_sessions_setup_steady.sql; tps "sessions_seed_pattern-$1" bench/agent_sessions_seed_pattern.pgbench 16; }
variant sessions_rust calls/s "(a) Rust load_or_create_session"
variant sessions_seed calls/s "(b) seed's statements, one by one"
rounds sessions_rust sessions_seed
compare "sessions (a)/(b) Rust vs seed's statements" sessions_rust sessions_seed ">= 3.0"

# race: 16 clients released at once, one call each, per pattern; then count the anomalies (a
# correctness demonstration, not a timing: one shot each)
race() { # NAME SCRIPT SETUP
  psql_bench -f "bench/$3"
  "$PGBIN/pgbench" -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -n -M prepared -c 16 -j 2 -t 1 -D p=1 \
    -f "bench/$2" >"$OUT/race-$1.log" 2>&1 || true
  local errors sessions number rollovers
  errors=$(grep -cE 'client [0-9]+ script [0-9]+ aborted' "$OUT/race-$1.log" || true)
  sessions=$(psql_bench -At -c "select count(*) from public.user_sessions where phone_number = bench.phone(1)")
  number=$(psql_bench -At -c "select metadata->>'session_number' from public.user_sessions where phone_number = bench.phone(1) limit 1")
  rollovers=$(psql_bench -At -c "select count(*) from bench.rollover_log")
  printf '  %-28s errors=%-3s sessions=%-3s session_number=%-3s rollovers=%s\n' "$1" "$errors" "$sessions" "$number" "$rollovers"
}
say "races: 16 clients at once on one phone (expected: errors=0 sessions=1; after a timeout session_number=2, rollovers=1)"
race "rust, new phone" agent_sessions_race_rust.pgbench agent_sessions_setup_new.sql
race "seed, new phone" agent_sessions_race_seed.pgbench agent_sessions_setup_new.sql
race "rust, timed out" agent_sessions_race_rust.pgbench agent_sessions_setup_timed_out.sql
race "seed, timed out" agent_sessions_race_seed.pgbench agent_sessions_setup_timed_out.sql

# --- music (issue 4) ---------------------------------------------------------------------------
say "music_interactions insert: $CLIENTS clients: Rust trigger vs the seed's PL/pgSQL trigger vs none"
toggle() { psql_bench -c "alter table public.music_interactions $1 trigger music_interactions_fold_genre_preferences" \
                      -c "alter table public.music_interactions $2 trigger music_interaction_update_preference_seed"; }
music_rust() { toggle enable disable >/dev/null;  tps "music_rust-$1" bench/music_interaction.pgbench; }
music_seed() { toggle disable enable >/dev/null;  tps "music_plpgsql_seed-$1" bench/music_interaction.pgbench; }
music_none() { toggle disable disable >/dev/null; tps "music_no_trigger-$1" bench/music_interaction.pgbench; }
variant music_rust inserts/s "(a) Rust trigger"
variant music_seed inserts/s "(b) seed's PL/pgSQL trigger"
variant music_none inserts/s "(c) no trigger"
rounds music_rust music_seed music_none
toggle enable disable >/dev/null
compare "music (a)/(b) Rust vs seed's trigger" music_rust music_seed ">= 1.0"
compare "music (a)/(c) Rust vs no trigger" music_rust music_none ">= 0.75"

# Bulk inserts (issue 11): 0.2.0 folds each INSERT statement once (a statement-level trigger over
# its new rows, upserted in (user, genre) order) where 0.1.0 folded row by row, in arrival order,
# which deadlocked concurrent bulk inserts whose genres came in different orders. The 0.1.0 row
# trigger function is still in the extension: put it on beside the new one and compare, 1 client
# (with more, the 0.1.0 fold deadlocks: scripts/race_test.sh, isolation/specs/music_bulk_opposite_orders.spec).
say "music bulk insert (30 rows in one statement), 1 client: 0.2.0 statement fold vs 0.1.0 row fold"
psql_bench -c "create trigger music_interactions_fold_genre_preference_0_1_0 after insert on public.music_interactions for each row execute function convo.fold_genre_preference()" >/dev/null
fold() { psql_bench -c "alter table public.music_interactions $1 trigger music_interactions_fold_genre_preferences" \
                    -c "alter table public.music_interactions $2 trigger music_interactions_fold_genre_preference_0_1_0" >/dev/null; }
bulk_statement() { fold enable disable; tps "music_bulk_statement-$1" bench/music_bulk_insert.pgbench 1; }
bulk_row()       { fold disable enable; tps "music_bulk_row-$1" bench/music_bulk_insert.pgbench 1; }
variant bulk_statement stmts/s "0.2.0: one fold per statement"
variant bulk_row       stmts/s "0.1.0: one fold per row"
rounds bulk_statement bulk_row
fold enable disable
psql_bench -c "drop trigger music_interactions_fold_genre_preference_0_1_0 on public.music_interactions" >/dev/null
compare "music bulk insert: statement fold / row fold" bulk_statement bulk_row

say "recompute_genre_preferences for a user with 100k interactions vs the plain SQL GROUP BY (1 client)"
psql_bench -f bench/music_history.sql
recompute() { latency "music_recompute-$1" bench/music_recompute.pgbench; }
group_by()  { latency "music_group_by-$1" bench/music_group_by.pgbench; }
variant recompute ms "recompute (Rust aggregate + rewrite)"
variant group_by  ms "plain SQL GROUP BY (read only)"
rounds recompute group_by
compare "music recompute / GROUP BY (latency)" recompute group_by

fi
if [ -z "${BENCH_ONLY:-}" ] || [ "$BENCH_ONLY" = mediation ]; then
# --- mediation (issue 5) -----------------------------------------------------------------------
say "mediation: generating 20k profiles, 10k sessions, 1M messages"
psql_bench -f bench/mediation_data.sql >"$OUT/mediation_data.log"
uid=$(psql_bench -At -c "select sp.profile_id from public.session_participants sp where sp.profile_id in (select profile_id from public.session_participants where session_id = bench.session_id(1)) group by 1 order by count(*) desc limit 1")
sid=$(psql_bench -At -c "select session_id from public.session_participants where profile_id = '$uid' limit 1")
n=$(psql_bench -At -c "select count(*) from public.session_participants where profile_id = '$uid'")
say "mediation reads, 1 client: participant $uid (in $n sessions), our policy vs service_role (no RLS) vs the seed's EXISTS policy"
med() { latency "$1" "$2" -M prepared -D uid="$uid" -D sid="$sid"; }
with_seed_policy() { # runs "$@" under the seed's policy, then puts ours back
  psql_bench -f bench/mediation_seed_policy.sql; "$@"; psql_bench -f bench/mediation_our_policy.sql; }
med_one_ours()  { med "med_session_user-$1" bench/med_session_user.pgbench; }
med_one_svc()   { med "med_session_service-$1" bench/med_session_service.pgbench; }
med_one_seed()  { with_seed_policy med "med_session_seed-$1" bench/med_session_user.pgbench; }
med_all_ours()  { med "med_all_user-$1" bench/med_all_user.pgbench; }
med_all_svc()   { med "med_all_service-$1" bench/med_all_service.pgbench; }
med_all_seed()  { with_seed_policy med "med_all_seed-$1" bench/med_all_user.pgbench; }
variant med_one_ours ms "one session, latest 50: our policy"
variant med_one_svc  ms "one session, latest 50: service_role"
variant med_one_seed ms "one session, latest 50: seed's EXISTS"
variant med_all_ours ms "all I can see, newest 50: our policy"
variant med_all_svc  ms "all I can see, newest 50: service_role"
variant med_all_seed ms "all I can see, newest 50: seed's EXISTS"
rounds med_one_ours med_one_svc med_one_seed med_all_ours med_all_svc med_all_seed
compare "mediation one session: ours / service_role" med_one_ours med_one_svc "<= 1.5"
compare "mediation one session: seed's / ours" med_one_seed med_one_ours
compare "mediation all I can see: ours / service_role" med_all_ours med_all_svc "<= 1.5"
compare "mediation all I can see: seed's / ours" med_all_seed med_all_ours

fi
if [ "${BENCH_ONLY:-}" = mediation ]; then summary; exit 0; fi

# --- tokens (issue 13) -------------------------------------------------------------------------
CORPUS="$OUT/token-corpus"
say "tokens: the corpus ($("$TIKTOKEN_PY" tests/tokens/corpus.py --messages 12000 --seed 20261123 --out "$CORPUS"))"
# load_corpus DB: the corpus and the chat samples built from it into database DB.
load_corpus() {
  psql_on "$1" -f bench/tokens_corpus.sql -c "truncate bench.token_corpus"
  psql_on "$1" -c "\\copy bench.token_corpus from '$CORPUS/corpus.copy'"
  psql_on "$1" -f bench/chat_samples.sql
}
load_corpus postgres

# count_tokens in one backend vs tiktoken's encode_ordinary in one Python thread, same corpus.
say "count_tokens throughput (o200k_base, one backend) vs Python tiktoken $TIKTOKEN_VERSION encode_ordinary (one thread)"
db_tokens=""; py_tokens=""
megabytes_per_second() { awk -v p="$1" -v s="$2" -v b="$3" 'BEGIN { printf "%.2f", p * b / s / 1e6 }'; }
tokens_db() {
  local passes seconds bytes tokens
  IFS='|' read -r passes seconds bytes tokens <<<"$(psql_bench -At -c "select * from bench.count_tokens_throughput($DURATION)")"
  echo "$bytes $tokens" >"$OUT/tokens_db-$1.totals"
  megabytes_per_second "$passes" "$seconds" "$bytes"
}
tokens_py() {
  local passes seconds bytes tokens
  read -r passes seconds bytes tokens <<<"$("$TIKTOKEN_PY" tests/tokens/reference.py bench "$CORPUS/corpus.jsonl" "$DURATION")"
  echo "$bytes $tokens" >"$OUT/tokens_py-$1.totals"
  megabytes_per_second "$passes" "$seconds" "$bytes"
}
variant tokens_db MB/s "convo.count_tokens in Postgres"
variant tokens_py MB/s "tiktoken (Python) encode_ordinary"
rounds tokens_db tokens_py
read -r bytes db_tokens <"$OUT/tokens_db-1.totals"; read -r _ py_tokens <"$OUT/tokens_py-1.totals"
echo "  corpus: $bytes bytes; tokens per pass: count_tokens $db_tokens, tiktoken $py_tokens"
[ "$db_tokens" = "$py_tokens" ] || { echo "[bench] FAILED: the token totals differ (see scripts/test_tokens.sh)" >&2; exit 1; }
# the target: at least the 0.2.0 tokenizer's 1.14 (tiktoken-rs, on fancy-regex)
compare "tokens: count_tokens / tiktoken (MB/s)" tokens_db tokens_py ">= 1.14"

# The cost of counting at insert time: two databases migrated alike, one without token_count.
say "store_chat_pair with the token_count column vs without: $CLIENTS clients, realistic texts, two databases"
make_db() { # NAME: a database prepared as `stack.sh up` prepares its own, plus the bench data
  psql_bench -c "drop database if exists $1" -c "create database $1"
  psql_on "$1" -f sql/supabase_bootstrap.sql >/dev/null
  DATABASE_URL="postgresql://postgres:postgres@127.0.0.1:$DB_PORT/$1" scripts/migrate.sh --quiet
  psql_on "$1" -f bench/baselines.sql >/dev/null
  load_corpus "$1"
}
make_db bench_with_token_count
make_db bench_without_token_count
psql_on bench_without_token_count -c "alter table public.chat_messages drop column token_count"
insert_counted()   { tps "chat_insert_counted-$1" bench/chat_tokens_insert.pgbench "$CLIENTS" bench_with_token_count; }
insert_uncounted() { tps "chat_insert_uncounted-$1" bench/chat_tokens_insert.pgbench "$CLIENTS" bench_without_token_count; }
variant insert_counted   pairs/s "with token_count (counted by the insert)"
variant insert_uncounted pairs/s "without token_count"
# an untimed run of each first: the first round otherwise also measures two cold databases
insert_counted warm-up >/dev/null; insert_uncounted warm-up >/dev/null
rounds insert_counted insert_uncounted
compare "tokens: store_chat_pair with / without count" insert_counted insert_uncounted ">= 0.95"
psql_bench -c "drop database bench_with_token_count" -c "drop database bench_without_token_count"

# A token-budgeted context window vs the plain newest-50 read, for a user with 100k messages.
say "get_chat_context(4000) vs the plain newest-50 read: a user with 100k messages, as that user, 1 client"
psql_bench -f bench/chat_history.sql
window=$(psql_bench -At <<'SQL'
begin;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', format('{"role":"authenticated","sub":"%s"}', bench.user_id(100000)), true) \gset
select format('%s messages, %s tokens (the plain read: 50 messages, %s tokens)',
              jsonb_array_length(c -> 'messages'), c ->> 'total_tokens',
              (select sum(token_count) from (select token_count from public.chat_messages where user_id = bench.user_id(100000) order by "timestamp" desc limit 50) l))
from public.get_chat_context(4000) c;
rollback;
SQL
)
echo "  the window: $window"
context_get()   { latency "context_get-$1" bench/context_get.pgbench -M prepared; }
context_api()   { latency "context_api-$1" bench/context_api_read.pgbench -M prepared; }
context_plain() { latency "context_plain-$1" bench/context_plain.pgbench -M prepared; }
variant context_get   ms "get_chat_context(4000)"
variant context_api   ms "newest 50 as the API serves them (JSON)"
variant context_plain ms "newest 50, plain select (rows, no JSON)"
rounds context_get context_api context_plain
# the target is judged against the read a client really gets (PostgREST builds its JSON in the
# database); the bare select, which no client receives, is reported beside it
compare "tokens: get_chat_context / API newest-50 read (latency)" context_get context_api "<= 1.5"
compare "tokens: get_chat_context / bare select (latency)" context_get context_plain

# The same window for users whose histories differ a thousandfold (and their share of the table):
# it must cost about the same for each (the walk reads the turns that fit, not the history).
# BENCH_SIZE_MAX_EXP (default 6): the largest history is 10^that messages (a short run uses less)
say "get_chat_context(4000) for users of 10^3 ... 10^${BENCH_SIZE_MAX_EXP:-6} messages (one timestamp each), as each user, 1 client"
psql_bench -v max_k="${BENCH_SIZE_MAX_EXP:-6}" -f bench/chat_user_sizes.sql
size_user() { printf '00000000-0000-4000-8000-%012d' $((1000000 + $1)); }
size_window() { latency "context_size_$1-$2" bench/context_user_size.pgbench -M prepared -D uid="$(size_user "$1")"; }
size_3() { size_window 3 "$1"; }
size_4() { size_window 4 "$1"; }
size_5() { size_window 5 "$1"; }
size_6() { size_window 6 "$1"; }
for k in 3 4 5 6; do variant "size_$k" ms "user with 10^$k messages"; done
rounds size_3 size_4 size_5 size_6
compare "tokens: window, 10^6-message user / 10^3 (latency)" size_6 size_3 "<= 2.0"
compare "tokens: window, 10^5-message user / 10^3 (latency)" size_5 size_3
if [ "${BENCH_ONLY:-}" = tokens ]; then summary; exit 0; fi

# --- conversation trees (trees_bench, defined above) ---------------------------------------------
trees_bench

# --- the same comparisons end to end, through the real PostgREST --------------------------------
say "through PostgREST (HTTP, keep-alive, the service key): the seeds' request patterns vs one RPC"
variant http_chat_rpc   pairs/s "(a) rpc/store_chat_pair"
variant http_chat_two   pairs/s "(c) two POST /chat_messages"
variant http_sess_rpc   calls/s "(a) rpc/load_or_create_session"
variant http_sess_seed  calls/s "(b) seed: select, last message, update"
variant http_1_seed     ms "one caller: the seed's 3 requests"
variant http_1_rpc      ms "one caller: rpc/load_or_create_session"
# shellcheck disable=SC2016  # the single-quoted arguments are awk programs
for r in $(seq 1 "$ROUNDS"); do
  psql_bench -f bench/agent_sessions_setup_steady.sql
  STACK_ENV="$STACK_DIR/stack.env" "$HTTP_BENCH" "$DURATION" >"$OUT/http-$r.log"
  pick() { awk "$1" "$OUT/http-$r.log"; }
  VALUE[http_chat_rpc,$r]=$(pick '/rpc\/store_chat_pair/ { print $(NF-1) }')
  VALUE[http_chat_two,$r]=$(pick '/two POST/ { print $(NF-1) }')
  VALUE[http_sess_rpc,$r]=$(pick '/rpc\/load_or_create_session/ { print $(NF-1) }')
  VALUE[http_sess_seed,$r]=$(pick '/seed: select/ { print $(NF-1) }')
  VALUE[http_1_rpc,$r]=$(pick '/one caller/ { print $4 }')
  VALUE[http_1_seed,$r]=$(pick '/one caller/ { print $9 }')
  for v in http_chat_rpc http_chat_two http_sess_rpc http_sess_seed http_1_seed http_1_rpc; do
    [ -n "${VALUE[$v,$r]}" ] || { cat "$OUT/http-$r.log" >&2; echo "[bench] FAILED: cannot read http_bench's output" >&2; exit 1; }
    printf '  round %s  %-46s %10s %s\n' "$r" "${LABEL[$v]}" "${VALUE[$v,$r]}" "${UNIT[$v]}"
  done
done
compare "HTTP chat: rpc / two POSTs" http_chat_rpc http_chat_two ">= 1.5"
compare "HTTP sessions: rpc / seed's 3 requests" http_sess_rpc http_sess_seed ">= 3.0"
compare "HTTP one caller: seed's latency / rpc's" http_1_seed http_1_rpc

# --- summary -----------------------------------------------------------------------------------
summary
