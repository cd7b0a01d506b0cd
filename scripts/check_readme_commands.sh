#!/usr/bin/env bash
# Runs every command the README prints, as printed, against a running stack: the `readme` suite
# of `make test`.
#
#   STACK_ENV=.local/stack.env scripts/check_readme_commands.sh [FILE]     (default FILE: README.md)
#   scripts/check_readme_commands.sh --self-test                           the checker itself
#
# Which commands: every fenced ```sh, ```bash or ```dockerfile block. Each must come right after a
# line (blank lines between are allowed)
#
#   <!-- check: run -->
#   <!-- check: run, replacing "TEXT" by "OTHER" -->       (any number of `, replacing … by …`)
#
# and a block without one is itself a failure, as is a mark with no such block. A replacement
# applies to every command of its block before it runs, and is for what must not happen on the
# test machine as printed (unpacking into `/`): OTHER may use $SCRATCH (an empty directory of the
# block's own) and $NEW_DATABASE_URL (an empty database on the stack's server, created for this
# run and dropped afterwards). A reader sees the mark beside the command.
#
# In a ```sh / ```bash block:
#   * every line that is not blank and not a comment is a command; a line ending in `\`
#     continues on the next line;
#   * comment lines directly below a command (`# …`, no blank line in between) are the output it
#     must print on stdout: compared as JSON when both sides are JSON (key order and spacing
#     free), else as text (each line trimmed); a comment above a command, or after a blank line,
#     is just a comment;
#   * every command must exit 0.
# A ```dockerfile block is built by hand, since there is no Docker here: FROM is reported as not
# pulled (a skip, with the reason); COPY copies from the build context $DOCKER_CONTEXT (default:
# dist/, where `make package` writes the archive); RUN runs under `sh -c` with a stand-in
# `pg_config` first on PATH whose --pkglibdir and --sharedir name an empty image tree of its own;
# afterwards that tree must hold pg_convo.so and pg_convo.control. Other instructions fail.
#
# All commands run in order in ONE bash session started in the repository root, as a reader
# typing them into one terminal would: `. .local/stack.env` in one block holds for the next ones.
# The session differs from a reader's terminal in these ways only:
#   * against which stack: $STACK_ENV (default .local/stack.env, the `make up` stack). Its folder
#     and ports are exported as STACK_DIR, DB_PORT, API_PORT, REST_PORT, so that `make status`,
#     `make down`, `make up` … act on it, and the literal path `.local/stack.env` in a command is
#     replaced by $STACK_ENV;
#   * `make bench` is a short run (BENCH_SECONDS=1, BENCH_ROUNDS=1 and small data sets, unless
#     the caller sets them): it shows that the command works end to end, not its figures;
#   * as root without a sudo binary, `sudo` runs its command as is;
#   * `make test` is not run when this checker runs inside it (CONVO_MAKE_TEST=1, which
#     scripts/test.sh sets): it is reported as a skip, and must be what .ci/run runs.
#
# The prose: inline code that names a command must name one a block runs: every `make TARGET …`
# a target some checked block runs (in a folder's README: or the main README's blocks), every `scripts/…` an existing file, and every other inline
# `sudo …`, `psql …`, `curl …` or `STACK_ENV=… …` must be a command of a checked block verbatim.
# Finally, the commands must leave the repository's tracked files as they were (`make types`
# rewrites types/ with what the types suite has already shown to be equal).
#
# Prints `ok N - FILE:LINE command` / `not ok N - …` (with the exit status, the expected and
# actual output, stderr), and ends with `readme: N passed, M failed, K skipped`. The whole session
# is stopped after $CHECK_TIMEOUT seconds (default 1200); commands it did not reach fail.
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
# everything: each case below must come out ok / not ok / skip as listed.
if [ "${1:-}" = --self-test ]; then
  T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
  printf 'API_URL=http://127.0.0.1:1\nREST_URL=http://127.0.0.1:2\nDB_URL=postgresql://u:p@127.0.0.1:3/postgres\n' > "$T/stack.env"
  # a build context holding an archive laid out as `make package` lays it out
  mkdir -p "$T/context/root/usr/lib/postgresql/15/lib" "$T/context/root/usr/share/postgresql/15/extension"
  touch "$T/context/root/usr/lib/postgresql/15/lib/pg_convo.so" "$T/context/root/usr/share/postgresql/15/extension/pg_convo.control"
  tar -czf "$T/context/pg_convo-9.9.9.tar.gz" -C "$T/context/root" usr
  cat > "$T/README.md" <<'FIXTURE'
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
make test
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
<!-- check: run, replacing "/nowhere" by "$SCRATCH" -->
```sh
touch /nowhere/file && ls /nowhere
# file
```
Not marked: a failure, and never run.
```sh
echo should-not-run > "$SCRATCH/x"
```
<!-- check: run, replacing "/tmp/" by "$SCRATCH/" -->
```dockerfile
FROM supabase/postgres:15.8.1.060
COPY pg_convo-9.9.9.tar.gz /tmp/
RUN mkdir /tmp/x && tar -xzf /tmp/pg_convo-*.tar.gz -C /tmp/x \
 && cp /tmp/x/usr/lib/postgresql/15/lib/pg_convo.so "$(pg_config --pkglibdir)/" \
 && cp /tmp/x/usr/share/postgresql/15/extension/pg_convo* "$(pg_config --sharedir)/extension/"
```
<!-- check: run -->
```dockerfile
FROM supabase/postgres:15.8.1.060       # a comment here is an error in a Dockerfile
RUN true
```
- In a list item:

  <!-- check: run -->
  ```sh
  echo indented
  # indented
  ```
Prose: `make test`, `scripts/check_readme_commands.sh`, `echo three` (not a command word),
`make nonesuch`, `scripts/nonesuch.sh`, `psql -c 'select 1'`.
<!-- check: run -->
No block follows this mark.
FIXTURE
  got=$(cd "$T" && STACK_ENV="$T/stack.env" DOCKER_CONTEXT="$T/context" CONVO_MAKE_TEST=1 \
          "$ROOT/scripts/check_readme_commands.sh" "$T/README.md" 2>&1 \
        | { grep -E '^(ok|not ok|readme:)' || true; } \
        | sed -E -e 's/ - .*README.md:([0-9]+) .*# SKIP.*/ \1 skip/' -e 's/ - .*README.md:([0-9]+) .*/ \1/' \
                 -e 's/ - .*README.md .*/ -/' -e 's/ - the commands leave .*/ -/') || true
  want='ok 1 5
ok 2 6
ok 3 8
ok 4 11
ok 5 14 skip
ok 6 18
not ok 7 20
not ok 8 22
not ok 9 23
ok 10 28
not ok 11 32
ok 12 37 skip
ok 13 38
ok 14 39
ok 15 42
not ok 16 45
ok 17 46
not ok 18 47
ok 19 52
not ok 20 57
not ok 21 -
not ok 22 -
not ok 23 -
ok 24 -
readme: 12 passed, 10 failed, 2 skipped'
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
DOCKER_CONTEXT=${DOCKER_CONTEXT:-$ROOT/dist}

WORK=$(mktemp -d)
NEW_DB="readme_check_$$"
cleanup() {
  if grep -q 'NEW_DATABASE_URL' "$WORK"/mark.* 2>/dev/null; then
    psql "$(env_value DB_URL)" -X -q -c "drop database if exists $NEW_DB with (force)" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# 1. Extract (extract FILE DIR), numbering the checks in FILE's order, into DIR:
#    cmd.N, line.N, block.N, kind.N (sh | FROM | COPY | RUN | image | other)  a command to run
#    exp.N     its expected output, if any
#    bad.N     a mark that no block follows; unmarked.N a block without a mark
#    mark.B    block B's mark (for its replacements)
#    count     N
extract() { awk -v dir="$2" '
  function out(file, text) { print text > (dir "/" file); close(dir "/" file) }
  function check(kind, text, at) { n++; out("cmd." n, text); out("line." n, at); out("block." n, b); out("kind." n, kind) }
  function flush_cmd() {
    if (pending == "") return
    if (lang == "dockerfile") {
      instr = pending; sub(/[[:space:]].*/, "", instr); instr = toupper(instr)
      rest = pending; sub(/^[^[:space:]]+[[:space:]]*/, "", rest)
      check((instr == "FROM" || instr == "COPY" || instr == "RUN") ? instr : "other", rest, pending_line)
    } else { check("sh", pending, pending_line); after_cmd = 1 }
    pending = ""
  }
  function bad_mark() { n++; out("bad." n, mark_line); out("line." n, mark_line) }
  # marks and fences may be indented (inside a list item); the lines of such a block lose that indentation
  /^[[:space:]]*<!-- check: run(, replacing "[^"]*" by "[^"]*")* -->[[:space:]]*$/ {
    if (marked) bad_mark()
    marked = 1; mark_line = NR; mark = $0; next }
  marked && /^[[:space:]]*$/ { next }
  /^[[:space:]]*```(sh|bash|dockerfile)[[:space:]]*$/ {
    b++; lang = $0; indent = match(lang, /[^[:space:]]/) - 1
    sub(/^[[:space:]]*```/, "", lang); sub(/[[:space:]]*$/, "", lang)
    if (marked) { out("mark." b, mark); marked = 0; inblock = 1; after_cmd = 0 }
    else { n++; out("unmarked." n, NR); out("line." n, NR); skipping = 1 }
    next }
  marked { bad_mark(); marked = 0 }
  skipping && /^[[:space:]]*```/ { skipping = 0; next }
  skipping { next }
  inblock && /^[[:space:]]*```/ {
    flush_cmd()
    if (lang == "dockerfile") check("image", "the image", NR)
    inblock = 0; next }
  inblock {
    line = $0
    for (k = 0; k < indent && substr(line, 1, 1) ~ /[[:space:]]/; k++) line = substr(line, 2)
    if (pending != "") {                       # a continued command
      pending = pending "\n" line
      if (line !~ /\\$/) flush_cmd()
      next
    }
    if (line ~ /^[[:space:]]*$/) { after_cmd = 0; next }
    if (line ~ /^[[:space:]]*#/) {
      if (after_cmd && lang != "dockerfile") { sub(/^[[:space:]]*# ?/, "", line); print line >> (dir "/exp." n) }
      next
    }
    pending = line; pending_line = NR; after_cmd = 0
    if (line !~ /\\$/) flush_cmd()
  }
  END { if (marked) bad_mark()
        out("count", n + 0) }
' "$1"; }
extract "$FILE" "$WORK"
COUNT=$(cat "$WORK/count")

# A block's replacements, applied to one of its commands.
replace() { # replace BLOCK TEXT
  local text=$2 pair from to
  [ -f "$WORK/mark.$1" ] || { printf '%s' "$text"; return; }
  while IFS= read -r pair; do
    from=$(sed -E 's/^"(.*)" by ".*"$/\1/' <<<"$pair"); to=$(sed -E 's/^".*" by "(.*)"$/\1/' <<<"$pair")
    text=${text//"$from"/$to}
  done < <(grep -oE '"[^"]*" by "[^"]*"' "$WORK/mark.$1" || true)
  printf '%s' "$text"
}
is_make_test() { [[ $1 =~ ^make\ test([[:space:]]+#.*)?$ ]]; }

# The stand-in image of a ```dockerfile block: an empty tree of its own and a pg_config that names it.
image_of() { # image_of BLOCK: creates it once, prints its directory
  local dir="$WORK/image.$1"
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir/bin" "$dir/lib/postgresql" "$dir/share/postgresql/extension"
    cat > "$dir/bin/pg_config" <<SH
#!/bin/sh
# a stand-in for the image's pg_config: only what the README's Dockerfile asks
case "\$1" in
  --pkglibdir) echo "$dir/lib/postgresql" ;;
  --sharedir)  echo "$dir/share/postgresql" ;;
  *) echo "pg_config stand-in: \$1 is not emulated" >&2; exit 1 ;;
esac
SH
    chmod +x "$dir/bin/pg_config"
  fi
  printf '%s' "$dir"
}

# An empty database of its own for each block whose mark uses $NEW_DATABASE_URL, created when
# the block starts (an earlier `make reset` would have dropped one made sooner).
new_database_url() { env_value DB_URL | sed -E 's#/[^/]*$#/'"$NEW_DB"'#'; }

tracked_state() { git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 && { git -C "$ROOT" diff HEAD | sha256sum; } || echo none; }
TRACKED_BEFORE=$(tracked_state)

# 2. Run: one bash session, each command eval'd in it (so `. file` and variables carry over).
# shellcheck disable=SC2016  # the $… below are for the session, not for this script
{
  echo 'set +e'
  echo "cd $(printf '%q' "$ROOT")"
  echo 'export BENCH_SECONDS=${BENCH_SECONDS:-1} BENCH_ROUNDS=${BENCH_ROUNDS:-1} BENCH_USERS=${BENCH_USERS:-20}'
  echo 'export BENCH_PER_USER=${BENCH_PER_USER:-10} BENCH_MESSAGES=${BENCH_MESSAGES:-5000} BENCH_HEAVY=${BENCH_HEAVY:-1000}'
  echo 'export BENCH_SIZE_MAX_EXP=${BENCH_SIZE_MAX_EXP:-4} LOAD_SECONDS=${LOAD_SECONDS:-3}'
  echo 'if [ "$(id -u)" = 0 ] && ! command -v sudo >/dev/null 2>&1; then sudo() { "$@"; }; fi'
  printf 'export DOCKER_CONTEXT=%q\n' "$DOCKER_CONTEXT"
  last_block=""
  for i in $(seq 1 "$COUNT"); do
    [ -f "$WORK/cmd.$i" ] || continue
    block=$(cat "$WORK/block.$i"); kind=$(cat "$WORK/kind.$i")
    if [ "$block" != "$last_block" ]; then
      printf 'export SCRATCH=$(mktemp -d %q)\n' "$WORK/scratch.XXXXXX"; last_block=$block
      if grep -q 'NEW_DATABASE_URL' "$WORK/mark.$block" 2>/dev/null; then
        printf 'psql %q -X -q -c %q -c %q >/dev/null\n' "$(env_value DB_URL)" \
          "drop database if exists $NEW_DB with (force)" "create database $NEW_DB"
        printf 'export NEW_DATABASE_URL=%q\n' "$(new_database_url)"
      fi
    fi
    cmd=$(replace "$block" "$(cat "$WORK/cmd.$i")")
    cmd=${cmd//.local\/stack.env/$STACK_ENV}
    case $kind in
      sh)
        if [ -n "${CONVO_MAKE_TEST:-}" ] && is_make_test "$cmd"; then continue; fi ;;
      FROM)
        # Docker's FROM takes an image and, optionally, `AS name`: nothing else on the line
        read -ra words <<<"$cmd"
        if [ "${#words[@]}" = 1 ] || { [ "${#words[@]}" = 3 ] && [ "${words[1],,}" = as ]; }; then
          echo skip > "$WORK/skip.$i"
        else
          echo 'FROM takes an image (and `AS name`); Docker reads a trailing `# …` as more arguments' > "$WORK/why.$i"
        fi
        continue ;;
      COPY) cmd="(cd \"\$DOCKER_CONTEXT\" && cp -- $cmd)" ;;
      RUN)  cmd="PATH=$(printf '%q' "$(image_of "$block")/bin"):\$PATH sh -c $(printf '%q' "$cmd")" ;;
      image)
        image=$(image_of "$block")
        cmd="test -f $(printf '%q' "$image/lib/postgresql/pg_convo.so") && test -f $(printf '%q' "$image/share/postgresql/extension/pg_convo.control")" ;;
      other) echo "a Dockerfile instruction this check does not emulate" > "$WORK/why.$i"; continue ;;
    esac
    printf '%s\n' "$cmd" > "$WORK/run.$i"
    printf '{ eval "$(cat %q)"; } >%q 2>%q </dev/null; echo $? >%q\n' \
      "$WORK/run.$i" "$WORK/out.$i" "$WORK/err.$i" "$WORK/rc.$i"
  done
} > "$WORK/session.sh"
timeout "${CHECK_TIMEOUT:-1200}" bash "$WORK/session.sh" >/dev/null 2>&1 || true

# 3. Report.
same_output() { # expected actual: JSON-equal, or equal line by line after trimming
  local a b
  if a=$(jq -cS . <<<"$1" 2>/dev/null) && b=$(jq -cS . <<<"$2" 2>/dev/null) && [ -n "$a" ]; then
    [ "$a" = "$b" ]; return
  fi
  [ "$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$1")" = "$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$2")" ]
}
indent() { awk '{ print "#     " $0 }'; }
passed=0 failed=0 skipped=0 n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; passed=$((passed + 1)); }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; local l; for l in "$@"; do echo "#   $l"; done; failed=$((failed + 1)); }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; skipped=$((skipped + 1)); }
for i in $(seq 1 "$COUNT"); do
  line=$(cat "$WORK/line.$i")
  if [ -f "$WORK/bad.$i" ]; then
    not_ok "$NAME:$line <!-- check: run --> is not followed by a \`\`\`sh, \`\`\`bash or \`\`\`dockerfile block"; continue
  fi
  if [ -f "$WORK/unmarked.$i" ]; then
    not_ok "$NAME:$line a command block that no check runs" "mark it <!-- check: run --> (with a replacement if it must not run as printed here)"; continue
  fi
  cmd=$(cat "$WORK/cmd.$i"); kind=$(cat "$WORK/kind.$i")
  case $kind in sh|image) title="$(head -n1 <<<"$cmd")" ;; *) title="$kind $(head -n1 <<<"$cmd")" ;; esac
  [ "$kind" != image ] || title="the image's pg_config paths hold pg_convo.so and pg_convo.control"
  [ "$(wc -l <<<"$cmd")" = 1 ] || title="$title …"
  title="$NAME:$line $title"
  if [ -f "$WORK/skip.$i" ]; then
    skip "$title" "no Docker here: the image is not pulled; COPY and RUN run against a stand-in pg_config"; continue
  fi
  if [ -f "$WORK/why.$i" ]; then not_ok "$title" "$(cat "$WORK/why.$i")"; continue; fi
  if [ "$kind" = sh ] && [ -n "${CONVO_MAKE_TEST:-}" ] && is_make_test "$cmd"; then
    if grep -qE '^make test$' "$ROOT/.ci/run"; then
      skip "$title" "this check runs inside make test; CI runs it (.ci/run)"
    else
      not_ok "$title" ".ci/run does not run \`make test\`"
    fi
    continue
  fi
  why=""
  if [ ! -f "$WORK/rc.$i" ]; then
    why="did not finish: the session ended here or earlier (an exit, or CHECK_TIMEOUT=${CHECK_TIMEOUT:-1200}s)"
  elif [ "$(cat "$WORK/rc.$i")" != 0 ]; then
    why="exit status $(cat "$WORK/rc.$i")"
  elif [ -f "$WORK/exp.$i" ]; then
    same_output "$(cat "$WORK/exp.$i")" "$(cat "$WORK/out.$i")" || why="output differs"
  fi
  if [ -z "$why" ]; then ok "$title"; continue; fi
  not_ok "$title" "$why"
  [ "$cmd" = "$(cat "$WORK/run.$i" 2>/dev/null)" ] || { echo "#   ran:"; indent < "$WORK/run.$i"; }
  if [ -f "$WORK/exp.$i" ]; then echo "#   expected:"; indent < "$WORK/exp.$i"; fi
  if [ -s "$WORK/out.$i" ]; then echo "#   stdout (last lines):"; tail -n 15 "$WORK/out.$i" | indent; fi
  if [ -s "$WORK/err.$i" ]; then echo "#   stderr (last lines):"; tail -n 15 "$WORK/err.$i" | indent; fi
done

# The prose: inline code outside the fenced blocks that names a command.
sh_commands() { # sh_commands DIR: the shell commands extract put there
  local i
  for i in $(seq 1 "$(cat "$1/count")"); do
    if [ "$(cat "$1/kind.$i" 2>/dev/null)" = sh ]; then cat "$1/cmd.$i"; fi
  done
}
# (a folder's README may also name the main README's commands, checked when that one is)
if [ "$FILE" != "$ROOT/README.md" ]; then mkdir -p "$WORK/main-readme"; extract "$ROOT/README.md" "$WORK/main-readme"; fi
run_commands=$({ sh_commands "$WORK"; [ ! -d "$WORK/main-readme" ] || sh_commands "$WORK/main-readme"; } \
               | sed -E 's/[[:space:]]+#.*$//')
run_targets=$(sed -nE 's/^(sudo )?make ([a-z][a-z-]*).*/\2/p' <<<"$run_commands" | sort -u)
# shellcheck disable=SC2016  # backquotes, not expansions
prose=$(awk '/^[[:space:]]*```/ { fenced = !fenced; next } !fenced' "$FILE" | grep -oE '`[^`]+`' | tr -d '`' | sort -u)
missing_targets=() missing_scripts=() missing_commands=()
while IFS= read -r span; do
  [ -n "$span" ] || continue
  if [[ $span =~ ^make\ ([a-z][a-z-]*) ]]; then
    grep -qx "${BASH_REMATCH[1]}" <<<"$run_targets" || missing_targets+=("$span")
  elif [[ $span =~ ^(scripts/[^[:space:]]+) ]]; then
    [ -e "$ROOT/${BASH_REMATCH[1]}" ] || missing_scripts+=("$span")
  elif [[ $span =~ ^(sudo|psql|curl|STACK_ENV=)[[:space:]] ]]; then
    grep -qxF "$span" <<<"$run_commands" || missing_commands+=("$span")
  fi
done <<<"$prose"
if [ ${#missing_targets[@]} = 0 ]; then ok "$NAME every \`make TARGET\` in the prose names a target a checked block runs"
else not_ok "$NAME every \`make TARGET\` in the prose names a target a checked block runs" "${missing_targets[@]}"; fi
if [ ${#missing_scripts[@]} = 0 ]; then ok "$NAME every \`scripts/…\` in the prose exists"
else not_ok "$NAME every \`scripts/…\` in the prose exists" "${missing_scripts[@]}"; fi
if [ ${#missing_commands[@]} = 0 ]; then ok "$NAME every sudo/psql/curl/STACK_ENV= command in the prose is a checked block's command"
else not_ok "$NAME every sudo/psql/curl/STACK_ENV= command in the prose is a checked block's command" "${missing_commands[@]}"; fi

if [ "$(tracked_state)" = "$TRACKED_BEFORE" ]; then ok "the commands leave the repository's tracked files as they were"
else not_ok "the commands leave the repository's tracked files as they were" "git diff: $(git -C "$ROOT" diff --stat HEAD | tail -n 1)"; fi

echo "readme: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
