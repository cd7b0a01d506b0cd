#!/usr/bin/env bash
# The typed-client suite of `make test`:
#   1. types/ is fresh: regenerated from the stack's database, it equals what is committed;
#   2. the freshness check works: an altered copy (a column removed) is reported stale;
#   3. the schema's comments reach developers (the generator carries none, see types/README.md):
#      every table, column and RPC comment is in PostgREST's OpenAPI description;
#   4. types/database.py describes what the API returns: real rows of every table validate;
#   5. the supabase-js replay suite compiles: tsc --noEmit --strict, createClient<Database>;
#   6. tsc catches a seed call the schema does not have: deliberately wrong names in a temp copy.
# Ends with `types: N passed, M failed`.
#
# The stack: STACK_ENV (a stack.env; default .local/test-stack/stack.env, which `make test`
# starts). With none running, a throwaway stack of its own (scripts/types.sh's TYPES_* ports).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
NODE_BIN="$ROOT/.tools/node22/node_modules/node/bin"
VENV="$ROOT/.tools/clients-venv"
JS="$ROOT/clients/js"
STALE_MESSAGE='types/ is stale: run `make types` and commit the result'
PASSED=0 FAILED=0

pass() { PASSED=$((PASSED + 1)); printf 'ok   %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s\n' "$1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/     | /'; }
die()  { printf '[types] %s\n' "$1" >&2; echo "types: $PASSED passed, $((FAILED + 1)) failed"; exit 1; }

WORK=$(mktemp -d)
OWN_STACK=()
cleanup() {
  [ ${#OWN_STACK[@]} = 0 ] || env "${OWN_STACK[@]}" scripts/stack.sh down >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- the stack ---------------------------------------------------------------------------------
answers() { [ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$1/")" = 200 ]; }
env_file=${STACK_ENV:-$ROOT/.local/test-stack/stack.env}
rest_url=$(sed -n 's/^REST_URL=//p' "$env_file" 2>/dev/null)
if [ -z "$rest_url" ] || ! answers "$rest_url"; then
  [ -z "${STACK_ENV:-}" ] || die "the stack of STACK_ENV=$STACK_ENV does not answer (start it, or unset STACK_ENV)"
  OWN_STACK=(STACK_DIR="${TYPES_STACK_DIR:-$ROOT/.local/types-stack}" DB_PORT="${TYPES_DB_PORT:-24722}"
             API_PORT="${TYPES_API_PORT:-24721}" REST_PORT="${TYPES_REST_PORT:-24725}")
  echo "[types] no test stack running: a throwaway stack of its own (fresh database, all migrations)"
  env "${OWN_STACK[@]}" scripts/stack.sh down >/dev/null 2>&1
  rm -rf "${OWN_STACK[0]#STACK_DIR=}/db"
  env "${OWN_STACK[@]}" scripts/stack.sh up >"$WORK/stack.log" 2>&1 || die "the stack did not start: $(tail -n 5 "$WORK/stack.log")"
  env_file="${OWN_STACK[0]#STACK_DIR=}/stack.env"
fi
DB_URL=$(sed -n 's/^DB_URL=//p' "$env_file")
REST_URL=$(sed -n 's/^REST_URL=//p' "$env_file")
SERVICE_ROLE_KEY=$(sed -n 's/^SERVICE_ROLE_KEY=//p' "$env_file")
export DB_URL REST_URL SERVICE_ROLE_KEY

# --- 1-2. freshness ----------------------------------------------------------------------------
# types_stale COMMITTED_DIR GENERATED_DIR: says what differs and returns 1 when they differ.
types_stale() {
  local f stale=0
  for f in database.ts database.py; do
    if ! cmp -s "$1/$f" "$2/$f"; then
      stale=1
      echo "types/$f differs from what the schema generates:"
      diff -u --label "committed types/$f" --label "generated" "$1/$f" "$2/$f" | head -n 12
    fi
  done
  [ "$stale" = 0 ] || { echo "$STALE_MESSAGE"; return 1; }
}

mkdir -p "$WORK/generated"
TYPES_DB_URL="$DB_URL" TYPES_OUT="$WORK/generated" scripts/types.sh >"$WORK/generate.log" 2>&1 \
  || die "scripts/types.sh could not generate the types: $(tail -n 8 "$WORK/generate.log")"

if report=$(types_stale "$ROOT/types" "$WORK/generated"); then
  pass "types/database.ts and types/database.py equal what the migrated schema generates"
else
  fail "$STALE_MESSAGE" "$report"
fi

# The demonstration: a copy of the generated file with one column removed must be reported stale.
mkdir -p "$WORK/altered"; cp "$WORK/generated"/database.* "$WORK/altered/"
column_line=$(grep -n -m1 '^          full_name: string | null$' "$WORK/altered/database.ts" | cut -d: -f1)
if [ -z "$column_line" ]; then
  fail "stale check demonstration: no profiles.full_name line to remove in database.ts"
else
  sed -i "${column_line}d" "$WORK/altered/database.ts"
  if report=$(types_stale "$WORK/altered" "$WORK/generated"); then
    fail "a database.ts with a column removed was NOT reported stale"
  elif grep -qF "$STALE_MESSAGE" <<<"$report" && grep -q '^+ *full_name: string | null' <<<"$report"; then
    pass "a database.ts with a column removed is reported stale, naming the column and \`make types\`"
  else
    fail "a database.ts with a column removed was reported stale without the message or the column" "$report"
  fi
fi

# --- 3. comments -------------------------------------------------------------------------------
# postgres-meta's generators emit no COMMENT (supabase/postgres-meta#839): assert what the file
# carries, so a generator upgrade that starts carrying them shows up here.
jsdoc=$(grep -c '/\*\*' "$WORK/generated/database.ts")
echo "note: the generated database.ts carries $jsdoc doc comments (postgres-meta emits none; the schema's comments are served by the OpenAPI description below)"
curl -sf "$REST_URL/" -H "Authorization: Bearer $SERVICE_ROLE_KEY" -H 'Accept: application/openapi+json' >"$WORK/openapi.json" \
  || die "PostgREST's OpenAPI description did not answer at $REST_URL/"
"$(/usr/bin/pg_config --bindir)/psql" -X -q -At -F $'\t' -v ON_ERROR_STOP=1 "$DB_URL" >"$WORK/comments.tsv" <<'SQL' \
  || die "could not read the schema's comments from $DB_URL"
-- every comment on what PostgREST serves from public: tables/views, their columns, RPCs (functions
-- that are not triggers and not computed relationships, whose one argument is a table's row)
select 'table', c.relname, '', replace(replace(d.description, E'\n', ' '), E'\t', ' ')
from pg_class c join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v', 'm', 'p', 'f')
union all
select 'column', c.relname, a.attname, replace(replace(d.description, E'\n', ' '), E'\t', ' ')
from pg_class c join pg_attribute a on a.attrelid = c.oid
join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = a.attnum
where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v', 'm', 'p', 'f')
union all
select 'rpc', p.proname, '', replace(replace(d.description, E'\n', ' '), E'\t', ' ')
from pg_proc p join pg_description d on d.objoid = p.oid and d.classoid = 'pg_proc'::regclass
where p.pronamespace = 'public'::regnamespace and p.prorettype <> 'trigger'::regtype
  and not (p.pronargs = 1 and exists (select from pg_type t where t.oid = p.proargtypes[0] and t.typrelid <> 0))
order by 1, 2, 3;
SQL
if report=$(python3 - "$WORK/openapi.json" "$WORK/comments.tsv" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
squash = lambda s: ' '.join((s or '').split())
missing, counts = [], {'table': 0, 'column': 0, 'rpc': 0}
for line in open(sys.argv[2], encoding='utf-8'):
    kind, rel, col, text = line.rstrip('\n').split('\t')
    counts[kind] += 1
    if kind == 'table':
        served = spec['definitions'].get(rel, {}).get('description')
    elif kind == 'column':
        served = spec['definitions'].get(rel, {}).get('properties', {}).get(col, {}).get('description')
    else:
        op = spec['paths'].get(f'/rpc/{rel}', {})
        op = op.get('post') or op.get('get') or {}
        served = f"{op.get('summary', '')} {op.get('description', '')}"
    if squash(text) not in squash(served):
        missing.append(f'{kind} {rel}{"." + col if col else ""}: not in the OpenAPI description')
print(f"{counts['table']} table, {counts['column']} column and {counts['rpc']} RPC comments")
print('\n'.join(missing))
sys.exit(1 if missing or counts['rpc'] == 0 else 0)
PY
); then
  pass "the schema's $(head -n1 <<<"$report") are in PostgREST's OpenAPI description"
else
  fail "comments missing from PostgREST's OpenAPI description" "$report"
fi

# --- 4. the Python types against real rows -----------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  fail "types/database.py: no Python with pydantic at $VENV" "scripts/clients.sh install"
elif report=$(cd "$WORK" && "$VENV/bin/python" - "$WORK/generated/database.py" <<'PY' 2>&1
# Every row the service role can read (up to 50 per table or view) validates against its class.
import json, os, re, sys, urllib.request
sys.path.insert(0, os.path.dirname(sys.argv[1]))
import database   # as an app imports it (pydantic resolves the annotations through sys.modules)
openapi = json.load(open('openapi.json'))
rows_checked, relations, errors = 0, 0, []
for relation in sorted(openapi['definitions']):
    model = getattr(database, 'Public' + ''.join(w[:1].upper() + w[1:] for w in re.split(r'[^a-zA-Z0-9]', relation)), None)
    if model is None:
        errors.append(f'{relation}: no class in database.py'); continue
    request = urllib.request.Request(f"{os.environ['REST_URL']}/{relation}?limit=50",
        headers={'Authorization': f"Bearer {os.environ['SERVICE_ROLE_KEY']}"})
    rows = json.load(urllib.request.urlopen(request, timeout=10))
    relations += 1
    for row in rows:
        try:
            model.model_validate(row); rows_checked += 1
        except Exception as e:
            errors.append(f'{relation}: {e}'.splitlines()[0])
print(f'{rows_checked} rows of {relations} tables and views')
print('\n'.join(errors[:10]))
sys.exit(1 if errors or rows_checked == 0 else 0)
PY
); then
  pass "types/database.py validates $(head -n1 <<<"$report") read through the API"
else
  fail "types/database.py does not describe what the API returns" "$report"
fi

# --- 5-6. the TypeScript client tests under tsc --strict ---------------------------------------
TSC="$JS/node_modules/.bin/tsc"
if [ ! -x "$TSC" ] || [ ! -x "$NODE_BIN/node" ]; then
  fail "tsc: clients/js is not installed" "scripts/clients.sh install"
else
  # A copy of clients/js and the freshly generated types, so the check never writes into the repo.
  mirror() {
    rm -rf "$WORK/$1"; mkdir -p "$WORK/$1/clients/js" "$WORK/$1/types"
    cp "$JS"/*.ts "$JS"/tsconfig.json "$JS"/package.json "$WORK/$1/clients/js/"
    ln -s "$JS/node_modules" "$WORK/$1/clients/js/node_modules"
    cp "$WORK/generated/database.ts" "$ROOT/types/package.json" "$WORK/$1/types/"
  }
  tsc() { PATH="$NODE_BIN:$PATH" "$TSC" --noEmit --strict -p "$WORK/$1/clients/js" 2>&1; }

  mirror typed
  if report=$(tsc typed); then
    pass "the supabase-js replay suite compiles: tsc --noEmit --strict, createClient<Database> ($(ls "$JS"/*.test.ts | wc -l) files)"
  else
    fail "tsc --noEmit --strict over clients/js" "$(head -n 20 <<<"$report")"
  fi

  # The demonstration: one deliberately wrong name of each kind; each must be a compile error.
  mirror wrong
  # wrong FILE FROM TO WHAT: replaces FROM by TO (once) in the copy of FILE, remembers where.
  EXPECTED=()
  wrong() {
    local file="$WORK/wrong/clients/js/$1" line
    line=$(grep -nF -m1 -- "$2" "$file" | cut -d: -f1)
    if [ -z "$line" ]; then fail "tsc demonstration: \"$2\" is no longer in clients/js/$1 (update the demo)"; return; fi
    FROM="$2" TO="$3" perl -i -pe 'if ($. == '"$line"') { s/\Q$ENV{FROM}\E/$ENV{TO}/ }' "$file"
    EXPECTED+=("$1($line,|$4")
  }
  wrong seed_000_understand_me.test.ts "title: 'Kitchen rota'," "titel: 'Kitchen rota'," "a column the table lacks, in an insert"
  wrong seed_001_bondhu_frontend.test.ts "update({ personality_llm_context:" "update({ personality_context:" "a column the table lacks, in an update"
  wrong seed_003_data_layers.test.ts ".select('role, content')" ".select('role, contents')" "a column the table lacks, in a select"
  wrong seed_002_twilio_aldea.test.ts "{ p_phone_number: p }" "{ p_phone: p }" "an RPC parameter the function lacks"
  wrong seed_004_tavus_mentor.test.ts "rpc('get_mentor_context')" "rpc('get_mentor_contexts')" "an RPC the schema lacks"
  wrong seed_004_tavus_mentor.test.ts ".eq('mentor_conversation_id', conversation.id).single());" ".eq('conversation_id', conversation.id).single());" "an .eq() filter on a column the table lacks"
  report=$(tsc wrong); rc=$?
  for expected in "${EXPECTED[@]}"; do
    location=${expected%%|*} what=${expected#*|}
    if [ "$rc" != 0 ] && grep -qF "$location" <<<"$report"; then
      pass "tsc refuses $what ($(grep -F -m1 "$location" <<<"$report" | sed 's/^.*error //' | cut -c1-90)…)"
    else
      fail "tsc did not refuse $what (expected an error at ${location%,})" "$(head -n 10 <<<"$report")"
    fi
  done
fi

echo "types: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
