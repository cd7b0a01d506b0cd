#!/usr/bin/env bash
# `make test`: every suite, in order, stopping at the first red one.
#
#   scripts/test.sh            all suites
#   scripts/test.sh SUITE      one of: lint pgrx pgtap http
#
# The pgTAP and HTTP suites run against a throwaway stack of their own (its own data directory
# under .local/test-stack and its own ports), which is stopped afterwards even when a suite fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"
ONLY=${1:-}

export STACK_DIR="$ROOT/.local/test-stack" DB_PORT=54422 API_PORT=54421 REST_PORT=54425
export STACK_ENV="$STACK_DIR/stack.env"
LOGS="$ROOT/.local/test-logs"; mkdir -p "$LOGS"
SUMMARY=()
TOTAL_PASSED=0

banner() { printf '\n\033[1m==== %s ====\033[0m\n' "$*"; }
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

# run_suite NAME COUNTER COMMAND...: runs it with output shown and logged, counts its tests.
run_suite() {
  local name=$1 counter=$2; shift 2
  local log="$LOGS/$name.log"
  banner "$name"
  set +e; "$@" 2>&1 | tee "$log"; local rc=${PIPESTATUS[0]}; set -e
  local passed; passed=$("$counter" "$log")
  if [ "$rc" != 0 ]; then
    SUMMARY+=("$(printf '%-8s FAILED (exit %s, log %s)' "$name" "$rc" "$log")")
    finish 1
  fi
  SUMMARY+=("$(printf '%-8s ok     %s passed' "$name" "$passed")")
  TOTAL_PASSED=$((TOTAL_PASSED + passed))
}

count_cargo() { grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$1" | awk '{s+=$4} END {print s+0}'; }
count_prove() { grep -Eo 'Tests=[0-9]+' "$1" | tail -n1 | cut -d= -f2 || echo 0; }
count_none()  { echo 0; }

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

stop_stack() { scripts/stack.sh down >/dev/null 2>&1 || true; }

# 1. formatting and lints ----------------------------------------------------------------------
lint() { cargo fmt --all --check && cargo clippy --workspace --all-targets -- -D warnings; }
want lint && run_suite lint count_none lint

# 2. #[pg_test]s, in a temporary Postgres that cargo-pgrx runs as the postgres user ------------
pgrx_tests() {
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
if want pgrx; then
  run_suite pgrx count_cargo pgrx_tests
  # cargo pgrx test installed its debug build, with test-only functions: put the release back.
  rm -f .tools/installed.stamp
fi

# 3. the throwaway stack: release build installed, fresh database, migrated -------------------
if want pgtap || want http; then
  banner "throwaway stack ($STACK_DIR)"
  make --no-print-directory install >"$LOGS/install.log" 2>&1 || { cat "$LOGS/install.log"; echo "make install failed"; exit 1; }
  trap stop_stack EXIT
  scripts/stack.sh down >/dev/null 2>&1 || true
  rm -rf "$STACK_DIR/db" "$STACK_ENV"
  scripts/stack.sh up >"$LOGS/stack.log" 2>&1 || { cat "$LOGS/stack.log"; echo "the test stack did not start"; exit 1; }
  echo "up: $(grep -E '^(API|REST|DB)_URL' "$STACK_ENV" | tr '\n' ' ')"
fi

# 4. pgTAP: schema, RLS and bootstrap checks in the migrated database --------------------------
pgtap() {
  scripts/stack.sh psql -f sql/test_helpers.sql >/dev/null
  # the suites compare the history table with the files on disk
  local versions; versions=$(ls migrations/*.sql | xargs -n1 basename | cut -c1-14 | paste -sd,)
  PGPASSWORD=postgres PGOPTIONS="-c convo_test.migration_versions=$versions" \
    pg_prove -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres --ext .sql -r pgrx-tests/
}
want pgtap && run_suite pgtap count_prove pgtap

# 5. HTTP through the real PostgREST with real JWTs, and the migration runner -------------------
http() { cargo test -p pg_convo_integration --no-fail-fast -- --test-threads=4; }
want http && run_suite http count_cargo http

finish 0
