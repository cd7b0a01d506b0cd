#!/usr/bin/env bash
# `make package`: a binary release of pg_convo that installs into a PostgreSQL 15 by unpacking,
# with no Rust toolchain on the database host:
#
#   scripts/package.sh        → dist/pg_convo-<version>-pg15-<arch>.tar.gz (+ .sha256)
#
# The archive holds pg_config's paths of the build machine (Debian/PGDG layout):
#   usr/lib/postgresql/15/lib/pg_convo.so
#   usr/share/postgresql/15/extension/pg_convo.control
#   usr/share/postgresql/15/extension/pg_convo--*.sql   the current version's install script
#       (pgrx generates it), the kept install scripts of released versions and every upgrade
#       script, so a database at any released version can be created or updated from it
#   usr/share/doc/pg_convo/INSTALL                       how to install it (also below)
# scripts/test_package.sh installs it into a scratch Postgres and checks it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
PG_CONFIG=${PG_CONFIG:-/usr/bin/pg_config}

fail() { printf 'package: %s\n' "$*" >&2; exit 1; }

VERSION=$(cargo metadata --no-deps --format-version 1 | jq -r '.packages[] | select(.name == "pg_convo") | .version')
PG_MAJOR=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
NAME="pg_convo-$VERSION-pg$PG_MAJOR-$(uname -m)"
LIBDIR=$("$PG_CONFIG" --pkglibdir); LIBDIR=${LIBDIR#/}
EXTDIR=$("$PG_CONFIG" --sharedir)/extension; EXTDIR=${EXTDIR#/}

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/pg_convo-package.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
ROOTFS="$STAGE/root"

# The release build, its control file, generated install script and the upgrade scripts
# (cargo-pgrx copies sql/pg_convo--A--B.sql), staged under pg_config's paths.
cargo pgrx package --pg-config "$PG_CONFIG" --out-dir "$ROOTFS" >"$STAGE/pgrx.log" 2>&1 \
  || { cat "$STAGE/pgrx.log" >&2; fail "cargo pgrx package failed"; }

# cargo-pgrx copies only upgrade scripts; the released versions' install scripts are ours.
for f in sql/pg_convo--*.sql; do
  [ -e "$ROOTFS/$EXTDIR/$(basename "$f")" ] || install -m 644 "$f" "$ROOTFS/$EXTDIR/"
done

# What a working archive must hold.
[ -f "$ROOTFS/$LIBDIR/pg_convo.so" ] || fail "no $LIBDIR/pg_convo.so in the build"
grep -qx "default_version = '$VERSION'" "$ROOTFS/$EXTDIR/pg_convo.control" \
  || fail "pg_convo.control does not name default_version '$VERSION'"
[ -f "$ROOTFS/$EXTDIR/pg_convo--$VERSION.sql" ] || fail "no install script for $VERSION"
for f in sql/pg_convo--*.sql; do
  cmp -s "$f" "$ROOTFS/$EXTDIR/$(basename "$f")" || fail "$(basename "$f") differs from sql/"
done

mkdir -p "$ROOTFS/usr/share/doc/pg_convo"
cat > "$ROOTFS/usr/share/doc/pg_convo/INSTALL" <<TXT
pg_convo $VERSION for PostgreSQL $PG_MAJOR ($(uname -m)), built on $(. /etc/os-release && echo "$PRETTY_NAME")
against $("$PG_CONFIG" --version). Needs glibc $(objdump -T "$ROOTFS/$LIBDIR/pg_convo.so" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1 | sed 's/GLIBC_//') or newer (ldd --version).

Prerequisite NOT shipped here: pgvector 0.8 (the `vector` extension), for semantic search.
Install it on the database host first (Debian: postgresql-15-pgvector, or Debian's source
package `pgvector` built against PostgreSQL $PG_MAJOR; the supabase/postgres image has it).
Without it pg_convo works and its migrations say once that semantic search is disabled.

Install (as root on the database host; no Rust toolchain needed):

  Debian/Ubuntu PGDG layout (pg_config --pkglibdir = /$LIBDIR):
    tar -xzf $NAME.tar.gz -C /

  Any other layout (e.g. the supabase/postgres image): copy the files to pg_config's paths:
    mkdir -p /tmp/pg_convo && tar -xzf $NAME.tar.gz -C /tmp/pg_convo
    cp /tmp/pg_convo/$LIBDIR/pg_convo.so "\$(pg_config --pkglibdir)/"
    cp /tmp/pg_convo/$EXTDIR/pg_convo* "\$(pg_config --sharedir)/extension/"

Then, as a superuser, apply the app's migrations (they run CREATE EXTENSION pg_convo and
ALTER EXTENSION pg_convo UPDATE as needed):
    make migrate DATABASE_URL=postgresql://...      (or scripts/migrate.sh)

Upgrading: unpack the newer archive the same way, then run the migrations again. Sessions that
had loaded the old library keep it until they reconnect: restart Postgres (or PostgREST's
connections) after replacing pg_convo.so.

Files:
$(cd "$ROOTFS" && find . -type f | sed 's|^\./|  /|' | LC_ALL=C sort)
TXT

chmod 755 "$ROOTFS/$LIBDIR/pg_convo.so"
mkdir -p dist
# Files only, no directory entries: unpacking at / must not touch the modes of /usr, /usr/lib …
(cd "$ROOTFS" && find usr -type f | LC_ALL=C sort) > "$STAGE/files"
tar --no-recursion --owner=0 --group=0 --numeric-owner \
  --mtime="@$(git log -1 --format=%ct 2>/dev/null || date +%s)" \
  -czf "dist/$NAME.tar.gz" -C "$ROOTFS" -T "$STAGE/files"
(cd dist && sha256sum "$NAME.tar.gz" > "$NAME.tar.gz.sha256")
echo "package: dist/$NAME.tar.gz"
tar -tzf "dist/$NAME.tar.gz" | sed 's/^/  /'
