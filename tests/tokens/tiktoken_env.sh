# shellcheck shell=bash
# Sourced by scripts/test_tokens.sh and scripts/bench.sh: the reference tokenizer, OpenAI's Python
# `tiktoken`, in a venv of its own (.tools/tiktoken-venv, pinned, installed from PyPI once), and
# the path of the BPE files it loads offline: the copies inside the tiktoken-rs crate that
# pg_convo is built with (tiktoken cannot download them here, and the test is about the same ranks
# anyway; tiktoken still checks them against its own pinned SHA-256).
#
#   ensure_tiktoken      → sets TIKTOKEN_PY (the venv's python) and TIKTOKEN_RS_ASSETS, or says
#                          why not and returns 1 (callers fail then; they never skip)

TIKTOKEN_VERSION=0.14.0
TIKTOKEN_VENV="$ROOT/.tools/tiktoken-venv"

tiktoken_fail() {
  printf '[tiktoken] FAILED: %s\n' "$1" >&2
  if [ -n "${2:-}" ]; then printf '[tiktoken] fix: %s\n' "$2" >&2; fi
  return 1
}

# The tiktoken-rs version Cargo.lock pins, and its crate sources in cargo's registry.
tiktoken_rs_assets() {
  local version dir
  version=$(awk '/^name = "tiktoken-rs"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")
  [ -n "$version" ] || { echo "Cargo.lock names no tiktoken-rs" >&2; return 1; }
  for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"tiktoken-rs-$version/assets"; do
    if [ -f "$dir/o200k_base.tiktoken" ] && [ -f "$dir/cl100k_base.tiktoken" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

ensure_tiktoken() {
  local log="$ROOT/.local/tiktoken-install.log"
  mkdir -p "$ROOT/.local"
  if ! TIKTOKEN_RS_ASSETS=$(tiktoken_rs_assets); then
    # any build of the extension fetches the crate; otherwise fetch it alone (crates.io)
    cargo fetch --locked >"$log" 2>&1 || true
    TIKTOKEN_RS_ASSETS=$(tiktoken_rs_assets) || {
      tiktoken_fail "the tiktoken-rs crate's BPE files are not in cargo's registry (see $log)" \
                    "run 'cargo fetch' in $ROOT (needs crates.io)"; return 1; }
  fi
  TIKTOKEN_PY="$TIKTOKEN_VENV/bin/python"
  if ! "$TIKTOKEN_PY" -c "import tiktoken, sys; sys.exit(tiktoken.__version__ != '$TIKTOKEN_VERSION')" 2>/dev/null; then
    command -v python3 >/dev/null || {
      tiktoken_fail "python3 not found: the reference tokenizer (tiktoken) needs Python 3.9+" \
                    "install python3 and its venv module (Debian: apt-get install python3 python3-venv)"; return 1; }
    echo "[tiktoken] installing tiktoken==$TIKTOKEN_VERSION into ${TIKTOKEN_VENV#"$ROOT"/} (PyPI)" >&2
    { [ -x "$TIKTOKEN_PY" ] || python3 -m venv "$TIKTOKEN_VENV"; } >"$log" 2>&1 || {
      tiktoken_fail "python3 -m venv $TIKTOKEN_VENV failed (see $log)" \
                    "install Python's venv module (Debian: apt-get install python3-venv)"; return 1; }
    "$TIKTOKEN_VENV/bin/pip" install --disable-pip-version-check -q "tiktoken==$TIKTOKEN_VERSION" >>"$log" 2>&1 || {
      tiktoken_fail "pip install tiktoken==$TIKTOKEN_VERSION failed (see $log)" \
                    "check that PyPI (or your PIP_INDEX_URL) is reachable"; return 1; }
    "$TIKTOKEN_PY" -c "import tiktoken" 2>>"$log" || {
      tiktoken_fail "tiktoken==$TIKTOKEN_VERSION installed but does not import (see $log)"; return 1; }
  fi
  export TIKTOKEN_PY TIKTOKEN_RS_ASSETS
}
