#!/usr/bin/env bash
# Runs the README's runnable commands against a running stack, so that every command it prints
# works as printed.
#
#   STACK_ENV=.local/stack.env scripts/check_readme_commands.sh [FILE]     (default FILE: README.md)
#   scripts/check_readme_commands.sh --self-test                           the checker itself
#
# Which commands: the fenced ```sh (or ```bash) blocks that come right after a line
#
#   <!-- check: run -->
#
# (blank lines between the mark and the fence are allowed; a mark with no such block is itself a
# failure). In such a block:
#   * every line that is not blank and not a comment is a command; a line ending in `\`
#     continues on the next line;
#   * comment lines directly below a command (`# …`, no blank line in between) are the output it
#     must print on stdout: compared as JSON when both sides are JSON (key order and spacing
#     free), else as text (each line trimmed); a comment above a command, or after a blank line,
#     is just a comment;
#   * every command must exit 0.
# All commands run in order in ONE bash session started in the repository root, as a reader
# typing them into one terminal would: `. .local/stack.env` in one block holds for the next ones.
# Blocks that start, stop or rebuild things (`make up`, `make test`, `make install` …) must stay
# unmarked.
#
# Against which stack: $STACK_ENV (default .local/stack.env, the `make up` stack). Its folder and
# ports are exported as STACK_DIR, DB_PORT, API_PORT, REST_PORT, so `make status`,
# `make token SUB=…` and scripts/*.sh talk to it, and the literal path `.local/stack.env` in a
# command is replaced by $STACK_ENV.
#
# Prints `ok N - FILE:LINE command` / `not ok N - …` (with the exit status, the expected and
# actual output, stderr), and ends with `readme: N passed, M failed`. The whole session is
# stopped after $CHECK_TIMEOUT seconds (default 300); commands it did not reach fail.
set -euo pipefail
# paths given are relative to the caller's directory; the defaults are the repository's
NAME=${1:-}
[ -z "$NAME" ] || [[ $NAME == -* ]] || FILE=$(realpath -m "$NAME")
[ -z "${STACK_ENV:-}" ] || STACK_ENV=$(realpath -m "$STACK_ENV")
cd "$(dirname "$0")/.."
ROOT=$(pwd)
[ -n "$NAME" ] || { NAME=README.md; FILE=$ROOT/README.md; }
STACK_ENV=${STACK_ENV:-$ROOT/.local/stack.env}

# --self-test: this checker on a fixture README (no stack needed), so that it cannot quietly pass
# everything: each case below must come out ok / not ok as listed.
if [ "${1:-}" = --self-test ]; then
  T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
  printf 'API_URL=http://127.0.0.1:1\nREST_URL=http://127.0.0.1:2\nDB_URL=postgresql://u:p@127.0.0.1:3/postgres\n' > "$T/stack.env"
  cat > "$T/README.md" <<'FIXTURE'
Unmarked: never run.
```sh
false
```
<!-- check: run -->

```sh
# a comment above a command is only a comment
. .local/stack.env
echo "$API_URL $DB_PORT"
# http://127.0.0.1:1 3
printf '{"b": [1, 2], "a": null}\n'
# {"a": null,
#  "b": [1,2]}
echo one \
  two
# one two
```
<!-- check: run -->
```bash
echo "$REST_URL"
# http://127.0.0.1:2
echo three
# four
false
printf '{"a": 1}'
# {"a": 2}
```
<!-- check: run -->
No block follows this mark.
FIXTURE
  got=$(STACK_ENV="$T/stack.env" "$ROOT/scripts/check_readme_commands.sh" "$T/README.md" 2>&1 \
        | { grep -E '^(ok|not ok|readme:)' || true; } | sed -E 's/ - .*README.md:([0-9]+).*/ \1/') || true
  want='ok 1 9
ok 2 10
ok 3 12
ok 4 15
ok 5 21
not ok 6 23
not ok 7 25
not ok 8 26
not ok 9 29
readme: 5 passed, 4 failed'
  if [ "$got" = "$want" ]; then echo "ok 1 - the fixture README's commands come out as expected"; echo "readme-self-test: 1 passed, 0 failed"; exit 0; fi
  echo "not ok 1 - the fixture README's commands come out as expected"
  diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
  echo "readme-self-test: 0 passed, 1 failed"; exit 1
fi

[[ $NAME != -* ]] || { echo "usage: $0 [FILE] | --self-test" >&2; exit 2; }
[ -f "$FILE" ] || { echo "readme: no file $NAME" >&2; exit 2; }
[ -f "$STACK_ENV" ] || { echo "readme: no $STACK_ENV: start a stack with 'make up', or set STACK_ENV" >&2; exit 2; }
env_value() { sed -n "s/^$1=//p" "$STACK_ENV"; }
port_of() { sed -nE 's#^.*:([0-9]+)(/.*)?$#\1#p' <<<"$1"; }
export STACK_ENV STACK_DIR
STACK_DIR=$(dirname "$STACK_ENV")
DB_PORT=$(port_of "$(env_value DB_URL)"); API_PORT=$(port_of "$(env_value API_URL)"); REST_PORT=$(port_of "$(env_value REST_URL)")
export DB_PORT API_PORT REST_PORT

WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

# 1. Extract: cmd.N (the command), line.N (its line in FILE), exp.N (expected output, if any);
#    bad.N for a mark that no sh block follows.
awk -v dir="$WORK" '
  function flush_cmd() { if (pending != "") { n++; print pending > (dir "/cmd." n); close(dir "/cmd." n);
                                              print pending_line > (dir "/line." n); close(dir "/line." n);
                                              pending = ""; after_cmd = 1 } }
  /^<!-- check: run -->[[:space:]]*$/ { if (marked) { n++; print NR > (dir "/bad." n); print NR > (dir "/line." n) }
                                        marked = 1; mark_line = NR; next }
  marked && /^[[:space:]]*$/ { next }
  marked && /^```(sh|bash)[[:space:]]*$/ { marked = 0; inblock = 1; after_cmd = 0; next }
  marked { n++; print mark_line > (dir "/bad." n); print mark_line > (dir "/line." n); marked = 0 }
  inblock && /^```/ { flush_cmd(); inblock = 0; next }
  inblock {
    line = $0
    if (pending != "") {                       # a continued command
      pending = pending "\n" line
      if (line !~ /\\$/) flush_cmd()
      next
    }
    if (line ~ /^[[:space:]]*$/) { after_cmd = 0; next }
    if (line ~ /^[[:space:]]*#/) {
      if (after_cmd) { sub(/^[[:space:]]*# ?/, "", line); print line >> (dir "/exp." n) }
      next
    }
    pending = line; pending_line = NR; after_cmd = 0
    if (line !~ /\\$/) flush_cmd()
  }
  END { if (marked) { n++; print mark_line > (dir "/bad." n); print mark_line > (dir "/line." n) }
        print n + 0 > (dir "/count") }
' "$FILE"
COUNT=$(cat "$WORK/count")

# 2. Run: one bash session, each command eval'd in it (so `. file` and variables carry over).
{
  echo 'set +e'
  echo "cd $(printf '%q' "$ROOT")"
  for i in $(seq 1 "$COUNT"); do
    [ -f "$WORK/cmd.$i" ] || continue
    cmd=$(cat "$WORK/cmd.$i")
    cmd=${cmd//.local\/stack.env/$STACK_ENV}
    printf '%s\n' "$cmd" > "$WORK/run.$i"
    # shellcheck disable=SC2016  # the $(cat …) and $? are for the session, not for this script
    printf '{ eval "$(cat %q)"; } >%q 2>%q </dev/null; echo $? >%q\n' \
      "$WORK/run.$i" "$WORK/out.$i" "$WORK/err.$i" "$WORK/rc.$i"
  done
} > "$WORK/session.sh"
timeout "${CHECK_TIMEOUT:-300}" bash "$WORK/session.sh" >/dev/null 2>&1 || true

# 3. Report.
same_output() { # expected actual: JSON-equal, or equal line by line after trimming
  local a b
  if a=$(jq -cS . <<<"$1" 2>/dev/null) && b=$(jq -cS . <<<"$2" 2>/dev/null) && [ -n "$a" ]; then
    [ "$a" = "$b" ]; return
  fi
  [ "$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$1")" = "$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$2")" ]
}
indent() { awk '{ print "#     " $0 }'; }
passed=0 failed=0
for i in $(seq 1 "$COUNT"); do
  line=$(cat "$WORK/line.$i")
  if [ -f "$WORK/bad.$i" ]; then
    echo "not ok $i - $NAME:$line <!-- check: run --> is not followed by a \`\`\`sh block"
    failed=$((failed + 1)); continue
  fi
  cmd=$(cat "$WORK/cmd.$i")
  title="$NAME:$line $(head -n1 <<<"$cmd")"
  [ "$(wc -l <<<"$cmd")" = 1 ] || title="$title …"
  why=""
  if [ ! -f "$WORK/rc.$i" ]; then
    why="did not finish: the session ended here or earlier (an exit, or CHECK_TIMEOUT=${CHECK_TIMEOUT:-300}s)"
  elif [ "$(cat "$WORK/rc.$i")" != 0 ]; then
    why="exit status $(cat "$WORK/rc.$i")"
  elif [ -f "$WORK/exp.$i" ]; then
    same_output "$(cat "$WORK/exp.$i")" "$(cat "$WORK/out.$i")" || why="output differs"
  fi
  if [ -z "$why" ]; then
    echo "ok $i - $title"; passed=$((passed + 1))
  else
    echo "not ok $i - $title"
    echo "#   $why"
    [ "$cmd" = "$(cat "$WORK/run.$i" 2>/dev/null)" ] || { echo "#   ran:"; indent < "$WORK/run.$i"; }
    if [ -f "$WORK/exp.$i" ]; then echo "#   expected:"; indent < "$WORK/exp.$i"; fi
    if [ -s "$WORK/out.$i" ]; then echo "#   stdout (last lines):"; tail -n 15 "$WORK/out.$i" | indent; fi
    if [ -s "$WORK/err.$i" ]; then echo "#   stderr (last lines):"; tail -n 15 "$WORK/err.$i" | indent; fi
    failed=$((failed + 1))
  fi
done
if [ $((passed + failed)) = 0 ]; then
  echo "# no command is marked: put <!-- check: run --> above the README's runnable \`\`\`sh blocks"
  echo "readme: 0 passed, 1 failed"
  exit 1
fi
echo "readme: $passed passed, $failed failed"
[ "$failed" = 0 ]
