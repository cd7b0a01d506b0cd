#!/usr/bin/env bash
# A PostgreSQL 15 of its own: this host's Debian/PGDG prefix copied under DIR, without one
# extension's files. Debian's binaries find their lib and share dirs relative to themselves, so
# the copy is a Postgres whose pg_available_extensions lacks that extension.
#
#   scripts/scratch_prefix.sh DIR pgvector|pg_convo     prints the copy's bin directory
#
# Used by the suites that need such a server: novector (test_without_pgvector.sh), schema
# (test_schema_parity.sh, without pgvector) and package (test_package.sh, without pg_convo).
set -euo pipefail
dir=$1 without=$2
SYS_LIB=/usr/lib/postgresql/15
SYS_SHARE=/usr/share/postgresql/15
mkdir -p "$dir/usr/lib/postgresql" "$dir/usr/share/postgresql"
cp -a "$SYS_LIB" "$dir/usr/lib/postgresql/"
cp -a "$SYS_SHARE" "$dir/usr/share/postgresql/"
case $without in
  # vector.* also takes the bootstrap's vector.pg_convo-origin note
  pgvector) rm -f "$dir$SYS_LIB/lib/vector.so" "$dir$SYS_SHARE/extension/vector."* "$dir$SYS_SHARE/extension/vector--"*.sql
            rm -rf "$dir$SYS_LIB/lib/bitcode/vector" "$dir$SYS_LIB/lib/bitcode/vector.index.bc" ;;
  pg_convo) rm -f "$dir$SYS_LIB/lib/pg_convo"*.so "$dir$SYS_SHARE/extension/pg_convo"* ;;
  *) echo "usage: $0 DIR pgvector|pg_convo" >&2; exit 2 ;;
esac
chmod 755 "$dir"
echo "$dir$SYS_LIB/bin"
