#!/usr/bin/env bash
# The isolation specs: each isolation/specs/NAME.spec pins an interleaving of concurrent sessions
# with PostgreSQL's isolation tester (pg_isolation_regress, from postgresql-server-dev-15) and
# compares what every step printed with isolation/expected/NAME.out. See isolation/README.md.
#
#   STACK_ENV=.local/stack.env scripts/isolation.sh [NAME...]      (default: every spec)
#   STACK_ENV=.local/stack.env scripts/isolation.sh --without-locks
#
# --without-locks shows that each lock a spec names is what makes it pass: every
# isolation/without_lock/NAME.sql takes the lock out of the function its `-- function:` header
# names (pg_temp.take_out below: the lock's exact text must be found once, so the file cannot
# quietly stop matching the code), on a scratch database of the same server, freshly migrated;
# spec NAME must then fail, and its output must hold the line its `-- shows:` header gives. The
# function is put back before the next file; the scratch database is dropped at the end. Ends
# with `isolation-without-locks: N passed, M failed`.
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
# regress DBNAME OUTDIR SPEC...: the specs against database DBNAME of the server, results in OUTDIR
regress() {
  local db=$1 out=$2; shift 2
  "$REGRESS" --use-existing --host="$DB_HOST" --port="$DB_PORT" --user="$DB_USER" \
    --dbname="$db" --inputdir="$ROOT/isolation" --outputdir="$out" "$@"
}

if [ "${1:-}" = --without-locks ]; then
  SCRATCH_DB=isolation_without_locks
  SCRATCH_URL="${DB_URL%/*}/$SCRATCH_DB"
  OUT="$ROOT/.local/isolation-results/without_lock"
  rm -rf "$OUT"; mkdir -p "$OUT"
  on_db() { local url=$1; shift; psql "$url" -X -q -v ON_ERROR_STOP=1 "$@"; }
  drop_scratch() { on_db "$DB_URL" -c "drop database if exists $SCRATCH_DB with (force)" >/dev/null 2>&1 || true; }
  trap drop_scratch EXIT
  drop_scratch
  on_db "$DB_URL" -c "create database $SCRATCH_DB" >/dev/null
  { on_db "$SCRATCH_URL" -f sql/supabase_bootstrap.sql && DATABASE_URL=$SCRATCH_URL scripts/migrate.sh; } \
    >"$OUT/migrate.log" 2>&1 || { cat "$OUT/migrate.log"; echo "isolation-without-locks: 0 passed, 1 failed"; exit 1; }
  passed=0 failed=0
  for file in isolation/without_lock/*.sql; do
    name=$(basename "$file" .sql)
    fn=$(sed -n 's/^-- function: //p' "$file"); shows=$(sed -n 's/^-- shows: //p' "$file")
    saved=$(on_db "$SCRATCH_URL" -At -c "select pg_catalog.pg_get_functiondef('$fn'::regprocedure)")
    # the lock's text, found exactly once in the function's definition, replaced
    if ! on_db "$SCRATCH_URL" >"$OUT/$name.apply.log" 2>&1 <<SQL
create function pg_temp.take_out(fn regprocedure, lock_text text, replacement text) returns void
language plpgsql as \$\$
declare
  def text := pg_catalog.pg_get_functiondef(fn);
begin
  if (length(def) - length(replace(def, lock_text, ''))) / length(lock_text) <> 1 then
    raise exception 'the lock is not in % as % expects it', fn, '$file';
  end if;
  execute replace(def, lock_text, replacement);
end
\$\$;
\i $file
SQL
    then
      echo "not ok - $name: $file does not apply"; sed 's/^/#   /' "$OUT/$name.apply.log"; failed=$((failed + 1)); continue
    fi
    set +e
    regress "$SCRATCH_DB" "$OUT/$name" "$name" >"$OUT/$name.log" 2>&1
    rc=$?
    set -e
    printf '%s;\n' "$saved" | on_db "$SCRATCH_URL" >/dev/null   # the function as it was
    if [ "$rc" != 0 ] && grep -qF -- "$shows" "$OUT/$name/results/$name.out" 2>/dev/null; then
      echo "ok - $name fails without its lock, printing: $shows"; passed=$((passed + 1))
    else
      echo "not ok - $name fails without its lock, printing: $shows"
      echo "#   exit status $rc; the output is in $OUT/$name/results/$name.out"; failed=$((failed + 1))
    fi
  done
  echo "isolation-without-locks: $passed passed, $failed failed"
  [ "$failed" = 0 ]; exit
fi

if [ $# -gt 0 ]; then SPECS=("$@"); else
  SPECS=(); for f in isolation/specs/*.spec; do SPECS+=("$(basename "$f" .spec)"); done
fi

# pg_regress writes results/, regression.diffs and regression.out into the output folder
OUT="$ROOT/.local/isolation-results"
rm -rf "$OUT"; mkdir -p "$OUT"
set +e
regress "$DB_NAME" "$OUT" "${SPECS[@]}" 2>&1 | tee "$OUT/run.log"
rc=${PIPESTATUS[0]}
set -e

[ -s "$OUT/regression.diffs" ] && { echo "---- differences ($OUT/regression.diffs) ----"; cat "$OUT/regression.diffs"; }
passed=$(grep -Ec '^(test| ) *[a-z0-9_]+ +\.\.\. ok' "$OUT/run.log" || true)
failed=$(grep -Ec '\.\.\. FAILED|\.\.\. failed' "$OUT/run.log" || true)
# anything that kept a spec from running at all counts as a failure, never as a pass
if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then failed=$(( ${#SPECS[@]} - passed )); [ "$failed" -gt 0 ] || failed=1; fi
echo "isolation: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$rc" = 0 ]
