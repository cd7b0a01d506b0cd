#!/usr/bin/env bash
# Memory and history search benchmark (issue 14), on a throwaway stack of its own
# (.local/bench-search). Not part of `make test`; bounded (about 10 minutes on 2 cores).
#
#   scripts/bench_memory_search.sh [SECONDS]     (default 5 s per measured run)
#
#   1. match_memories top-10 for one user among BENCH_USERS (1000) users × BENCH_PER_USER (100)
#      memories, 1536-dimension clustered embeddings: recall@10 against exact brute-force search
#      in the same run, and latency against the service role's unfiltered HNSW top-10 (target:
#      recall >= 0.95, latency <= 2x).
#   2. search_chat_history for a user with BENCH_HEAVY (100k) of BENCH_MESSAGES (1M) chat
#      messages: signed-in user vs service role (target <= 1.5x), and vs the seed's
#      `.ilike('message_text', '%word%')` under RLS; a rare and a common word.
#
# Each comparison runs interleaved (A B A B A B, BENCH_ROUNDS rounds), one client, and reports the
# median and min-max of the per-run mean latencies. Ports: BENCH_SEARCH_DB_PORT, _API_PORT,
# _REST_PORT (default 24822, 24821, 24825); not stack.sh's DB_PORT…, on purpose: a shell that
# points those at the `make up` stack must not start a second Postgres on its port.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECS=${1:-${BENCH_SECONDS:-5}}
ROUNDS=${BENCH_ROUNDS:-3}
USERS=${BENCH_USERS:-1000}
PER_USER=${BENCH_PER_USER:-100}
MESSAGES=${BENCH_MESSAGES:-1000000}
HEAVY=${BENCH_HEAVY:-100000}
export STACK_DIR="$ROOT/.local/bench-search"
export DB_PORT=${BENCH_SEARCH_DB_PORT:-24822} API_PORT=${BENCH_SEARCH_API_PORT:-24821}
export REST_PORT=${BENCH_SEARCH_REST_PORT:-24825}
PGBIN=$(/usr/bin/pg_config --bindir)
export PGPASSWORD=postgres
DB=(-h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres)
OUT="$ROOT/.local/bench-search-results"; mkdir -p "$OUT"

say() { printf '\033[1m[bench-search]\033[0m %s\n' "$*"; }
psql_bench() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "${DB[@]}" "$@"; }
trap 'scripts/stack.sh down >/dev/null 2>&1 || true' EXIT
scripts/stack.sh down >/dev/null 2>&1 || true
rm -rf "$STACK_DIR/db" "$STACK_DIR/stack.env"
scripts/stack.sh up >"$OUT/stack.log" 2>&1 || { cat "$OUT/stack.log"; exit 1; }

# latency SCRIPT [pgbench options]: mean latency (ms) of one SECS-second single-client run
latency() {
  local script=$1; shift
  "$PGBIN/pgbench" "${DB[@]}" -n -M prepared -c 1 -T "$SECS" "$@" -f "bench/$script.pgbench" \
    >"$OUT/$script.log" 2>&1 || { cat "$OUT/$script.log" >&2; return 1; }
  grep -Eo 'latency average = [0-9.]+' "$OUT/$script.log" | cut -d' ' -f4
}
# interleave NAME...: ROUNDS rounds of every variant in turn (variant NAME is the function v_NAME,
# which prints one mean latency); fills RESULT[NAME] with the runs' latencies.
declare -A RESULT
interleave() {
  local name
  for name in "$@"; do RESULT[$name]=""; done
  for _ in $(seq 1 "$ROUNDS"); do
    for name in "$@"; do RESULT[$name]+="$("v_$name") "; done
  done
}
# stats NAME: "median ms (min-max)" of its runs
median() { tr ' ' '\n' <<<"${RESULT[$1]}" | grep . | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
stats() {
  tr ' ' '\n' <<<"${RESULT[$1]}" | grep . | sort -g | awk -v m="$(median "$1")" \
    '{v[NR]=$1} END {printf "%7.3f ms  (%.3f-%.3f, %d runs)", m, v[1], v[NR], NR}'
}
ratio() { awk -v a="$(median "$1")" -v b="$(median "$2")" 'BEGIN { printf "%.2f", a / b }'; }

START=$SECONDS
has_vector=$(psql_bench -At -c "select exists (select from pg_extension where extname = 'vector')")

# --- 1. match_memories ---------------------------------------------------------------------------
if [ "$has_vector" = t ]; then
  say "generating $((USERS * PER_USER)) memories ($USERS users × $PER_USER), 1536-dim clustered embeddings, HNSW index"
  t=$SECONDS
  psql_bench -v users="$USERS" -v per_user="$PER_USER" -f bench/memory_search_memories.sql >"$OUT/memories_data.log"
  echo "  generated in $((SECONDS - t)) s ($(grep -Eo 'Time: [0-9.]+ ms \([0-9:.]+\)' "$OUT/memories_data.log" | head -1 | sed 's/Time: /HNSW build /'))"
  say "recall@10 (user 1, 8 query embeddings near its clusters), each against exact search in this run"
  psql_bench -At -f bench/memory_search_recall.sql | sed 's/^/  /'
  say "latency: match_memories (user JWT, top 10) vs the service role's unfiltered HNSW top 10; $ROUNDS rounds × ${SECS}s, interleaved"
  # synchronous_commit=off for the comparison: match_memories writes (access counts), and a WAL
  # flush measures the disk, not the search; the last line is the same call with it on.
  v_match() { PGOPTIONS="-c synchronous_commit=off" latency memory_search_match_user; }
  v_hnsw() { latency memory_search_hnsw_service; }
  v_match_sync() { latency memory_search_match_user; }
  interleave match hnsw match_sync
  cat <<RESULT
  (A) match_memories, signed-in user           $(stats match)   [synchronous_commit=off]
  (B) service role, unfiltered HNSW top-10     $(stats hnsw)
  (A)/(B) = $(ratio match hnsw)   target <= 2.0
  (A') match_memories, synchronous_commit=on   $(stats match_sync)   (includes the WAL flush of its access-count update)
RESULT
else
  say "pgvector is not installed on this server: the match_memories benchmark was NOT run (install pgvector 0.8: scripts/bootstrap.sh)"
fi

# --- 2. search_chat_history ----------------------------------------------------------------------
v_user() { latency memory_search_chat_user -D word="$word"; }
v_service() { latency memory_search_chat_service -D word="$word"; }
v_ilike() { latency memory_search_chat_ilike_user -D word="$word"; }
say "generating $MESSAGES chat messages, $HEAVY of them by user 1"
t=$SECONDS
psql_bench -v users="$USERS" -v messages="$MESSAGES" -v heavy="$HEAVY" -f bench/memory_search_chat.sql >"$OUT/chat_data.log"
echo "  generated in $((SECONDS - t)) s"
for word in zq9999 tea; do
  n=$(psql_bench -At -c "select count(*) from public.chat_messages where user_id = bench.search_user_id(1) and message_tsv @@ to_tsquery('simple', '$word')")
  say "search_chat_history('$word', 10): user 1 has $n messages with it; $ROUNDS rounds × ${SECS}s, interleaved"
  interleave user service ilike
  cat <<RESULT
  (A) search_chat_history, signed-in user      $(stats user)
  (B) search_chat_history, service role        $(stats service)
  (C) seed's .ilike under RLS (user JWT)       $(stats ilike)
  (A)/(B) = $(ratio user service)   target <= 1.5
  (C)/(A) = $(ratio ilike user)   speed-up of search_chat_history over the seed's ilike for the user
RESULT
done
say "total $((SECONDS - START)) s (plus the stack's start)"
