#!/usr/bin/env bash
# Runs the README's code examples against a running stack, so that every example works as printed.
#
#   STACK_ENV=.local/stack.env scripts/check_readme_examples.sh [FILE]     (default FILE: README.md)
#
# Which examples: every fenced ```js, ```ts and ```python block of FILE (also ```javascript,
# ```typescript, ```py), none skipped. Each runs in a fresh process of its own, with a prelude that
# defines the names an app would have defined elsewhere (keys, a freshly signed-up user and their
# session, a signed-in `supabase` client, a service-role `backend`, an embedding …: see
# tests/readme/prelude.mjs and tests/readme/prelude.py), so the examples are independent of each
# other and of their order. The prelude provides inputs, never results.
#
#   js      an ES module (top-level await works) beside a node_modules link to clients/js's, so
#           `import … from '@supabase/supabase-js'` is the replay suite's pinned supabase-js; run by
#           Node 22 with `--import prelude.mjs`.
#   ts      first `tsc --noEmit --strict` (clients/js's TypeScript) beside a copy of the committed
#           types/database.ts (`import type { Database } from './database'`) and the prelude's
#           declarations (tests/readme/prelude.d.ts); then run like js, by Node's type stripping.
#   python  the venv's python (supabase-py) with types/ on sys.path (`from database import …`),
#           the prelude's names in scope.
#
# An example fails when its process exits non-zero (an exception, an unhandled rejection, a
# compile error), when any HTTP response it gets has a status >= 400 (supabase-js returns
# `{ data, error }` instead of throwing, so the prelude records every response), when a `data` it
# destructures (js/ts: `const { data: x } = await …`) or assigns (python: `x = ….data`) is null,
# or when it runs longer than $EXAMPLE_TIMEOUT seconds (default 60).
#
# Needs: $STACK_ENV (a stack.env file, default .local/stack.env) of a running stack, and the client
# packages (`scripts/clients.sh install`, which this script runs first; idempotent).
# Prints `ok N - FILE:LINE LANG` / `not ok N - FILE:LINE LANG` (the line of the opening fence, then
# the reason and the last lines of the output as `#   ` lines), and ends with
# `readme-examples: N passed, M failed`; exits 1 when any example failed.
set -euo pipefail
# paths given are relative to the caller's directory; the defaults are the repository's
NAME=${1:-}
case $NAME in -*) echo "usage: $0 [FILE]" >&2; exit 2 ;; esac
[ -z "$NAME" ] || FILE=$(realpath -m "$NAME")
[ -z "${STACK_ENV:-}" ] || STACK_ENV=$(realpath -m "$STACK_ENV")
cd "$(dirname "$0")/.."
ROOT=$(pwd)
[ -n "$NAME" ] || { NAME=README.md; FILE=$ROOT/README.md; }
export STACK_ENV=${STACK_ENV:-$ROOT/.local/stack.env}
TIMEOUT=${EXAMPLE_TIMEOUT:-60}
NODE="$ROOT/.tools/node22/node_modules/node/bin/node"
JS="$ROOT/clients/js"
PYTHON="$ROOT/.tools/clients-venv/bin/python"
PRELUDE="$ROOT/tests/readme"

[ -f "$FILE" ] || { echo "readme-examples: no file $NAME" >&2; exit 2; }
[ -f "$STACK_ENV" ] || { echo "readme-examples: no $STACK_ENV: start a stack with 'make up', or set STACK_ENV" >&2; exit 2; }
if ! out=$(scripts/clients.sh install 2>&1); then
  echo "$out" >&2; echo "readme-examples: scripts/clients.sh install failed" >&2; exit 2
fi
# fail fast (not one timeout per example) when the stack is not answering
api_url=$(sed -n 's/^API_URL=//p' "$STACK_ENV"); anon_key=$(sed -n 's/^ANON_KEY=//p' "$STACK_ENV")
[ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$api_url/rest/v1/" -H "apikey: $anon_key")" = 200 ] \
  || { echo "readme-examples: the stack of $STACK_ENV does not answer at $api_url/rest/v1/ (start it)" >&2; exit 2; }

# Outside the repository, so a run leaves nothing behind in it; node_modules is a link, so bare
# imports (the example's and the prelude's) resolve to clients/js's pinned packages.
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
ln -s "$JS/node_modules" "$WORK/node_modules"
echo '{ "private": true, "type": "module" }' > "$WORK/package.json"

# 1. Extract: N.lang, N.line (the opening fence's line), N.code (indentation of the fence removed).
#    Fences of other languages are tracked too, so a fence quoted inside them is not an example.
awk -v dir="$WORK" '
  !open && /^[[:space:]]*```/ {
    open = 1; match($0, /^[[:space:]]*/); indent = RLENGTH
    info = substr($0, indent + 4); sub(/[[:space:]].*$/, "", info)
    lang = (info == "js" || info == "javascript") ? "js" : (info == "ts" || info == "typescript") ? "ts" \
         : (info == "python" || info == "py") ? "python" : ""
    if (lang != "") { n++; print lang > (dir "/" n ".lang"); print NR > (dir "/" n ".line"); printf "" > (dir "/" n ".code") }
    next
  }
  open && /^[[:space:]]*```+[[:space:]]*$/ { open = 0; lang = ""; next }
  open && lang != "" { line = $0; for (i = 0; i < indent && substr(line, 1, 1) == " "; i++) line = substr(line, 2)
                       print line >> (dir "/" n ".code") }
  END { print n + 0 > (dir "/count") }
' "$FILE"
COUNT=$(cat "$WORK/count")

# readme_check FILE: the prelude call that fails a js/ts example whose destructured `data` is null
# or `error` is not (`const { data: s } = await …`, `const { data, error } = await …`).
readme_check() {
  local inside entry key name data=() errors=()
  while IFS= read -r inside; do
    IFS=',' read -ra entries <<<"$inside"
    for entry in "${entries[@]}"; do
      entry=${entry//[[:space:]]/}; key=${entry%%:*}; name=${entry#*:}
      case $key in data) data+=("$name") ;; error) errors+=("$name") ;; esac
    done
  done < <(sed -nE 's/^[[:space:]]*(const|let|var)[[:space:]]*\{([^{}]*)\}[[:space:]]*=[[:space:]]*await\b.*/\2/p' "$1")
  [ $((${#data[@]} + ${#errors[@]})) = 0 ] && return
  local IFS=,
  printf ';readmeCheck({ %s }, { %s })\n' "${data[*]}" "${errors[*]}"
}

# run_example N DIR: runs example N in DIR; its output in DIR/out, the reason it failed (if it did)
# in DIR/why. The example's file starts with LINE blank lines, so that stack traces and compiler
# errors give the README's own line numbers.
run_example() {
  local i=$1 dir=$2 lang line rc=0
  lang=$(cat "$WORK/$i.lang"); line=$(cat "$WORK/$i.line")
  case $lang in
    js|ts)
      local file=block.mjs; [ "$lang" = js ] || file=block.mts
      { head -c "$line" /dev/zero | tr '\0' '\n'; cat "$WORK/$i.code"; readme_check "$WORK/$i.code"; } > "$dir/$file"
      cp "$PRELUDE/prelude.mjs" "$dir/"
      if [ "$lang" = ts ]; then
        cp "$PRELUDE/prelude.d.ts" "$ROOT/types/database.ts" "$dir/"
        # an app's usual settings (a bundler resolves './database'), strict
        cat > "$dir/tsconfig.json" <<'JSON'
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2023", "lib": ["es2023"],
    "module": "esnext", "moduleResolution": "bundler", "types": ["node"], "skipLibCheck": true },
  "files": ["block.mts", "prelude.d.ts"] }
JSON
        (cd "$dir" && timeout "$TIMEOUT" "$NODE" "$JS/node_modules/typescript/bin/tsc" --noEmit --strict -p .) \
          > "$dir/out" 2>&1 || rc=$?
        if [ "$rc" != 0 ]; then
          if [ "$rc" = 124 ]; then echo "tsc timed out after $TIMEOUT s"; else echo "tsc --noEmit --strict: type errors"; fi > "$dir/why"
          return
        fi
      fi
      (cd "$dir" && timeout "$TIMEOUT" "$NODE" --disable-warning=ExperimentalWarning --import ./prelude.mjs "./$file") \
        >> "$dir/out" 2>&1 || rc=$?
      ;;
    python)
      cp "$WORK/$i.code" "$dir/block.py"
      (cd "$dir" && PYTHONPATH="$ROOT/types" PYTHONDONTWRITEBYTECODE=1 \
        timeout "$TIMEOUT" "$PYTHON" "$PRELUDE/prelude.py" block.py "$NAME" "$line") > "$dir/out" 2>&1 || rc=$?
      ;;
  esac
  case $rc in
    0) ;;
    124) echo "timed out after $TIMEOUT s" > "$dir/why" ;;
    *) echo "exit status $rc" > "$dir/why" ;;
  esac
}

# 2. Run and report, one example at a time (each takes a second or two).
passed=0 failed=0
for i in $(seq 1 "$COUNT"); do
  dir="$WORK/$i"; mkdir -p "$dir"
  run_example "$i" "$dir"
  title="$NAME:$(cat "$WORK/$i.line") $(cat "$WORK/$i.lang")"
  if [ ! -f "$dir/why" ]; then
    echo "ok $i - $title"; passed=$((passed + 1))
  else
    echo "not ok $i - $title"
    echo "#   $(cat "$dir/why")"
    # shown under their real names (the line numbers already are the README's)
    DIR=$dir NAME=$NAME perl -pe 's#(file://)?\Q$ENV{DIR}\E/prelude\.mjs#tests/readme/prelude.mjs#g;
                                  s#(file://)?(\Q$ENV{DIR}\E/)?block\.m[jt]s#$ENV{NAME}#g' "$dir/out" \
      | tail -n 25 | sed 's/^/#     /'
    failed=$((failed + 1))
  fi
done
if [ "$COUNT" = 0 ]; then
  echo "# $NAME has no \`\`\`js, \`\`\`ts or \`\`\`python block"
  echo "readme-examples: 0 passed, 1 failed"
  exit 1
fi
echo "readme-examples: $passed passed, $failed failed"
[ "$failed" = 0 ]
