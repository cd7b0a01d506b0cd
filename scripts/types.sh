#!/usr/bin/env bash
# `make types`: the app's typed API — types/database.ts (supabase-js) and types/database.py
# (supabase-py) — generated from a freshly migrated database by Supabase's own type generator,
# postgres-meta, run exactly as `supabase gen types --local` runs it.
#
#   scripts/types.sh install     the pinned generator (types/generator/package-lock.json) into
#                                .tools/postgres-meta; idempotent, a second run takes a second
#   scripts/types.sh [generate]  install, then generate into $TYPES_OUT (default types/)
#
# Which database: $TYPES_DB_URL when set (scripts/test_types.sh passes the test stack's), else a
# throwaway stack of its own — fresh database, all migrations — in $TYPES_STACK_DIR (default
# .local/types-stack) on $TYPES_DB_PORT/$TYPES_API_PORT/$TYPES_REST_PORT (default
# 24722/24721/24725), stopped afterwards. These are not stack.sh's STACK_DIR/DB_PORT… on
# purpose: `make test` exports those for its own stack, which this script must never wipe.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TOOLS="$ROOT/.tools"
GENERATOR_PKG="$ROOT/types/generator"             # package.json + package-lock.json (the pin)
GENERATOR_DIR="$TOOLS/postgres-meta"
SERVER="$GENERATOR_DIR/node_modules/@supabase/postgres-meta/dist/server/server.js"
OUT=${TYPES_OUT:-$ROOT/types}

say()  { printf '\033[1m[types]\033[0m %s\n' "$*" >&2; }
fail() { printf '[types] FAILED: %s\n' "$1" >&2; [ -n "${2:-}" ] && printf '[types] fix: %s\n' "$2" >&2; exit 1; }

# The project's Node (scripts/clients.sh installs Node 22 into .tools/node22), else a Node >= 20
# on PATH (postgres-meta's engines field).
find_node() {
  local pinned="$TOOLS/node22/node_modules/node/bin/node"
  if "$pinned" --version >/dev/null 2>&1; then echo "$pinned"; return; fi
  if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ]; then
    command -v node; return
  fi
  fail "no Node.js >= 20" "run scripts/bootstrap.sh (it installs Node 22 through scripts/clients.sh install)"
}

install() {
  command -v npm >/dev/null || fail "npm not found" "run scripts/bootstrap.sh (it installs npm)"
  local lock; lock=$(sha256sum "$GENERATOR_PKG/package-lock.json" | cut -d' ' -f1)
  [ -f "$SERVER" ] && [ "$(cat "$GENERATOR_DIR/.installed" 2>/dev/null)" = "$lock" ] && return 0
  local version; version=$(sed -n 's/.*"@supabase\/postgres-meta": "\(.*\)".*/\1/p' "$GENERATOR_PKG/package.json")
  say "installing @supabase/postgres-meta $version into ${GENERATOR_DIR#"$ROOT"/} (npm ci, pinned by types/generator/package-lock.json)"
  rm -rf "$GENERATOR_DIR"; mkdir -p "$GENERATOR_DIR"
  cp "$GENERATOR_PKG/package.json" "$GENERATOR_PKG/package-lock.json" "$GENERATOR_DIR/"
  # --ignore-scripts: the only install script is Sentry's optional CPU profiler, unused here
  (cd "$GENERATOR_DIR" && npm ci --ignore-scripts --no-audit --no-fund >"$GENERATOR_DIR/install.log" 2>&1) \
    || { tail -n 8 "$GENERATOR_DIR/install.log" >&2; fail "npm ci @supabase/postgres-meta" "check that the npm registry is reachable (npm ping)"; }
  [ -f "$SERVER" ] || fail "postgres-meta installed, but $SERVER is missing" "inspect $GENERATOR_DIR"
  echo "$lock" > "$GENERATOR_DIR/.installed"
}

# generate_one LANG FILE DB_URL: postgres-meta in type-generation mode prints the file and exits.
# The environment is the CLI's (supabase/cli internal/gen/types): schema `public` (the only one
# this project's PostgREST exposes, db-schemas = "public"; the CLI adds graphql_public, which does
# not exist here and would change nothing), one-to-one relationships detected (PostgREST >= 10),
# and no PG_META_POSTGREST_VERSION, as `--local` does.
generate_one() {
  local lang=$1 file=$2 db_url=$3 node
  node=$(find_node) || exit 1
  local tmp="$file.tmp" log="$file.log"
  if ! env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
      PG_META_DB_URL="$db_url" \
      PG_META_GENERATE_TYPES="$lang" \
      PG_META_GENERATE_TYPES_INCLUDED_SCHEMAS=public \
      PG_META_GENERATE_TYPES_DETECT_ONE_TO_ONE_RELATIONSHIPS=true \
      "$node" "$SERVER" >"$tmp" 2>"$log" || [ ! -s "$tmp" ]; then
    sed 's/^/  | /' "$log" >&2; rm -f "$tmp" "$log"
    fail "postgres-meta could not generate $lang types from $db_url" "is that database up and migrated?"
  fi
  mv "$tmp" "$file"; rm -f "$log"
}

# A throwaway stack: fresh database, every migration, stopped on exit; sets DB_URL.
TYPES_STACK_DIR=${TYPES_STACK_DIR:-$ROOT/.local/types-stack}
TYPES_STACK_ENV=(STACK_DIR="$TYPES_STACK_DIR" DB_PORT="${TYPES_DB_PORT:-24722}"
                 API_PORT="${TYPES_API_PORT:-24721}" REST_PORT="${TYPES_REST_PORT:-24725}")
stop_stack() { env "${TYPES_STACK_ENV[@]}" scripts/stack.sh down >/dev/null 2>&1 || true; }
throwaway_stack() {
  [ -f "$(/usr/bin/pg_config --pkglibdir)/pg_convo.so" ] \
    || fail "the pg_convo extension is not installed" "make install (or run make types, which does it)"
  trap stop_stack EXIT
  stop_stack
  rm -rf "$TYPES_STACK_DIR/db" "$TYPES_STACK_DIR/stack.env"
  say "starting a throwaway stack in ${TYPES_STACK_DIR#"$ROOT"/} (fresh database, all migrations)"
  mkdir -p "$TYPES_STACK_DIR"
  local log="$TYPES_STACK_DIR/up.log"
  env "${TYPES_STACK_ENV[@]}" scripts/stack.sh up >"$log" 2>&1 \
    || { tail -n 20 "$log" >&2; fail "the throwaway stack did not start" "see ${log#"$ROOT"/}"; }
  DB_URL=$(sed -n 's/^DB_URL=//p' "$TYPES_STACK_DIR/stack.env")
}

# fix_python_types FILE DB_URL: three fixes to postgres-meta 0.99.0's Python output, without which
# it does not import, or rejects rows the API returns (scripts/test_types.sh validates real rows):
#  - a column named like a module the file imports (reservations.datetime) shadows that module
#    inside its pydantic class, so `datetime.datetime` there means the field: those classes use
#    an alias of the module instead (`import datetime as _datetime`);
#  - a column of a type outside the generated schemas (chat_messages.message_tsv, a tsvector) is
#    annotated with a class the file never defines (PgCatalogTsvector): it becomes Any, as the
#    TypeScript output has `unknown`;
#  - a pgvector column comes back from PostgREST as text ('[0.1,0.2]'), typed `string` in the
#    TypeScript output but list[Any] in the Python row class: there it becomes str.
# The TypeScript file is the generator's output unchanged.
fix_python_types() {
  local vectors
  vectors=$("$(/usr/bin/pg_config --bindir)/psql" -X -q -At -F ' ' -v ON_ERROR_STOP=1 "$2" -c "
    select c.relname, a.attname from pg_attribute a
    join pg_class c on c.oid = a.attrelid join pg_type t on t.oid = a.atttypid
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v', 'm', 'p', 'f')
      and a.attnum > 0 and not a.attisdropped and t.typname = 'vector'") \
    || fail "could not read the vector columns from $2"
  python3 - "$1" "$vectors" <<'PY'
import re, sys
path, vectors = sys.argv[1], [line.split() for line in sys.argv[2].splitlines() if line]
src = open(path, encoding='utf-8').read()
py_class = lambda name: ''.join(w[:1].upper() + w[1:] for w in re.split(r'[^a-zA-Z0-9]', name))
for relation, column in vectors:
    src, n = re.subn(rf'(?m)(^class Public{py_class(relation)}\(BaseModel\):\n(?:    .*\n)*?    {column}: (?:Optional\[)?)list\[Any\]',
                     r'\1str', src)
    if n != 1:
        sys.exit(f'pgvector column {relation}.{column}: no list[Any] annotation to fix in {path}')
modules = re.findall(r'^import (\w+)$', src, re.M)
blocks = re.split(r'(?m)^(?=class )', src)
aliased = set()
for i, block in enumerate(blocks):
    if not block.startswith('class ') or '(BaseModel):' not in block.split('\n', 1)[0]:
        continue
    fields = set(re.findall(r'^    (\w+): .* = Field\(', block, re.M))
    for module in sorted(fields.intersection(modules)):
        block = re.sub(rf'(?<![\w."]){module}\.', f'_{module}.', block)
        aliased.add(module)
    blocks[i] = block
src = ''.join(blocks)
defined = set(re.findall(r'^(?:class )?(\w+)\b', src, re.M))
undefined = sorted(set(re.findall(r'\b(PgCatalog\w+)\b', src)) - defined)
added = [f'import {m} as _{m}  # pg_convo: for the classes with a column named {m}' for m in sorted(aliased)]
added += [f'{name}: TypeAlias = Any  # pg_convo: a Postgres type outside the generated schemas' for name in undefined]
if added:
    anchor = re.search(r'^from pydantic import .*$', src, re.M)
    src = src[:anchor.end()] + '\n' + '\n'.join(added) + src[anchor.end():]
open(path, 'w', encoding='utf-8').write(src)
PY
}

generate() {
  install
  DB_URL=${TYPES_DB_URL:-}
  [ -n "$DB_URL" ] || throwaway_stack
  mkdir -p "$OUT"
  generate_one typescript "$OUT/database.ts" "$DB_URL"
  generate_one python "$OUT/database.py" "$DB_URL"
  fix_python_types "$OUT/database.py" "$DB_URL"
  say "wrote ${OUT#"$ROOT"/}/database.ts ($(wc -l <"$OUT/database.ts") lines) and ${OUT#"$ROOT"/}/database.py ($(wc -l <"$OUT/database.py") lines)"
}

case "${1:-generate}" in
  install) install ;;
  generate) generate ;;
  *) echo "usage: scripts/types.sh [install|generate]" >&2; exit 2 ;;
esac
