#!/usr/bin/env bash
# The client-replay suite: the seeds' own database calls through the official clients
# (@supabase/supabase-js under `node --test`, supabase-py under pytest) against a running stack.
#
#   scripts/clients.sh install   Node 22 (npm registry: the `node` package), clients/js's packages
#                                (npm ci), a Python venv with clients/py/requirements.txt (PyPI).
#                                Idempotent; a second run takes a second.
#   scripts/clients.sh run       both suites against the stack named by STACK_ENV (a stack.env file;
#                                default .local/test-stack/stack.env), then the calls replayed per
#                                seed and one line `clients: N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TOOLS="$ROOT/.tools"
NODE_VERSION=22.23.3                     # current supabase-js needs Node >= 22 (WebSocket)
NODE_DIR="$TOOLS/node22"
NODE="$NODE_DIR/node_modules/node/bin/node"
VENV="$TOOLS/clients-venv"
JS="$ROOT/clients/js"
PY="$ROOT/clients/py"

say()  { printf '\033[1m[clients]\033[0m %s\n' "$*"; }
fail() { printf '[clients] FAILED: %s\n' "$1" >&2; [ -n "${2:-}" ] && printf '[clients] fix: %s\n' "$2" >&2; exit 1; }
LOGS="$ROOT/.local/clients-logs"
INSTALL_LOG="$LOGS/install.log"
# logged CMD...: runs CMD with its output in install.log; on failure shows the log's last lines.
logged() {
  mkdir -p "$LOGS"
  "$@" >>"$INSTALL_LOG" 2>&1 && return 0
  tail -n 8 "$INSTALL_LOG" | sed 's/^/  | /' >&2
  return 1
}

# Stamps hold what an install was made from, so a changed lock/requirements file reinstalls.
stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

install() {
  command -v npm >/dev/null || fail "npm not found" "run scripts/bootstrap.sh (it installs npm)"
  command -v python3 >/dev/null || fail "python3 not found" "install python3 with its venv module"

  if ! "$NODE" --version 2>/dev/null | grep -qx "v$NODE_VERSION"; then
    say "installing Node $NODE_VERSION into ${NODE_DIR#"$ROOT"/} (npm registry, package node@$NODE_VERSION)"
    mkdir -p "$NODE_DIR"
    logged npm install --no-audit --no-fund --save-exact --prefix "$NODE_DIR" "node@$NODE_VERSION" \
      || fail "npm install node@$NODE_VERSION" "check that the npm registry is reachable (npm ping)"
    "$NODE" --version >/dev/null 2>&1 || fail "Node $NODE_VERSION installed but $NODE does not run"
  fi

  local lock; lock=$(sha256sum "$JS/package-lock.json" | cut -d' ' -f1)
  if ! stamp_ok "$JS/node_modules/.installed" "$lock"; then
    say "installing clients/js packages (npm ci: @supabase/supabase-js, pg, typescript, pinned in package-lock.json)"
    (cd "$JS" && PATH="$(dirname "$NODE"):$PATH" logged npm ci --no-audit --no-fund) \
      || fail "npm ci in clients/js" "check that the npm registry is reachable (npm ping)"
    echo "$lock" > "$JS/node_modules/.installed"
  fi

  local reqs; reqs=$(sha256sum "$PY/requirements.txt" | cut -d' ' -f1)
  if ! stamp_ok "$VENV/.installed" "$reqs"; then
    say "installing the Python venv ${VENV#"$ROOT"/} (PyPI: $(grep -v '^#' "$PY/requirements.txt" | xargs))"
    [ -x "$VENV/bin/python" ] || logged python3 -m venv "$VENV" \
      || fail "python3 -m venv $VENV" "install Python's venv module (Debian: python3-venv)"
    logged "$VENV/bin/pip" install --disable-pip-version-check -r "$PY/requirements.txt" \
      || fail "pip install -r clients/py/requirements.txt" "check that PyPI (or your PIP_INDEX_URL) is reachable"
    echo "$reqs" > "$VENV/.installed"
  fi
  local versions; versions=$("$VENV/bin/python" -c 'from importlib.metadata import version as v; print("supabase-py", v("supabase") + ", pytest", v("pytest"))')
  say "ready: node $("$NODE" --version), $versions"
}

# last_number REGEX FILE: the number in the last match of REGEX in FILE (0 when none).
last_number() { { grep -Eo "$1" "$2" || true; } | tail -n1 | grep -Eo '[0-9]+' | tail -n1 || echo 0; }

# Sums the per-file counts ({seed, name, calls}) into one line, seeds in order.
print_replayed() {
  "$VENV/bin/python" - "$1" <<'PY'
import json, pathlib, sys
seeds = {}
for f in sorted(pathlib.Path(sys.argv[1]).glob('*.json')):
    r = json.loads(f.read_text())
    name, calls = seeds.get(r['seed'], (r['name'], 0))
    seeds[r['seed']] = (name, calls + r['calls'])
parts = [f"seed {s} {n} {c} calls" for s, (n, c) in sorted(seeds.items())]
print('replayed: ' + (', '.join(parts) if parts else 'nothing'))
PY
}

run() {
  local env_file=${STACK_ENV:-$ROOT/.local/test-stack/stack.env}
  [ -f "$env_file" ] || fail "no stack.env at $env_file" "start a stack (make up, or scripts/stack.sh up) and set STACK_ENV"
  if [ ! -x "$NODE" ] || [ ! -x "$VENV/bin/pytest" ] || [ ! -d "$JS/node_modules" ]; then
    fail "the client suites are not installed" "scripts/clients.sh install"
  fi
  export STACK_ENV; STACK_ENV=$(realpath "$env_file")
  # fail fast (not 70 timeouts) when the stack is not answering
  local api_url anon_key
  api_url=$(sed -n 's/^API_URL=//p' "$STACK_ENV"); anon_key=$(sed -n 's/^ANON_KEY=//p' "$STACK_ENV")
  [ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$api_url/rest/v1/" -H "apikey: $anon_key")" = 200 ] \
    || fail "the stack of $STACK_ENV does not answer at $api_url/rest/v1/" "start it (scripts/stack.sh up with its STACK_DIR and ports)"
  export REPLAY_DIR; REPLAY_DIR=$(mktemp -d)
  trap 'rm -rf "$REPLAY_DIR"' EXIT
  local logs="$LOGS"; mkdir -p "$logs"

  say "supabase-js ($("$NODE" --version), node --test clients/js)"
  set +e
  (cd "$JS" && "$NODE" --test --test-reporter=spec --test-concurrency=2 ./*.test.ts) 2>&1 | tee "$logs/js.log"
  local js_rc=${PIPESTATUS[0]}
  say "supabase-py (pytest clients/py)"
  (cd "$PY" && PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/pytest" -q -rs --tb=short -p no:cacheprovider .) 2>&1 | tee "$logs/py.log"
  local py_rc=${PIPESTATUS[0]}
  set -e

  # node's spec reporter ends with "ℹ pass N" / "ℹ fail M"; pytest with "N passed, M failed".
  local js_pass js_fail py_pass py_fail
  js_pass=$(last_number '^ℹ pass [0-9]+' "$logs/js.log")
  js_fail=$(last_number '^ℹ fail [0-9]+' "$logs/js.log")
  py_pass=$(last_number '[0-9]+ passed' "$logs/py.log")
  py_fail=$(($(last_number '[0-9]+ failed' "$logs/py.log") + $(last_number '[0-9]+ errors?' "$logs/py.log")))
  js_pass=${js_pass:-0}; js_fail=${js_fail:-0}; py_pass=${py_pass:-0}; py_fail=${py_fail:-0}
  # a runner that died before reporting counts as one failure
  [ "$js_rc" != 0 ] && [ "$js_fail" = 0 ] && js_fail=1
  [ "$py_rc" != 0 ] && [ "$py_fail" = 0 ] && py_fail=1

  echo
  print_replayed "$REPLAY_DIR"
  echo "clients: $((js_pass + py_pass)) passed, $((js_fail + py_fail)) failed"
  [ "$js_rc" = 0 ] && [ "$py_rc" = 0 ]
}

case "${1:-}" in
  install) install ;;
  run) run ;;
  *) echo "usage: scripts/clients.sh install|run" >&2; exit 2 ;;
esac
