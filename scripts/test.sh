#!/usr/bin/env bash
# `make test`: every suite, in order, stopping at the first red one.
#
#   scripts/test.sh            all suites
#   scripts/test.sh SUITE      one of the names below
#
#   lint       cargo fmt --check, clippy -D warnings
#   pg_test    the Rust #[pg_test]s (cargo pgrx test); not pgrx-tests/, which holds the pgTAP suites
#   stack      the local stack itself: gateway, bootstrap, restarts (scripts/test_stack.sh)
#   schema     the domain files (schema/) equal the migrations: a database from each, compared
#              (scripts/test_schema_parity.sh, in a scratch cluster of its own)
#   types      generated types are fresh, tsc       ┐
#   pgtap      pgTAP suites in pgrx-tests/          │
#   http       HTTP integration tests in tests/     │ against the throwaway test stack,
#   clients    supabase-js / supabase-py replay     │ freshly built from migrations/
#   tokens     token counts = OpenAI's tiktoken     │
#              (and tokenizer/'s own tests), and a  │
#              backend's memory after counting      │
#   isolation  pg_isolation_regress specs, and that │
#              they fail without their locks        │
#   cron       the retention job, run once by       │
#              pg_cron (test_retention_job.sh)      │
#   race       deadlock and race suite over HTTP    │
#   readme     README commands and examples work    ┘
#              as printed (scripts/check_readme_*.sh)
#   upgrade    a 0.1.0 database with data, upgraded by `make migrate`; pgtap, http and clients
#              again against it (scripts/test_upgrade.sh)
#   novector   the path without pgvector: a scratch Postgres prefix with no `vector` extension, a
#              stack on it, migrations, keyword search, pgtap and clients (scripts/test_without_pgvector.sh)
#   package    `make package`, installed into a scratch Postgres prefix (scripts/test_package.sh)
#   replica    a primary and a streaming hot standby: every table and STABLE/IMMUTABLE RPC read as
#              each API role on the standby, read-only (scripts/test_replica.sh)
#   crash      immediate stops under load; invariants after each restart (scripts/crash_test.sh)
#   cluster    the HA cluster (pg_auto_failover): read-your-writes, the primary killed 5 times under
#              load with no acknowledged write lost, a standby killed, failover times; then the
#              supabase-js / supabase-py replay against it (scripts/test_cluster.sh)
#
# Every stack a suite starts is its own (own data directory under .local/, own ports on
# 127.0.0.1), stopped afterwards even when a suite fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"
ONLY=${1:-}
# scripts/check_readme_commands.sh reads it: the README's `make test` is this very run
export CONVO_MAKE_TEST=1

# Every throwaway stack (here, and the bench/types/crash/package scripts' own) listens on a 24xxx
# port: below Linux's ephemeral range (32768-60999), where a busy client's source port (PostgREST's
# and nginx's pooled connections, pgbench's) could hold the port a stack is about to bind.
# The throwaway test stack: the fresh database the pgtap … race suites run against.
export STACK_DIR="$ROOT/.local/test-stack" DB_PORT=24422 API_PORT=24421 REST_PORT=24425
export STACK_ENV="$STACK_DIR/stack.env"
# The upgraded stack: created at 0.1.0, filled, then migrated (scripts/test_upgrade.sh).
UPGRADE_STACK_DIR="$ROOT/.local/upgrade-stack"
UPGRADE_PORTS=(API_PORT=24931 DB_PORT=24932 REST_PORT=24935)
LOGS="$ROOT/.local/test-logs"; mkdir -p "$LOGS"
SUMMARY=()
TOTAL_PASSED=0

banner() { printf '\n\033[1m==== %s ====\033[0m\n' "$*"; }
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }
want_any() { local s; for s in "$@"; do want "$s" && return 0; done; return 1; }

# run_suite NAME COUNTER COMMAND...: runs it with output shown and logged, counts its tests.
run_suite() {
  local name=$1 counter=$2; shift 2
  local log="$LOGS/$name.log"
  banner "$name"
  set +e; "$@" 2>&1 | tee "$log"; local rc=${PIPESTATUS[0]}; set -e
  local passed; passed=$("$counter" "$log")
  if [ "$rc" != 0 ]; then
    SUMMARY+=("$(printf '%-16s FAILED (exit %s, log %s)' "$name" "$rc" "$log")")
    finish 1
  fi
  SUMMARY+=("$(printf '%-16s ok     %s passed' "$name" "$passed")")
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
}

count_cargo() { grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$1" | awk '{s+=$4} END {print s+0}'; }
count_prove() { grep -Eo 'Tests=[0-9]+' "$1" | tail -n1 | cut -d= -f2 || echo 0; }
# the scripts' own closing line: "<name>: N passed, M failed"
count_line()  { sed -nE 's/^[a-z]+: ([0-9]+) passed, [0-9]+ failed.*/\1/p' "$1" | tail -n1 | grep . || echo 0; }
count_none()  { echo 0; }
# the sum of every such line (a suite that runs several scripts)
count_lines() { sed -nE 's/^[a-z-]+: ([0-9]+) passed, [0-9]+ failed.*/\1/p' "$1" | awk '{ s += $1 } END { print s + 0 }'; }

finish() {
  local rc=$1
  banner "summary"
  printf '%s\n' "${SUMMARY[@]}"
  if [ "$rc" = 0 ]; then
    echo "total: $TOTAL_PASSED passed, 0 failed"
  else
    echo "total: $TOTAL_PASSED passed, 1 failed"
  fi
  exit "$rc"
}

stop_stacks() {
  scripts/stack.sh down >/dev/null 2>&1 || true
  STACK_DIR="$UPGRADE_STACK_DIR" "${UPGRADE_PORTS[@]}" scripts/test_upgrade.sh stop >/dev/null 2>&1 || true
}

# 1. formatting and lints ----------------------------------------------------------------------
lint() { cargo fmt --all --check && cargo clippy --workspace --all-targets -- -D warnings; }
want lint && run_suite lint count_none lint

# 2. #[pg_test]s, in a temporary Postgres that cargo-pgrx runs as the postgres user ------------
pg_tests() {
  # A server environment that asks for Rust backtraces: errors' DETAIL must still carry none
  # (errors::tests::no_rust_backtrace_reaches_the_client).
  export RUST_BACKTRACE=1
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$ROOT/.local/pgrx"; chown postgres "$ROOT/.local" "$ROOT/.local/pgrx"
    cargo pgrx test pg15 --runas postgres --pgdata "$ROOT/.local/pgrx/data"
  else
    cargo pgrx test pg15
  fi
}
if want pg_test; then
  run_suite pg_test count_cargo pg_tests
  # cargo pgrx test installed its debug build, with test-only functions: put the release back.
  rm -f .tools/installed.stamp
fi

# The release build, installed: every suite from here on uses it.
if [ "$ONLY" != lint ] && [ "$ONLY" != pg_test ]; then
  banner "install (release build)"
  make --no-print-directory install >"$LOGS/install.log" 2>&1 || { cat "$LOGS/install.log"; echo "make install failed"; exit 1; }
fi
trap stop_stacks EXIT

# 3. the local stack itself, on a stack of its own ------------------------------------------------
want stack && run_suite stack count_line \
  env STACK_DIR="$ROOT/.local/stack-test" API_PORT=24621 DB_PORT=24622 REST_PORT=24625 scripts/test_stack.sh

# 3b. the domain files equal the migrations, in a scratch cluster of its own ---------------------------
want schema && run_suite schema count_line \
  env PARITY_DIR="$ROOT/.local/schema-parity" PARITY_PORT=24971 scripts/test_schema_parity.sh

# 4. the throwaway test stack: fresh database, migrated ------------------------------------------
if want_any pgtap http clients tokens types isolation cron race readme; then
  banner "throwaway stack ($STACK_DIR)"
  scripts/stack.sh down >/dev/null 2>&1 || true
  rm -rf "$STACK_DIR/db" "$STACK_ENV"
  scripts/stack.sh up >"$LOGS/stack.log" 2>&1 || { cat "$LOGS/stack.log"; echo "the test stack did not start"; exit 1; }
  echo "up: $(grep -E '^(API|REST|DB)_URL' "$STACK_ENV" | tr '\n' ' ')"
fi

# pgTAP: schema, RLS and the schema-wide rules, in the stack named by the environment
pgtap() { scripts/pgtap.sh; }
# HTTP through the real PostgREST with real JWTs, and the migration runner
http() {
  # Cargo builds only the test files tests/Cargo.toml names: a new tests/it/*.rs without its
  # [[test]] entry would silently never run, so it fails the suite instead.
  local f unlisted=0
  for f in tests/it/*.rs; do
    grep -qF "path = \"it/$(basename "$f")\"" tests/Cargo.toml \
      || { echo "http: $f has no [[test]] entry in tests/Cargo.toml: add one"; unlisted=1; }
  done
  [ "$unlisted" = 0 ] || return 1
  cargo test -p pg_convo_integration --no-fail-fast -- --test-threads=4
}
# the seeds' own calls through the official clients
clients() { scripts/clients.sh install && scripts/clients.sh run; }
replayed() { grep -h '^replayed:' "$LOGS/$1.log" | tail -n1 || true; }

# first, while the schema is exactly what the migrations made (the HTTP tests add functions of
# their own): the committed types must equal what the schema generates
want types && run_suite types count_line scripts/test_types.sh
want pgtap && run_suite pgtap count_prove pgtap
want http && run_suite http count_cargo http
if want clients; then
  run_suite clients count_line clients
  SUMMARY+=("                 $(replayed clients)")
fi
# exact counts: the tokenizer crate against tiktoken-rs, the database against OpenAI's tiktoken; then
# what counting costs a backend in memory of its own (a scratch cluster, both ways of loading)
if want tokens; then
  run_suite tokenizer count_cargo cargo test --release -p pg_convo_tokenizer
  run_suite tokens count_line scripts/test_tokens.sh
  run_suite footprint count_line scripts/test_token_footprint.sh
fi
# the specs, then each SQL-held lock taken out on a scratch database: its spec must fail
isolation() { scripts/isolation.sh && scripts/isolation.sh --without-locks; }
want isolation && run_suite isolation count_lines isolation
# the daily retention job, registered by its migration, run once by pg_cron's scheduler
want cron && run_suite cron count_line scripts/test_retention_job.sh
want race && run_suite race count_line scripts/race_test.sh
# every command the README prints works as printed (`make test` itself is the one not run: this
# is it), and so does every supabase-js / supabase-py example
readme() {
  local f
  scripts/check_readme_commands.sh --self-test || return 1
  # the README, then each folder's
  for f in README.md */README.md; do
    echo "# $f"
    scripts/check_readme_commands.sh "$f" || return 1
    if grep -qE '^[[:space:]]*```(js|ts|python)[[:space:]]*$' "$f"; then scripts/check_readme_examples.sh "$f" || return 1; fi
  done
}
want readme && run_suite readme count_lines readme
want_any pgtap http clients tokens types isolation cron race readme && stop_stacks

# 5. upgrade: a 0.1.0 database with data in every domain, upgraded by `make migrate` -----------------
# test_upgrade.sh checks the data and the extension's catalog and leaves the upgraded stack
# running; the pgtap, http and clients suites then run against it too.
if want upgrade; then
  run_suite upgrade count_line env STACK_DIR="$UPGRADE_STACK_DIR" "${UPGRADE_PORTS[@]}" scripts/test_upgrade.sh
  saved=("STACK_DIR=$STACK_DIR" "STACK_ENV=$STACK_ENV" "API_PORT=$API_PORT" "DB_PORT=$DB_PORT" "REST_PORT=$REST_PORT")
  export STACK_DIR="$UPGRADE_STACK_DIR" STACK_ENV="$UPGRADE_STACK_DIR/stack.env" "${UPGRADE_PORTS[@]}"
  run_suite "pgtap@upgraded" count_prove pgtap
  run_suite "http@upgraded" count_cargo http
  run_suite "clients@upgraded" count_line clients
  scripts/test_upgrade.sh stop >/dev/null 2>&1 || true
  export "${saved[@]}"
fi

# 6. the path without pgvector, on a scratch Postgres prefix that lacks it; then the package, installed
# into a scratch Postgres prefix ---------------------------------------------------------------------
want novector && run_suite novector count_line scripts/test_without_pgvector.sh
want package && run_suite package count_line scripts/test_package.sh

# 7. the replica suite: a primary and a hot standby of its own (ports 24961/24962) -----------------
want replica && run_suite replica count_line \
  env REPLICA_DIR="$ROOT/.local/replica" REPLICA_PRIMARY_PORT=24961 REPLICA_STANDBY_PORT=24962 \
  scripts/test_replica.sh

# 8. crash test, last: immediate stops under load on a stack of its own -----------------------------
# (a stack of its own, created afresh by the script)
want crash && run_suite crash count_line \
  env CRASH_STACK_DIR="$ROOT/.local/crash-stack" CRASH_API_PORT=24941 CRASH_DB_PORT=24942 CRASH_REST_PORT=24945 \
  scripts/crash_test.sh

# 8. the HA cluster: a cluster of its own on 24360-24366 (monitor, three nodes, gateway, PostgREST
# rw / ro); the replay suites run against it before the faults (CLUSTER_CLIENTS=1)
want cluster && run_suite cluster count_line \
  env CLUSTER_TEST_DIR="$ROOT/.local/cluster-test" CLUSTER_TEST_PORT=24360 CLUSTER_CLIENTS=1 scripts/test_cluster.sh

finish 0
