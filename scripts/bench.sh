#!/usr/bin/env bash
# `make bench`: pgbench workloads against a throwaway stack of its own (.local/bench-stack),
# each compared with a baseline measured in the same run on the same data. Results are printed
# as TPS and ratios; BENCHMARKS.md records a run and how to read it.
#
#   scripts/bench.sh [SECONDS]     (default 15 s per workload)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${1:-${BENCH_SECONDS:-15}}
CLIENTS=${BENCH_CLIENTS:-4}
export STACK_DIR="$ROOT/.local/bench-stack" DB_PORT=54522 API_PORT=54521 REST_PORT=54525
PGBIN=$(/usr/bin/pg_config --bindir)
export PGPASSWORD=postgres
DB=(-h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres)
OUT="$ROOT/.local/bench-results"; mkdir -p "$OUT"

say() { printf '\033[1m[bench]\033[0m %s\n' "$*"; }
trap 'scripts/stack.sh down >/dev/null 2>&1 || true' EXIT
scripts/stack.sh down >/dev/null 2>&1 || true
rm -rf "$STACK_DIR/db" "$STACK_DIR/stack.env"
scripts/stack.sh up >"$OUT/stack.log" 2>&1 || { cat "$OUT/stack.log"; exit 1; }
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "${DB[@]}" -f bench/baselines.sql >/dev/null

# tps NAME SCRIPT [CLIENTS]: runs one pgbench workload, prints and returns its TPS.
tps() {
  local name=$1 script=$2 clients=${3:-$CLIENTS}
  "$PGBIN/pgbench" "${DB[@]}" -n -M prepared -c "$clients" -j 2 -T "$DURATION" -f "$script" \
    >"$OUT/$name.log" 2>&1 || { cat "$OUT/$name.log" >&2; return 1; }
  grep -Eo 'tps = [0-9.]+' "$OUT/$name.log" | head -1 | cut -d' ' -f3
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

say "store_chat_pair: $CLIENTS clients × ${DURATION}s each, PostgREST-shaped transactions"
a=$(tps chat_rust bench/chat_rust.pgbench)
b=$(tps chat_plpgsql_seed bench/chat_plpgsql_seed.pgbench)
c=$(tps chat_two_inserts bench/chat_two_inserts.pgbench)
cat <<RESULT
  (a) Rust store_chat_pair           $a pairs/s
  (b) seed's PL/pgSQL store_chat_pair $b pairs/s
  (c) seed backend: two INSERT txns  $c pairs/s
  (a)/(b) = $(ratio "$a" "$b")   target >= 1.0
  (a)/(c) = $(ratio "$a" "$c")   target >= 1.5
RESULT

# --- agent sessions (issue 6) ------------------------------------------------------------------
psql_bench() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "${DB[@]}" "$@"; }
say "load_or_create_session: 16 clients on 8 phones × ${DURATION}s, steady state (no rollover due)"
psql_bench -f bench/sessions_setup_steady.sql
a=$(tps sessions_rust bench/sessions_rust.pgbench 16)
psql_bench -f bench/sessions_setup_steady.sql
b=$(tps sessions_seed_pattern bench/sessions_seed_pattern.pgbench 16)
cat <<RESULT
  (a) Rust load_or_create_session     $a calls/s
  (b) seed's statements, one by one   $b calls/s
  (a)/(b) = $(ratio "$a" "$b")   target >= 3.0
RESULT

# race: 16 clients released at once, one call each, per pattern; then count the anomalies
race() { # NAME SCRIPT SETUP
  psql_bench -f "bench/$3"
  "$PGBIN/pgbench" "${DB[@]}" -n -M prepared -c 16 -j 2 -t 1 -D p=1 -f "bench/$2" >"$OUT/race-$1.log" 2>&1 || true
  local errors sessions number rollovers
  errors=$(grep -c 'aborted' "$OUT/race-$1.log" || true)
  sessions=$(psql_bench -At -c "select count(*) from public.user_sessions where phone_number = bench.phone(1)")
  number=$(psql_bench -At -c "select metadata->>'session_number' from public.user_sessions where phone_number = bench.phone(1) limit 1")
  rollovers=$(psql_bench -At -c "select count(*) from bench.rollover_log")
  printf '  %-28s errors=%-3s sessions=%-3s session_number=%-3s rollovers=%s\n' "$1" "$errors" "$sessions" "$number" "$rollovers"
}
say "races: 16 clients at once on one phone (expected: errors=0 sessions=1; after a timeout session_number=2, rollovers=1)"
race "rust, new phone" sessions_race_rust.pgbench sessions_setup_new.sql
race "seed, new phone" sessions_race_seed.pgbench sessions_setup_new.sql
race "rust, timed out" sessions_race_rust.pgbench sessions_setup_timed_out.sql
race "seed, timed out" sessions_race_seed.pgbench sessions_setup_timed_out.sql

# --- music (issue 4) ---------------------------------------------------------------------------
say "music_interactions insert: $CLIENTS clients × ${DURATION}s: Rust trigger vs the seed's PL/pgSQL trigger vs none"
toggle() { psql_bench -c "alter table public.music_interactions $1 trigger music_interactions_fold_genre_preference" \
                      -c "alter table public.music_interactions $2 trigger music_interaction_update_preference_seed"; }
toggle enable disable;  a=$(tps music_rust bench/music_interaction.pgbench)
toggle disable enable;  b=$(tps music_plpgsql_seed bench/music_interaction.pgbench)
toggle disable disable; c=$(tps music_no_trigger bench/music_interaction.pgbench)
toggle enable disable
cat <<RESULT
  (a) Rust trigger                   $a inserts/s
  (b) seed's PL/pgSQL trigger        $b inserts/s
  (c) no trigger                     $c inserts/s
  (a)/(b) = $(ratio "$a" "$b")   target >= 1.0
  (a)/(c) = $(ratio "$a" "$c")   target >= 0.75
RESULT

say "recompute_genre_preferences for a user with 100k interactions vs the plain SQL GROUP BY"
psql_bench -f bench/music_history.sql
latency() { # NAME SCRIPT: mean latency in ms over 10 runs
  "$PGBIN/pgbench" "${DB[@]}" -n -c 1 -t 10 -f "$2" >"$OUT/$1.log" 2>&1 || { cat "$OUT/$1.log" >&2; return 1; }
  grep -Eo 'latency average = [0-9.]+' "$OUT/$1.log" | cut -d' ' -f4
}
r=$(latency music_recompute bench/music_recompute.pgbench)
g=$(latency music_group_by bench/music_group_by.pgbench)
cat <<RESULT
  recompute_genre_preferences (Rust aggregate + rewrite)  $r ms
  plain SQL GROUP BY (read only)                          $g ms
  ratio = $(ratio "$r" "$g")
RESULT

# --- mediation (issue 5) -----------------------------------------------------------------------
say "mediation: generating 20k profiles, 10k sessions, 1M messages"
psql_bench -f bench/mediation_data.sql -v ON_ERROR_STOP=1 >"$OUT/mediation_data.log"
uid=$(psql_bench -At -c "select sp.profile_id from public.session_participants sp where sp.profile_id in (select profile_id from public.session_participants where session_id = bench.session_id(1)) group by 1 order by count(*) desc limit 1")
sid=$(psql_bench -At -c "select session_id from public.session_participants where profile_id = '$uid' limit 1")
n=$(psql_bench -At -c "select count(*) from public.session_participants where profile_id = '$uid'")
med() { # NAME SCRIPT: mean latency (ms) of one read, 1 client
  "$PGBIN/pgbench" "${DB[@]}" -n -M prepared -c 1 -T "$DURATION" -D uid="$uid" -D sid="$sid" -f "$2" >"$OUT/$1.log" 2>&1 \
    || { cat "$OUT/$1.log" >&2; return 1; }
  grep -Eo 'latency average = [0-9.]+' "$OUT/$1.log" | cut -d' ' -f4
}
s_user=$(med med_session_user bench/med_session_user.pgbench)
s_svc=$(med med_session_service bench/med_session_service.pgbench)
a_user=$(med med_all_user bench/med_all_user.pgbench)
a_svc=$(med med_all_service bench/med_all_service.pgbench)
psql_bench -f bench/mediation_seed_policy.sql
s_seed=$(med med_session_seed bench/med_session_user.pgbench)
a_seed=$(med med_all_seed bench/med_all_user.pgbench)
psql_bench -f bench/mediation_our_policy.sql
cat <<RESULT
  participant $uid (in $n sessions)
  one session, latest 50:   ours $s_user ms, service_role $s_svc ms  → ratio $(ratio "$s_user" "$s_svc")  (target <= 1.5); seed's EXISTS policy $s_seed ms
  all I can see, newest 50: ours $a_user ms, service_role $a_svc ms  → ratio $(ratio "$a_user" "$a_svc")  (target <= 1.5); seed's EXISTS policy $a_seed ms
RESULT

# --- the same comparisons end to end, through the real PostgREST --------------------------------
say "through PostgREST (HTTP, keep-alive, the service key): the seeds' request patterns vs one RPC"
psql_bench -f bench/sessions_setup_steady.sql
STACK_ENV="$STACK_DIR/stack.env" cargo run -q --release -p pg_convo_integration --bin http_bench -- "$DURATION"
