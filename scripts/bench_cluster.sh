#!/usr/bin/env bash
# `make bench-cluster` (BENCHMARKS.md, "Beyond one machine"): on a throwaway cluster of its own
# (scripts/cluster.sh, ports 24380-24386 unless BENCH_CLUSTER_PORT says otherwise):
#   1. the write cost of synchronous replication: store_chat_pair as PostgREST runs it, on the
#      primary, with synchronous_commit = local (a commit waits for the local disk only: what a
#      single node pays; the WAL still streams), on (and for the synchronous standby to flush it),
#      remote_apply (… to apply it: the cluster's default, for read-your-writes);
#   2. the API's read mix (a chat history page, an SMS session's messages, music history) served
#      by the primary alone vs by the read pool (the same clients split over primary and standby).
# Interleaved rounds (every variant once per round, BENCH_ROUNDS rounds of BENCH_SECONDS each);
# median and min–max per variant, and the ratio to the baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CLUSTER_DIR=${BENCH_CLUSTER_DIR:-$ROOT/.local/bench-cluster} CLUSTER_PORT=${BENCH_CLUSTER_PORT:-24380}
SECONDS_EACH=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-3}
CLIENTS=${BENCH_CLIENTS:-4}
PGBIN=$(/usr/bin/pg_config --bindir)
WORK=$(mktemp -d)
cleanup() { scripts/cluster.sh down >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

scripts/cluster.sh down >/dev/null 2>&1 || true
rm -rf "$CLUSTER_DIR"
timeout 300 scripts/cluster.sh up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; echo "bench-cluster: the cluster did not start"; exit 1; }
ENV_FILE="$CLUSTER_DIR/stack.env"
PRIMARY=$(sed -n 's/^DB_URL=//p' "$ENV_FILE")
# the read pool's standby: the one PostgREST ro is connected to (node 2 after a fresh start)
STANDBY=$(sed -n 's/^NODE_URLS=//p' "$ENV_FILE" | cut -d, -f2)
export PGPASSWORD=postgres

USERS=8
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$PRIMARY" >/dev/null <<SQL
insert into auth.users (id, aud, role, email)
select ('b0b0b0b0-0000-4000-8000-0000000000' || lpad(n::text, 2, '0'))::uuid, 'authenticated', 'authenticated', 'bench-' || n || '@example.test'
from generate_series(1, $USERS) n;
insert into public.chat_sessions (id, user_id, title)
select ('b0b0b0b0-0000-4000-8000-0000000001' || lpad(n::text, 2, '0'))::uuid,
       ('b0b0b0b0-0000-4000-8000-0000000000' || lpad(n::text, 2, '0'))::uuid, 'bench'
from generate_series(1, $USERS) n;
select public.store_chat_pair(('b0b0b0b0-0000-4000-8000-0000000000' || lpad((1 + i % $USERS)::text, 2, '0'))::uuid,
         'history message ' || i, 'a reply of a few words ' || i,
         ('b0b0b0b0-0000-4000-8000-0000000001' || lpad((1 + i % $USERS)::text, 2, '0'))::uuid)
from generate_series(1, 4000) i;
SQL

user_expr="('b0b0b0b0-0000-4000-8000-0000000000' || lpad(:u::text, 2, '0'))"
claims="SELECT set_config('role', 'authenticated', true), set_config('request.jwt.claims', json_build_object('role', 'authenticated', 'sub', $user_expr)::text, true);"
cat > "$WORK/write.sql" <<SQL
\set u random(1, $USERS)
BEGIN;
$claims
SELECT public.store_chat_pair($user_expr::uuid, 'how are you today?', 'fine, thanks for asking',
  ('b0b0b0b0-0000-4000-8000-0000000001' || lpad(:u::text, 2, '0'))::uuid);
COMMIT;
SQL
cat > "$WORK/read.sql" <<SQL
\set u random(1, $USERS)
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
$claims
SELECT id, message_text, sender_type, "timestamp" FROM public.chat_messages
 WHERE session_id = ('b0b0b0b0-0000-4000-8000-0000000001' || lpad(:u::text, 2, '0'))::uuid
 ORDER BY "timestamp" DESC LIMIT 50;
SELECT id, title, last_message_at FROM public.chat_sessions ORDER BY last_message_at DESC NULLS LAST LIMIT 20;
COMMIT;
SQL

# a warm-up read on both nodes first: the first read after the 4,000 inserts sets hint bits and
# fills the caches, and would otherwise make round 1's primary-alone figure several times lower
"$PGBIN/pgbench" -d "$PRIMARY" -n -c 2 -T 3 -f "$WORK/read.sql" >/dev/null 2>&1 || true
"$PGBIN/pgbench" -d "$STANDBY" -n -c 2 -T 3 -f "$WORK/read.sql" >/dev/null 2>&1 || true

tps() { sed -nE 's/^tps = ([0-9.]+) .*/\1/p' "$1" | head -n1; }
latency() { sed -nE 's/^latency average = ([0-9.]+) ms/\1/p' "$1" | head -n1; }
declare -A RESULTS=() LAT=()
for round in $(seq 1 "$ROUNDS"); do
  echo "-- round $round of $ROUNDS"
  for mode in local on remote_apply; do
    PGOPTIONS="-c synchronous_commit=$mode" "$PGBIN/pgbench" -d "$PRIMARY" -n -c "$CLIENTS" -j 2 -T "$SECONDS_EACH" \
      -f "$WORK/write.sql" >"$WORK/w-$mode.log" 2>&1 || { cat "$WORK/w-$mode.log"; exit 1; }
    RESULTS[w-$mode]+="$(tps "$WORK/w-$mode.log") "; LAT[w-$mode]+="$(latency "$WORK/w-$mode.log") "
    echo "   store_chat_pair, synchronous_commit=$mode: $(tps "$WORK/w-$mode.log") tps, $(latency "$WORK/w-$mode.log") ms"
  done
  "$PGBIN/pgbench" -d "$PRIMARY" -n -c "$CLIENTS" -j 2 -T "$SECONDS_EACH" -f "$WORK/read.sql" >"$WORK/r-primary.log" 2>&1 \
    || { cat "$WORK/r-primary.log"; exit 1; }
  RESULTS[r-primary]+="$(tps "$WORK/r-primary.log") "
  # the read pool: the same number of clients, half on the primary and half on the standby
  "$PGBIN/pgbench" -d "$PRIMARY" -n -c $((CLIENTS / 2)) -j 1 -T "$SECONDS_EACH" -f "$WORK/read.sql" >"$WORK/r-pool-p.log" 2>&1 &
  p1=$!
  "$PGBIN/pgbench" -d "$STANDBY" -n -c $((CLIENTS / 2)) -j 1 -T "$SECONDS_EACH" -f "$WORK/read.sql" >"$WORK/r-pool-s.log" 2>&1 \
    || { cat "$WORK/r-pool-s.log"; exit 1; }
  wait "$p1" || { cat "$WORK/r-pool-p.log"; exit 1; }
  pool=$(awk -v a="$(tps "$WORK/r-pool-p.log")" -v b="$(tps "$WORK/r-pool-s.log")" 'BEGIN { printf "%.1f", a + b }')
  RESULTS[r-pool]+="$pool "
  echo "   read mix: primary alone $(tps "$WORK/r-primary.log") tps, read pool (primary + standby) $pool tps"
done

stats() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.0f (%.0f–%.0f)", m, a[1], a[NR] }'; }
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# the per-round ratios A/B (both measured in the same round), median (min–max)
ratio() {
  paste <(tr ' ' '\n' <<<"$1" | grep .) <(tr ' ' '\n' <<<"$2" | grep .) | awk '{ print $1 / $2 }' | sort -n \
    | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f (%.2f–%.2f)", m, a[1], a[NR] }'
}
echo
echo "bench-cluster: $ROUNDS interleaved rounds of $SECONDS_EACH s, $CLIENTS clients, $(nproc) cores; tps median (min–max), per-round ratio median (min–max)"
echo "| workload | tps | ratio to baseline | latency median ms |"
echo "|---|---|---|---|"
echo "| store_chat_pair, synchronous_commit = local (single-node durability; baseline) | $(stats "${RESULTS[w-local]}") | 1.00 | $(median "${LAT[w-local]}") |"
echo "| store_chat_pair, synchronous_commit = on (sync standby flushed) | $(stats "${RESULTS[w-on]}") | $(ratio "${RESULTS[w-on]}" "${RESULTS[w-local]}") | $(median "${LAT[w-on]}") |"
echo "| store_chat_pair, synchronous_commit = remote_apply (cluster default) | $(stats "${RESULTS[w-remote_apply]}") | $(ratio "${RESULTS[w-remote_apply]}" "${RESULTS[w-local]}") | $(median "${LAT[w-remote_apply]}") |"
echo "| read mix, primary alone (baseline) | $(stats "${RESULTS[r-primary]}") | 1.00 | |"
echo "| read mix, read pool (half the clients on the standby) | $(stats "${RESULTS[r-pool]}") | $(ratio "${RESULTS[r-pool]}" "${RESULTS[r-primary]}") | |"
