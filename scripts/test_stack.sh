#!/usr/bin/env bash
# The local stack's own suite: scripts/bootstrap.sh and scripts/stack.sh, tested against a
# throwaway stack of its own, which is always stopped at the end.
#
#   scripts/test_stack.sh        env: STACK_DIR API_PORT DB_PORT REST_PORT (defaults below)
#
# Prints `ok N - …` / `not ok N - …` and ends with `stack: N passed, M failed` (exit 1 if M > 0).
# It runs scripts/bootstrap.sh twice, and touches (mtime only) the installed pg_convo.so to
# simulate a new build: other stacks then restart their Postgres on their next `up`.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
export STACK_DIR=${STACK_DIR:-$ROOT/.local/stack-test}
export API_PORT=${API_PORT:-24621} DB_PORT=${DB_PORT:-24622} REST_PORT=${REST_PORT:-24625}
unset DATABASE_URL MIGRATIONS_DIR RUST_BACKTRACE RUST_LIB_BACKTRACE
LIBRARY="$(/usr/bin/pg_config --pkglibdir)/pg_convo.so"
MARKER="$STACK_DIR/.stack-test"   # this suite wipes only a folder it made itself
ALICE=11111111-1111-4111-8111-111111111111
WORK=$(mktemp -d)
FAKE_NGINX=""

n=0 passed=0 failed=0
# check DESCRIPTION COMMAND...: one test; the command's exit status is the verdict.
check() {
  local what=$1; shift
  n=$((n + 1))
  if "$@"; then passed=$((passed + 1)); echo "ok $n - $what"
  else failed=$((failed + 1)); echo "not ok $n - $what"; return 1; fi
}
# same DESCRIPTION GOT WANT: equality, showing both on failure.
same() {
  check "$1" test "$2" = "$3" && return 0
  printf '#   got:  %s\n#   want: %s\n' "$2" "$3"; return 1
}
summary() { echo "stack: $passed passed, $failed failed"; }
cleanup() {
  [ -n "$FAKE_NGINX" ] && kill "$FAKE_NGINX" 2>/dev/null
  scripts/stack.sh down >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
# bail REASON: the remaining checks cannot run; say so (never skip silently) and stop.
bail() { echo "# $1: the remaining checks were not run"; failed=$((failed + 1)); summary; exit 1; }

# http METHOD URL [curl args...]: sets CODE, BODY and HEADERS of one request.
http() {
  local method=$1 url=$2; shift 2
  BODY=$(curl -s -m 10 -X "$method" -D "$WORK/headers" -o - -w '\n%{http_code}' "$url" "$@")
  CODE=${BODY##*$'\n'}; BODY=${BODY%$'\n'*}
  HEADERS=$(tr -d '\r' < "$WORK/headers")
}
alive() { # alive PID: a live process, not a zombie
  local stat; stat=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $stat != Z* ]]
}
postmaster_pid() { head -n 1 "$STACK_DIR/db/postmaster.pid" 2>/dev/null; }
has_line() { grep -Eq "$1" <<<"$2"; }   # has_line REGEX TEXT
not() { ! "$@"; }
environ_of() { tr '\0' '\n' < "/proc/$1/environ" 2>/dev/null; }
sql() { scripts/stack.sh psql -At -c "$1" 2>&1; }

[ -f "$LIBRARY" ] || bail "pg_convo is not installed ($LIBRARY): run 'make install'"
if [ -e "$STACK_DIR/db" ] && [ ! -e "$MARKER" ]; then
  bail "$STACK_DIR holds a database this suite did not create: set STACK_DIR to a folder of its own"
fi

# --- bootstrap: installs what is missing, stops nothing -------------------------------------------
# A process that looks exactly like Debian's system nginx (the old bootstrap pkill'ed this pattern).
bash -c 'exec -a "nginx: master process /usr/sbin/nginx -g daemon on; master_process on;" sleep 600' &
FAKE_NGINX=$!
bootstrap_code=$(grep -v '^[[:space:]]*#' scripts/bootstrap.sh)
check "bootstrap.sh has no command that stops a process or service (pkill, killall, pg_ctlcluster, service/systemctl stop)" \
  not has_line '\b(pkill|killall|pg_ctlcluster|pg_dropcluster)\b|systemctl .*(stop|--now)|service .* stop' "$bootstrap_code"
scripts/bootstrap.sh >"$WORK/bootstrap1.log" 2>&1; rc=$?
same "bootstrap.sh succeeds" "$rc" 0 || sed 's/^/#   /' "$WORK/bootstrap1.log"
check "bootstrap.sh leaves a running 'nginx: master process /usr/sbin/nginx' it did not start alone" alive "$FAKE_NGINX"
kill "$FAKE_NGINX" 2>/dev/null; FAKE_NGINX=""
vector_control="$(/usr/bin/pg_config --sharedir)/extension/vector.control"
check "pgvector 0.8 is installed (vector.control: default_version 0.8.x)" \
  grep -Eq "^default_version = '0\.8\.[0-9]+'" "$vector_control"
check "bootstrap says where pgvector came from (a Debian package, or Debian's source package built here)" \
  grep -Eq 'pgvector 0\.8\.[0-9]+: (Debian package postgresql-15-pgvector|Debian source package pgvector 0\.8\.[0-9-]+ \(trixie\), built here)' "$WORK/bootstrap1.log"
grep -Eo 'pgvector 0\.8\.[0-9]+: .*' "$WORK/bootstrap1.log" | head -n1 | sed 's/^/#   /'
# Debian's source index was read through the bootstrap's own apt configuration, never the machine's
check "the machine's apt sources and lists have no trixie source index (the bootstrap's apt config is private)" \
  not has_line 'trixie' "$(grep -rhs '' /etc/apt/sources.list /etc/apt/sources.list.d/; ls /var/lib/apt/lists)"
check "no file in the repository names the withdrawn vendored pgvector archive" \
  not has_line '.' "$(git grep -lE 'shared/vend[o]r|PGVECTOR_ARC[H]IVE' -- . ':!migrations/' || true)"
scripts/bootstrap.sh >"$WORK/bootstrap2.log" 2>&1; rc=$?
# (its own lines only: scripts/clients.sh, which it runs last, reports for itself)
quiet_second_run() { [ "$rc" = 0 ] && ! grep -F '[bootstrap]' "$WORK/bootstrap2.log" | grep -Eiq 'installing|building|fetching|cargo pgrx init'; }
check "a second bootstrap.sh run succeeds and installs, builds or fetches nothing" quiet_second_run \
  || sed 's/^/#   /' "$WORK/bootstrap2.log"

# --- a fresh stack, started from a shell whose environment a server must not see -----------------
scripts/stack.sh down >/dev/null 2>&1
for port in "$API_PORT" "$DB_PORT" "$REST_PORT"; do
  [ -z "$(ss -ltnH "sport = :$port")" ] || bail "port $port is in use by another program: give this suite free ports"
done
rm -rf "$STACK_DIR/db" "$STACK_DIR/stack.env"
mkdir -p "$STACK_DIR" && touch "$MARKER"
RUST_BACKTRACE=1 RUST_LIB_BACKTRACE=full STACK_TEST_CALLER_ONLY=1 scripts/stack.sh up >"$WORK/up.log" 2>&1; rc=$?
same "stack.sh up starts a fresh stack" "$rc" 0 || { sed 's/^/#   /' "$WORK/up.log"; bail "no stack"; }
# shellcheck disable=SC1091
. "$STACK_DIR/stack.env"
same "stack.env (service-role key, JWT secret) is readable by its owner only" "$(stat -c %a "$STACK_DIR/stack.env")" 600
for server in "Postgres:$(postmaster_pid)" "PostgREST:$(cat "$STACK_DIR/run/postgrest.pid")"; do
  name=${server%%:*} pid=${server#*:}
  env_lines=$(environ_of "$pid")
  check "$name (pid $pid) runs with the stack's own environment (LC_ALL=C.UTF-8, TZ=UTC)" \
    has_line '^LC_ALL=C\.UTF-8$' "$env_lines"
  check "$name does not inherit the caller's RUST_BACKTRACE, RUST_LIB_BACKTRACE or other variables" \
    not has_line '^(RUST_BACKTRACE|RUST_LIB_BACKTRACE|STACK_TEST_CALLER_ONLY)=' "$env_lines"
done
for port in "$API_PORT" "$DB_PORT" "$REST_PORT"; do
  addrs=$(ss -ltnH "sport = :$port" | awk '{print $4}' | sort -u | paste -sd' ')
  same "port $port listens on 127.0.0.1 only" "$addrs" "127.0.0.1:$port"
done

# --- the gateway: a valid apikey is required, whatever Authorization says -------------------------
RPC="$API_URL/rest/v1/rpc/convo_info"
USER_JWT=$(scripts/stack.sh token "$ALICE")
is_401() { [ "$CODE" = 401 ] && jq -e --arg m "$1" '.message == $m' <<<"$BODY" >/dev/null 2>&1; }
refused() { # refused DESCRIPTION MESSAGE [curl args]: 401 with {"message": MESSAGE} as JSON
  local what=$1 message=$2; shift 2
  http GET "$RPC" "$@"
  check "$what → 401 {\"message\":\"$message\"}" is_401 "$message" || printf '#   got: %s %s\n' "$CODE" "$BODY"
}
refused "no apikey, no Authorization" "No API key found in request"
check "the 401 is JSON: exactly one Content-Type header, application/json" \
  test "$(grep -ic '^content-type:' <<<"$HEADERS")/$(grep -i '^content-type:' <<<"$HEADERS" | cut -d' ' -f2)" = "1/application/json"
refused "no apikey, Authorization: Basic" "No API key found in request" -H 'Authorization: Basic dXNlcjpwYXNz'
refused "no apikey, Authorization: garbage" "No API key found in request" -H 'Authorization: garbage'
refused "no apikey, Authorization: empty Bearer" "No API key found in request" -H 'Authorization: Bearer'
refused "no apikey, a valid user JWT as bearer" "No API key found in request" -H "Authorization: Bearer $USER_JWT"
refused "an apikey that is no key of this stack" "Invalid API key" -H 'apikey: not-a-key'
refused "a validly signed user JWT as apikey (not one of the stack's keys)" "Invalid API key" \
  -H "apikey: $USER_JWT" -H "Authorization: Bearer $USER_JWT"
refused "the anon key with its letters' case swapped (keys match exactly)" "Invalid API key" \
  -H "apikey: $(tr 'a-zA-Z' 'A-Za-z' <<<"$ANON_KEY")"
role_of() { # role_of DESCRIPTION WANT-ROLE WANT-UID [curl args]: 200 from convo_info, as whom
  local what=$1 role=$2 uid=$3; shift 3
  http GET "$RPC" "$@"
  same "$what → 200 as $role" "$CODE $(jq -r '"\(.role) \(.uid)"' <<<"$BODY" 2>/dev/null)" "200 $role $uid"
}
role_of "the anon apikey alone" anon null -H "apikey: $ANON_KEY"
role_of "the service_role apikey alone" service_role null -H "apikey: $SERVICE_ROLE_KEY"
role_of "the anon apikey and a user's bearer JWT" authenticated "$ALICE" \
  -H "apikey: $ANON_KEY" -H "Authorization: Bearer $USER_JWT"

# --- status and up after PostgREST died --------------------------------------------------------------
rest_pid=$(cat "$STACK_DIR/run/postgrest.pid")
kill -9 "$rest_pid"
status_out=$(scripts/stack.sh status 2>&1); rc=$?
says_down() { [ "$rc" != 0 ] && has_line 'not running: PostgREST' "$status_out"; }
check "right after kill -9 of PostgREST, status says it is not running (exit $rc)" says_down
scripts/stack.sh up >"$WORK/up2.log" 2>&1; rc=$?
new_pid=$(cat "$STACK_DIR/run/postgrest.pid" 2>/dev/null)
restarted_rest() { [ "$rc" = 0 ] && [ -n "$new_pid" ] && [ "$new_pid" != "$rest_pid" ] && alive "$new_pid"; }
check "up right after it restarts PostgREST (new pid $new_pid, alive)" restarted_rest \
  || sed 's/^/#   /' "$WORK/up2.log"
http GET "$RPC" -H "apikey: $ANON_KEY"
same "the API answers again" "$CODE" 200
scripts/stack.sh status >/dev/null 2>&1; rc=$?
same "status then says everything runs (exit 0)" "$rc" 0

# --- up on a running stack loads a newer pg_convo library and applies pending migrations ----------
token="kept-$RANDOM$RANDOM"
sql "create schema stack_test; create table stack_test.kept (v text); insert into stack_test.kept values ('$token')" >/dev/null
started_before=$(sql "select pg_postmaster_start_time()")
mkdir -p "$WORK/migrations"
cp migrations/*.sql "$WORK/migrations/"
cat > "$WORK/migrations/29991231235959_stack_test_probe.sql" <<SQL
-- stack_test: a function that appears with a migration applied by \`up\` on a running stack
create function public.stack_test_probe() returns text language sql stable set search_path = ''
as \$\$ select '$token' \$\$;
comment on function public.stack_test_probe() is 'scripts/test_stack.sh: served after up';
grant execute on function public.stack_test_probe() to anon;
SQL
if touch -m "$LIBRARY" 2>/dev/null; then
  MIGRATIONS_DIR="$WORK/migrations" scripts/stack.sh up >"$WORK/up3.log" 2>&1; rc=$?
  same "up on a running stack after a new library succeeds" "$rc" 0 || sed 's/^/#   /' "$WORK/up3.log"
  check "up says in one line that it restarted Postgres for the new library and applied 1 migration" \
    grep -q 'restarted Postgres to load the new pg_convo library.*applied 1 migration' "$WORK/up3.log"
  started_after=$(sql "select pg_postmaster_start_time()")
  check "Postgres was restarted (postmaster start $started_before → $started_after)" \
    test "$started_after" != "$started_before"
  same "the data is kept across the restart" "$(sql "select v from stack_test.kept")" "$token"
  same "the pending migration is recorded" \
    "$(sql "select count(*) from supabase_migrations.schema_migrations where version = '29991231235959'")" 1
  http GET "$API_URL/rest/v1/rpc/stack_test_probe" -H "apikey: $ANON_KEY"
  same "PostgREST serves the new function as soon as up returns" "$CODE $BODY" "200 \"$token\""
  MIGRATIONS_DIR="$WORK/migrations" scripts/stack.sh up >"$WORK/up4.log" 2>&1; rc=$?
  idle_up() { [ "$rc" = 0 ] && [ "$(sql "select pg_postmaster_start_time()")" = "$started_after" ] \
      && ! grep -Eq 'restarted|applied' "$WORK/up4.log"; }
  check "a second up restarts nothing and applies nothing" idle_up
else
  check "touch $LIBRARY (needs write access to it): the library-upgrade checks were not run" false
fi

summary
[ "$failed" = 0 ]
