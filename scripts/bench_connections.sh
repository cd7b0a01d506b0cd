#!/usr/bin/env bash
# `make bench`: what a connection costs with pg_convo, on a throwaway stack of its own
# (.local/bench-connections-stack, pg_convo not preloaded: loaded on first use, the hosted case):
#   1. a new connection's first count_tokens vs a new connection's `select 1`, connection
#      included (pgbench -C), interleaved rounds; target <= 2x;
#   2. the private memory a backend gains from counting with both encodings, pg_convo loaded on
#      first use and preloaded (scripts/test_token_footprint.sh); target <= 2 MB;
#   3. a mixed HTTP load through the gateway (tests/src/bin/http_load.rs: history, profile,
#      preference and mentor reads; store_chat_pair, music inserts, SMS sessions), 32 connections
#      for LOAD_SECONDS (default 45): Postgres' anonymous memory before and after, latency p50 /
#      p99, errors; targets <= 150 MB, p99 <= 100 ms, no errors. The memory is the anonymous RAM
#      the postmaster and its children hold, each page counted once (the sum of Pss_Anon in
#      smaps_rollup), checked against what the kernel gets back when Postgres stops (AnonPages in
#      /proc/meminfo); the sum of Anonymous, which counts a page the backends share with the
#      postmaster once in every backend, is printed beside it.
#
#   scripts/bench_connections.sh [SECONDS]     SECONDS per round of (1) (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${1:-${BENCH_SECONDS:-5}}
ROUNDS=${BENCH_ROUNDS:-3}
LOAD_SECONDS=${LOAD_SECONDS:-45}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-32}
export STACK_DIR="$ROOT/.local/bench-connections-stack" DB_PORT=${BENCH_CONN_DB_PORT:-24562}
export API_PORT=${BENCH_CONN_API_PORT:-24561} REST_PORT=${BENCH_CONN_REST_PORT:-24565}
export STACK_ENV="$STACK_DIR/stack.env"
PGBIN=$(/usr/bin/pg_config --bindir)
export PATH="$HOME/.cargo/bin:$PATH" PGPASSWORD=postgres
OUT="$ROOT/.local/bench-results"; mkdir -p "$OUT"

say() { printf '\n\033[1m[bench]\033[0m %s\n' "$*"; }
cargo build -q --release -p pg_convo_integration --bin http_load
HTTP_LOAD="${CARGO_TARGET_DIR:-$ROOT/target}/release/http_load"

trap 'scripts/stack.sh down >/dev/null 2>&1 || true' EXIT
scripts/stack.sh down >/dev/null 2>&1 || true
rm -rf "$STACK_DIR/db" "$STACK_ENV"
scripts/stack.sh up >"$OUT/connections-stack.log" 2>&1 || { cat "$OUT/connections-stack.log"; exit 1; }
psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres "$@"; }
psql -f bench/baselines.sql >/dev/null 2>&1

# 1. first call ---------------------------------------------------------------------------------
say "a new connection's first count_tokens vs its first select 1 (pgbench -C, 1 client, $ROUNDS rounds x $DURATION s)"
first() { # NAME SCRIPT: mean latency (ms) per new connection + its statement
  "$PGBIN/pgbench" -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -n -C -c 1 -T "$DURATION" -f "$2" \
    >"$OUT/$1.log" 2>&1 || { cat "$OUT/$1.log" >&2; return 1; }
  grep -Eo 'latency average = [0-9.]+' "$OUT/$1.log" | cut -d' ' -f4
}
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  count=$(first "first_count-$r" bench/first_count_tokens.pgbench)
  one=$(first "first_select1-$r" bench/first_select1.pgbench)
  ratio=$(awk -v a="$count" -v b="$one" 'BEGIN { printf "%.2f", a / b }')
  ratios+=("$ratio")
  printf '  round %s  first count_tokens %8s ms   first select 1 %8s ms   ratio %s\n' "$r" "$count" "$one" "$ratio"
done
read -r med lo hi <<<"$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }')"
verdict=$(awk -v m="$med" 'BEGIN { print (m <= 2.0 ? "met" : "MISSED") }')
echo "  => first count_tokens / first select 1 (connection included): $med ($lo-$hi), target <= 2.0: $verdict"

# 2. memory per backend -------------------------------------------------------------------------
say "private memory a backend gains from counting tokens (both encodings), both loading modes"
scripts/test_token_footprint.sh | grep -E '^# |^(ok|not ok)' | sed 's/^/  /'

# 3. mixed HTTP load ------------------------------------------------------------------------------
# postgres_anon_mb FIELD: the sum of FIELD (kB) in smaps_rollup over this stack's postmaster and
# all its children, in MB. Pss_Anon splits a page shared by N processes (what a backend inherited
# from the postmaster and has not written: libraries' relocations, the postmaster's heap) into N
# parts, so the sum is the RAM they hold; Anonymous counts such a page in every process.
postgres_anon_mb() {
  local pm pids total=0 kb p
  pm=$(head -n1 "$STACK_DIR/db/postmaster.pid")
  pids="$pm $(pgrep -P "$pm" | tr '\n' ' ')"
  for p in $pids; do
    kb=$(awk -v f="$1:" '$1 == f { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  awk -v k="$total" 'BEGIN { printf "%.0f", k / 1024 }'
}
meminfo_anon_kb() { awk '/^AnonPages:/ { print $2 }' /proc/meminfo; }
if [ "$(id -u)" = 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
say "mixed HTTP load through the gateway: $LOAD_CONNECTIONS connections, $LOAD_SECONDS s"
scripts/stack.sh down >/dev/null 2>&1; scripts/stack.sh up >>"$OUT/connections-stack.log" 2>&1   # fresh backends
before=$(postgres_anon_mb Pss_Anon); before_anon=$(postgres_anon_mb Anonymous)
"$HTTP_LOAD" "$LOAD_SECONDS" "$LOAD_CONNECTIONS" | tee "$OUT/http_load.log"
after=$(postgres_anon_mb Pss_Anon); after_anon=$(postgres_anon_mb Anonymous)
backends=$(pgrep -P "$(head -n1 "$STACK_DIR/db/postmaster.pid")" | wc -l)
# The check: stop Postgres alone and see how much anonymous memory the kernel gets back (other
# processes of the machine move this by a few MB either way).
running_kb=$(meminfo_anon_kb)
as_pg "$PGBIN/pg_ctl" -D "$STACK_DIR/db" -m fast -w stop >/dev/null
sleep 1
released=$(awk -v a="$running_kb" -v b="$(meminfo_anon_kb)" 'BEGIN { printf "%.0f", (a - b) / 1024 }')
line=$(grep '^load: [0-9]' "$OUT/http_load.log")
p99=$(sed -E 's/.* p99 ([0-9.]+) ms.*/\1/' <<<"$line"); errors=$(sed -E 's/.* ([0-9]+) errors.*/\1/' <<<"$line")
echo "  Postgres anonymous memory (Pss_Anon): ${before} MB before, ${after} MB after ($backends processes)"
echo "  the kernel's anonymous memory (AnonPages) fell by ${released} MB when Postgres stopped"
echo "  the sum of Anonymous (a page shared with the postmaster counted in every process): ${before_anon} MB before, ${after_anon} MB after"
echo "  => anonymous memory after the load: ${after} MB, target <= 150 MB: $([ "$after" -le 150 ] && echo met || echo MISSED)"
echo "  => p99 latency: ${p99} ms, target <= 100 ms: $(awk -v p="$p99" 'BEGIN { print (p <= 100 ? "met" : "MISSED") }')"
echo "  => errors: $errors, target 0: $([ "$errors" = 0 ] && echo met || echo MISSED)"
