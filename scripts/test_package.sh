#!/usr/bin/env bash
# The package's install test: the archive from `make package` (scripts/package.sh) installed into a
# fresh PostgreSQL 15 that has never seen pg_convo, with no Rust toolchain involved.
#
#   scripts/test_package.sh [ARCHIVE]     (default: builds this tree's archive with
#                                          scripts/package.sh, then tests it)
#
# A scratch prefix $TMP/usr/{lib,share}/postgresql/15 is copied from this host's Postgres with
# every pg_convo file removed (Debian's binaries find their lib and share dirs relative to
# themselves, so the copy is a Postgres of its own), and a scratch cluster runs from it on
# 127.0.0.1:$PKG_PORT. Checked, in order:
#   - migrations against it without pg_convo fail at once, saying how to install it, and apply nothing;
#   - the archive unpacks into the prefix; every install and upgrade script of sql/ is in it;
#   - create extension + all migrations + a smoke test (convo_info, a chat pair stored and read
#     back as a user); create at 0.1.0 + alter extension update from the archive alone;
#   - migrations refuse a library older than the database's extension, or than the migrations need.
# Prints ok / not ok lines and `package: N passed, M failed`; always stops its cluster and
# deletes its temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PKG_PORT=${PKG_PORT:-24530}
SYS_LIB=/usr/lib/postgresql/15
SYS_SHARE=/usr/share/postgresql/15
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)

# Without an argument, the archive of this tree, built now (quick when the release build is fresh).
if [ -n "${1:-}" ]; then ARCHIVE=$(realpath "$1")
else
  scripts/package.sh >/dev/null || { echo "not ok - scripts/package.sh builds the archive"; echo "package: 0 passed, 1 failed"; exit 1; }
  ARCHIVE=$ROOT/dist/pg_convo-$VERSION-pg15-$(uname -m).tar.gz
fi

if [ "$(id -u)" = 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pg_convo-pkgtest.XXXXXX")
PREFIX_BIN="$TMP$SYS_LIB/bin"
PGDATA="$TMP/data"
cleanup() {
  [ -f "$PGDATA/postmaster.pid" ] && as_pg "$PREFIX_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT

PASSED=0; FAILED=0
ok()     { PASSED=$((PASSED + 1)); echo "ok - $1"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/#   /'; }
check()  { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
# expect_eq WHAT GOT WANTED
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got: $2"$'\n'"wanted: $3"; fi; }

url() { echo "postgresql://postgres:postgres@127.0.0.1:$PKG_PORT/${1:-postgres}"; }
q() { local db=$1; shift; PGPASSWORD=postgres "$PREFIX_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PKG_PORT" -U postgres -d "$db" "$@"; }
new_db() { q postgres -c "create database $1" && q "$1" -f "$ROOT/sql/supabase_bootstrap.sql" >/dev/null; }
# migrate DB [MIGRATIONS_DIR]: scripts/migrate.sh with the prefix's psql; output in $MIGRATE_OUT
migrate() {
  MIGRATE_OUT=$(PATH="$PREFIX_BIN:$PATH" DATABASE_URL=$(url "$1") MIGRATIONS_DIR=${2:-$ROOT/migrations} \
    "$ROOT/scripts/migrate.sh" 2>&1)
}
nothing_applied() { [ "$(q "$1" -c "select to_regclass('supabase_migrations.schema_migrations') is null and to_regnamespace('convo') is null")" = t ]; }

# 1. a Postgres 15 prefix of its own, without pg_convo ----------------------------------------
scripts/scratch_prefix.sh "$TMP" pg_convo >/dev/null
expect_eq "the scratch prefix's pg_config points into the prefix" \
  "$("$PREFIX_BIN/pg_config" --pkglibdir) $("$PREFIX_BIN/pg_config" --sharedir)" "$TMP$SYS_LIB/lib $TMP$SYS_SHARE"

mkdir -p "$PGDATA" "$TMP/run" "$TMP/log"; chown postgres "$PGDATA" "$TMP/run" "$TMP/log" 2>/dev/null || true
printf 'postgres\n' > "$TMP/pw"; chmod 644 "$TMP/pw"
as_pg "$PREFIX_BIN/initdb" -D "$PGDATA" -U postgres --pwfile="$TMP/pw" -E UTF8 --locale=C.UTF-8 \
  --auth-host=scram-sha-256 --auth-local=peer >"$TMP/log/initdb.log" 2>&1 || { cat "$TMP/log/initdb.log"; exit 1; }
cat >> "$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PKG_PORT
unix_socket_directories = '$TMP/run'
shared_buffers = 32MB
fsync = off
wal_level = logical   # as on Supabase (the bootstrap's publication)
CONF
as_pg "$PREFIX_BIN/pg_ctl" -D "$PGDATA" -l "$TMP/log/postgres.log" -w -t 60 start >/dev/null \
  || { cat "$TMP/log/postgres.log"; exit 1; }

# 2. before the package: migrations refuse at once ---------------------------------------------
q postgres -f "$ROOT/sql/supabase_bootstrap.sql" >/dev/null
expect_eq "the scratch server has no pg_convo" \
  "$(q postgres -c "select count(*) from pg_available_extensions where name = 'pg_convo'")" 0
if migrate postgres; then not_ok "migrations without pg_convo on the server fail" "$MIGRATE_OUT"
else
  ok "migrations without pg_convo on the server fail"
  echo "#   $MIGRATE_OUT"
  check "… saying how to install it (make install / make package)" \
    grep -q 'pg_convo is not installed on this server: run `make install` on the database host, or unpack the package from `make package`' <<<"$MIGRATE_OUT"
  check "… before applying anything (no history table, no convo schema)" nothing_applied postgres
fi

# 3. the archive ----------------------------------------------------------------------------------
tar -xzf "$ARCHIVE" -C "$TMP"
echo "# installed $(basename "$ARCHIVE") into $TMP"
check "the library unpacks to the prefix's pkglibdir" test -f "$TMP$SYS_LIB/lib/pg_convo.so"
missing_libs=$(ldd "$TMP$SYS_LIB/lib/pg_convo.so" | grep 'not found' || true)
expect_eq "the library needs no shared library this host lacks" "$missing_libs" ""
differing=""
for f in sql/pg_convo--*.sql; do
  cmp -s "$f" "$TMP$SYS_SHARE/extension/$(basename "$f")" || differing+=" $(basename "$f")"
done
expect_eq "every kept install script and upgrade script of sql/ is in the archive, unchanged" "$differing" ""
expect_eq "the archive's default version is the crate's ($VERSION)" \
  "$(q postgres -c "select default_version from pg_available_extensions where name = 'pg_convo'")" "$VERSION"
expect_eq "every version the archive offers updates to $VERSION" \
  "$(q postgres -c "select string_agg(v.version, ' ' order by v.version) from pg_available_extension_versions v
      where v.name = 'pg_convo' and v.version <> '$VERSION'
        and not exists (select from pg_extension_update_paths('pg_convo') p
                        where p.source = v.version and p.target = '$VERSION' and p.path is not null)")" ""

# 4. create extension, all migrations, smoke test ---------------------------------------------------
if q postgres -c "create extension pg_convo" 2>"$TMP/err"; then ok "create extension pg_convo"
else not_ok "create extension pg_convo" "$(cat "$TMP/err")"; fi
if migrate postgres; then
  ok "all migrations apply"
else
  not_ok "all migrations apply" "$MIGRATE_OUT"
fi
expect_eq "the history table lists every migration file" \
  "$(q postgres -c "select string_agg(version, ',' order by version) from supabase_migrations.schema_migrations")" \
  "$(for f in migrations/*.sql; do f=${f##*/}; echo "${f:0:14}"; done | paste -sd,)"
expect_eq "extension version $VERSION" "$(q postgres -c "select extversion from pg_extension where extname = 'pg_convo'")" "$VERSION"

USER_ID=5a5a5a5a-5a5a-4a5a-8a5a-5a5a5a5a5a5a
as_user="set role authenticated; select set_config('request.jwt.claims', '{\"sub\":\"$USER_ID\",\"role\":\"authenticated\"}', false);"
q postgres -c "insert into auth.users (id, aud, role, email) values ('$USER_ID', 'authenticated', 'authenticated', 'pkg@example.com')" >/dev/null
expect_eq "convo_info as a user: version and uid" \
  "$(q postgres -c "$as_user" -c "select convo_info() ->> 'version', convo_info() ->> 'uid'" | tail -n 1)" "$VERSION|$USER_ID"
smoke=$(q postgres -c "$as_user" \
  -c "select store_chat_pair(p_user_id => '$USER_ID', p_user_message => 'hello from the package', p_ai_response => 'hi, package') is not null" \
  -c "select user_message || ' / ' || ai_response from get_chat_history(p_limit => 10)" 2>&1 | tail -n 2 | paste -sd'|')
expect_eq "a chat pair stored as the user and read back" "$smoke" "t|hello from the package / hi, package"

# 5. create at 0.1.0 and update, from the archive alone -----------------------------------------------
new_db pkg_update
updated=$(q pkg_update -c "create extension pg_convo version '0.1.0'" -c "alter extension pg_convo update" \
  -c "select extversion from pg_extension where extname = 'pg_convo'" 2>&1) || true
expect_eq "create extension pg_convo version '0.1.0' + alter extension pg_convo update → $VERSION" "$updated" "$VERSION"
new_db pkg_fresh
q pkg_fresh -c "create extension pg_convo"
expect_eq "… the updated extension equals a fresh $VERSION install (members, definitions, privileges)" \
  "$(diff <(q pkg_update -f tests/upgrade/extension_catalog.sql) <(q pkg_fresh -f tests/upgrade/extension_catalog.sql) | head -n 20)" ""

# 6. a library older than the database's extension, or than the migrations need -----------------------
# No older .so can be built here without a second toolchain run, so the database is made NEWER
# than the library instead, which is the same state for the check: an empty upgrade script
# $VERSION → 99.0.0 installed next to the archive's files takes the extension to 99.0.0 while the
# library still says $VERSION (convo.info() answers from the .so).
FAKE=99.0.0
printf -- '-- test only: a version newer than the library\n' > "$TMP$SYS_SHARE/extension/pg_convo--$VERSION--$FAKE.sql"
new_db pkg_newer
q pkg_newer -c "create extension pg_convo" -c "alter extension pg_convo update to '$FAKE'"
if migrate pkg_newer; then not_ok "migrations refuse a library older than the database's extension" "$MIGRATE_OUT"
else
  ok "migrations refuse a library older than the database's extension"
  echo "#   $MIGRATE_OUT"
  check "… saying which versions ($VERSION < $FAKE) and how to install" \
    grep -q "library on this server is $VERSION, older than this database's extension ($FAKE): install pg_convo $FAKE or newer: run \`make install\`" <<<"$MIGRATE_OUT"
  expect_eq "… and applying nothing" "$(q pkg_newer -c "select to_regclass('supabase_migrations.schema_migrations') is null")" t
fi

new_db pkg_needs
mkdir -p "$TMP/migrations"; cp migrations/*.sql "$TMP/migrations/"
printf "alter extension pg_convo update to '%s';\n" "$FAKE" > "$TMP/migrations/29991231000000_needs_newer_pg_convo.sql"
if migrate pkg_needs "$TMP/migrations"; then not_ok "migrations that need a newer library are refused" "$MIGRATE_OUT"
else
  ok "migrations that need a newer library are refused"
  echo "#   $MIGRATE_OUT"
  check "… saying which versions ($FAKE needed, $VERSION here)" \
    grep -q "these migrations need pg_convo $FAKE, but the library on this server is $VERSION" <<<"$MIGRATE_OUT"
  check "… before applying anything" nothing_applied pkg_needs
fi

echo "package: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
