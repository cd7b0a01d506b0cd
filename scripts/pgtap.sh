#!/usr/bin/env bash
# Runs pgTAP suites (pgrx-tests/*.sql) against a running stack.
#
#   scripts/pgtap.sh                                   every suite in pgrx-tests/
#   scripts/pgtap.sh pgrx-tests/10_chat.sql [FILE...]  some of them
#   scripts/pgtap.sh -v pgrx-tests/10_chat.sql         pg_prove options pass through
#
# The stack is the one $STACK_ENV describes (default: .local/stack.env, the `make up` stack).
# Before pg_prove it loads the test-helper library (sql/test_helpers.sql, schema `tests`) and
# tells the suites which migrations exist on disk (convo_test.migration_versions, compared with
# the stack's migration history by 00_foundation.sql). Every suite rolls back: the database is
# left as it was, apart from the helper library itself.
set -euo pipefail
# paths given (files, STACK_ENV) are relative to the caller's directory
args=()
for arg in "$@"; do
  if [ -e "$arg" ]; then args+=("$(realpath "$arg")"); else args+=("$arg"); fi
done
set -- "${args[@]+"${args[@]}"}"
[ -z "${STACK_ENV:-}" ] || STACK_ENV=$(realpath -m "$STACK_ENV")
cd "$(dirname "$0")/.."

STACK_ENV=${STACK_ENV:-.local/stack.env}
[ -f "$STACK_ENV" ] || { echo "pgtap: no $STACK_ENV: start a stack with 'make up', or set STACK_ENV" >&2; exit 2; }
DB_URL=$(sed -n 's/^DB_URL=//p' "$STACK_ENV")
[ -n "$DB_URL" ] || { echo "pgtap: $STACK_ENV has no DB_URL=" >&2; exit 2; }

# no file named: every suite
has_file=false
for arg in "$@"; do [ ! -e "$arg" ] || has_file=true; done
$has_file || set -- "$@" pgrx-tests/

PGOPTIONS="-c client_min_messages=warning" \
  psql -X -q -v ON_ERROR_STOP=1 -d "$DB_URL" -f sql/test_helpers.sql >/dev/null

versions=$(for f in migrations/*.sql; do basename "$f" | cut -c1-14; done | paste -sd,)
PGOPTIONS="-c convo_test.migration_versions=$versions -c client_min_messages=warning" exec pg_prove -d "$DB_URL" --ext .sql -r "$@"
