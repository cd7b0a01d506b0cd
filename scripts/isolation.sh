#!/usr/bin/env bash
# The isolation specs: each isolation/specs/NAME.spec pins an interleaving of concurrent sessions
# with PostgreSQL's isolation tester (pg_isolation_regress, from postgresql-server-dev-15) and
# compares what every step printed with isolation/expected/NAME.out. See isolation/README.md.
#
#   STACK_ENV=.local/stack.env scripts/isolation.sh [NAME...]      (default: every spec)
#
# Runs against a running, migrated stack: DB_URL from $STACK_ENV, else $DB_URL, else the local
# stack's default. The specs create and delete their own users and phone numbers.
# Ends with `isolation: N passed, M failed`; exits non-zero when M > 0 or nothing could run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [ -n "${STACK_ENV:-}" ]; then
  DB_URL=$(sed -n 's/^DB_URL=//p' "$STACK_ENV")
fi
DB_URL=${DB_URL:-postgresql://postgres:postgres@127.0.0.1:${DB_PORT:-54322}/postgres}
url_re='^postgres(ql)?://([^:@/]+)(:([^@/]*))?@([^:/]+)(:([0-9]+))?/([^?]+)'
[[ $DB_URL =~ $url_re ]] || { echo "isolation: cannot parse DB_URL ($DB_URL)"; exit 2; }
DB_USER=${BASH_REMATCH[2]} DB_HOST=${BASH_REMATCH[5]} DB_PORT=${BASH_REMATCH[7]:-5432} DB_NAME=${BASH_REMATCH[8]}
export PGPASSWORD=${BASH_REMATCH[4]}

REGRESS="$(/usr/bin/pg_config --pkglibdir)/pgxs/src/test/isolation/pg_isolation_regress"
if [ ! -x "$REGRESS" ]; then
  echo "isolation: cannot run: $REGRESS is missing (install postgresql-server-dev-15)"
  echo "isolation: 0 passed, 1 failed"
  exit 2
fi

if [ $# -gt 0 ]; then SPECS=("$@"); else
  SPECS=(); for f in isolation/specs/*.spec; do SPECS+=("$(basename "$f" .spec)"); done
fi

# pg_regress writes results/, regression.diffs and regression.out into the output folder
OUT="$ROOT/.local/isolation-results"
rm -rf "$OUT"; mkdir -p "$OUT"
set +e
"$REGRESS" --use-existing --host="$DB_HOST" --port="$DB_PORT" --user="$DB_USER" \
  --dbname="$DB_NAME" --inputdir="$ROOT/isolation" --outputdir="$OUT" "${SPECS[@]}" 2>&1 | tee "$OUT/run.log"
rc=${PIPESTATUS[0]}
set -e

[ -s "$OUT/regression.diffs" ] && { echo "---- differences ($OUT/regression.diffs) ----"; cat "$OUT/regression.diffs"; }
passed=$(grep -Ec '^(test| ) *[a-z0-9_]+ +\.\.\. ok' "$OUT/run.log" || true)
failed=$(grep -Ec '\.\.\. FAILED|\.\.\. failed' "$OUT/run.log" || true)
# anything that kept a spec from running at all counts as a failure, never as a pass
if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then failed=$(( ${#SPECS[@]} - passed )); [ "$failed" -gt 0 ] || failed=1; fi
echo "isolation: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$rc" = 0 ]
