#!/usr/bin/env bash
# The embedded local stack: Postgres 15 + pg_convo, PostgREST, and an nginx gateway that answers
# like Supabase's (`/rest/v1/` → PostgREST; a valid `apikey` header is required, and bears the
# request when there is no Authorization header).
#
#   scripts/stack.sh up|down|status|reset|token SUB|psql [args]
#
# Everything lives in $STACK_DIR (default .local/, git-ignored) and listens on 127.0.0.1 only.
# Ports and the folder come from the environment, so the test suite runs its own throwaway stack
# beside a developer's `make up` stack:  STACK_DIR, DB_PORT, API_PORT, REST_PORT (and PG_BINDIR).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=scripts/gateway.sh
. "$ROOT/scripts/gateway.sh"
STACK_DIR=$(realpath -m "${STACK_DIR:-$ROOT/.local}")
DB_PORT=${DB_PORT:-54322}
API_PORT=${API_PORT:-54321}
REST_PORT=${REST_PORT:-54325}
# PG_BINDIR: another PostgreSQL 15 installation's bin/ (the no-pgvector suite runs a copy of
# this machine's Postgres without pgvector); by default the one /usr/bin/pg_config names.
PGBIN=${PG_BINDIR:-$(/usr/bin/pg_config --bindir)}
POSTGREST="$ROOT/.tools/postgrest"
NGINX=${NGINX:-/usr/sbin/nginx}
LIBRARY="$("$PGBIN/pg_config" --pkglibdir)/pg_convo.so"   # what `make install` installs
PGDATA="$STACK_DIR/db"
RUN="$STACK_DIR/run"
ENV_FILE="$STACK_DIR/stack.env"
DB_URL="postgresql://postgres:postgres@127.0.0.1:$DB_PORT/postgres"
AUTHENTICATOR_PASSWORD=postgres   # local only, like the Supabase CLI's stack

say()  { printf '\033[1m[stack]\033[0m %s\n' "$*"; }
fail() { printf '[stack] FAILED: %s\n' "$*" >&2; exit 1; }

# Postgres refuses to run as root: as root, the stack's processes run as the postgres OS user.
if [ "$(id -u)" = 0 ]; then OWNER=postgres; as_owner() { runuser -u postgres -- "$@"; }
else OWNER=$(id -un); as_owner() { "$@"; }; fi

# The servers get a minimal, explicit environment, never the caller's: e.g. RUST_BACKTRACE in a
# developer's shell would otherwise make pg_convo's Rust errors carry backtraces to API clients.
SERVER_ENV=(PATH=/usr/local/bin:/usr/bin:/bin "HOME=$(getent passwd "$OWNER" | cut -d: -f6)"
  LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC)
as_server() { as_owner env -i "${SERVER_ENV[@]}" "$@"; }

psql_db() { PGPASSWORD=postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres "$@"; }

pg_running()    { [ -f "$PGDATA/postmaster.pid" ] && as_owner "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }
# pid_alive PIDFILE MARK: the pid in PIDFILE is a live process whose command line contains MARK
# (this stack's own config path). A killed process stays a zombie until it is reaped, and a pid
# can be reused: neither counts, so `up` right after a crash restarts the service.
pid_alive() {
  local pid stat
  [ -f "$1" ] && pid=$(cat "$1") && [[ $pid =~ ^[0-9]+$ ]] || return 1
  stat=$(ps -o stat= -p "$pid" 2>/dev/null) && [[ $stat != Z* ]] || return 1
  [[ $(ps -o args= -p "$pid" 2>/dev/null) == *"$2"* ]]
}
rest_running()  { pid_alive "$RUN/postgrest.pid" "$STACK_DIR/postgrest.conf"; }
nginx_running() { pid_alive "$RUN/nginx.pid" "$STACK_DIR/nginx/nginx.conf"; }
env_value()     { sed -n "s/^$1=//p" "$ENV_FILE"; }

wait_http() { # url: until it answers 200 (PostgREST answers 503 until its schema cache is loaded)
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}

jwt_secret() { cat "$STACK_DIR/jwt_secret"; }
mint() { "$ROOT/scripts/jwt.sh" "$(jwt_secret)" "$1"; }

ensure_dirs() {
  mkdir -p "$STACK_DIR" "$RUN" "$STACK_DIR/log" "$STACK_DIR/nginx"
  # the JWT secret is made once per stack and kept (also across `reset`), so keys stay valid
  if [ ! -s "$STACK_DIR/jwt_secret" ]; then
    (umask 077; openssl rand -hex 32 > "$STACK_DIR/jwt_secret")
  fi
  [ "$(id -u)" = 0 ] && chown -R "$OWNER" "$STACK_DIR"
  chmod 700 "$RUN"
}

# pg_cron (Debian's postgresql-15-cron; Supabase ships it), where it is installed: preloaded, its
# scheduler serving this database and running jobs in background workers (no login needed). The
# retention migration then creates the extension and registers its daily job; without pg_cron
# nothing is scheduled and everything else works. Added to a stack made before, too (it takes
# effect at the next start).
PG_CRON_LIBRARY="$(/usr/bin/pg_config --pkglibdir)/pg_cron.so"
cron_conf() {
  [ -f "$PG_CRON_LIBRARY" ] || return 0
  grep -q '^shared_preload_libraries' "$PGDATA/postgresql.conf" && return 0
  cat >> "$PGDATA/postgresql.conf" <<CONF
# pg_cron: the daily retention job (migrations/*_user_data_retention.sql)
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.use_background_workers = on
max_worker_processes = 16
CONF
}

start_db() {
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    say "initdb $PGDATA"
    local pw="$STACK_DIR/.pw"
    printf 'postgres\n' > "$pw"; [ "$(id -u)" = 0 ] && chown "$OWNER" "$pw"
    as_server "$PGBIN/initdb" -D "$PGDATA" -U postgres --pwfile="$pw" -E UTF8 --locale=C.UTF-8 \
      --auth-host=scram-sha-256 --auth-local=peer >"$STACK_DIR/log/initdb.log" 2>&1 \
      || { rm -f "$pw"; fail "initdb (see $STACK_DIR/log/initdb.log)"; }
    rm -f "$pw"
    cat >> "$PGDATA/postgresql.conf" <<CONF
# pg_convo local stack
listen_addresses = '127.0.0.1'
port = $DB_PORT
unix_socket_directories = '$RUN'
max_connections = 200
wal_level = logical   # as on Supabase: Realtime reads the supabase_realtime publication
shared_buffers = 256MB
fsync = on
log_min_messages = warning
CONF
    # Realtime decodes the WAL with wal2json (Debian postgresql-15-wal2json). PostgreSQL builds that
    # list the output plugins a slot may use (output_plugin_libraries) must name it; others do not
    # know the setting, and would refuse to start with it.
    if as_server "$PGBIN/postgres" --describe-config 2>/dev/null | grep -c '^output_plugin_libraries' >/dev/null; then
      echo "output_plugin_libraries = 'pgoutput, test_decoding, wal2json'   # Realtime's decoder" >> "$PGDATA/postgresql.conf"
    fi
  fi
  cron_conf
  if ! pg_running; then
    say "starting Postgres on 127.0.0.1:$DB_PORT"
    as_server "$PGBIN/pg_ctl" -D "$PGDATA" -l "$STACK_DIR/log/postgres.log" -w -t 60 start >/dev/null \
      || fail "Postgres did not start (see $STACK_DIR/log/postgres.log)"
  fi
}

# True when the installed pg_convo library is newer than the running postmaster: the running
# server (and PostgREST's pooled connections) still serve the previous build.
library_is_newer() {
  [ -f "$LIBRARY" ] || return 1
  [ "$(psql_db -Atc "select to_timestamp($(stat -c %.6Y "$LIBRARY")) > pg_postmaster_start_time()")" = t ]
}

restart_db() {
  as_server "$PGBIN/pg_ctl" -D "$PGDATA" -l "$STACK_DIR/log/postgres.log" -m fast -w -t 60 restart >/dev/null \
    || fail "Postgres did not restart (see $STACK_DIR/log/postgres.log)"
}

migrate() { DATABASE_URL="$DB_URL" "$ROOT/scripts/migrate.sh" --quiet; }
applied_count() { psql_db -Atc "select count(*) from supabase_migrations.schema_migrations"; }

init_db() {
  # Supabase-compatible roles/schemas/auth (a no-op where present), then migrations, then seed.
  PGOPTIONS="-c client_min_messages=warning" psql_db -f "$ROOT/sql/supabase_bootstrap.sql"
  psql_db -c "alter role authenticator password '$AUTHENTICATOR_PASSWORD'"
  migrate
  psql_db -f "$ROOT/sql/seed.sql"
}

start_rest() {
  rest_running && return 0
  cat > "$STACK_DIR/postgrest.conf" <<CONF
db-uri = "postgres://authenticator:$AUTHENTICATOR_PASSWORD@127.0.0.1:$DB_PORT/postgres"
db-schemas = "public"
db-anon-role = "anon"
db-extra-search-path = "public, extensions"
db-pool = 20
jwt-secret = "$(jwt_secret)"
server-host = "127.0.0.1"
server-port = $REST_PORT
log-level = "error"
CONF
  [ "$(id -u)" = 0 ] && chown "$OWNER" "$STACK_DIR/postgrest.conf"
  chmod 600 "$STACK_DIR/postgrest.conf"
  say "starting PostgREST on 127.0.0.1:$REST_PORT"
  as_server bash -c "nohup '$POSTGREST' '$STACK_DIR/postgrest.conf' >>'$STACK_DIR/log/postgrest.log' 2>&1 & echo \$! > '$RUN/postgrest.pid'"
  wait_http "http://127.0.0.1:$REST_PORT/" || fail "PostgREST did not answer (see $STACK_DIR/log/postgrest.log)"
}

# PostgREST reloads its schema cache on NOTIFY pgrst (migrate.sh sends one) and reconnects by
# itself after a Postgres restart; a NOTIFY sent while it was reconnecting is lost, though. So wait
# until its schema cache has every function in `public` that the service role may call by named
# arguments (a computed relationship such as `profiles(session_messages)` is no /rpc/ endpoint),
# asking it to reload (SIGUSR1) now and then. The probe names all of a function's arguments and
# accepts a media type nobody serves: 415 means "found in the cache", 404 means "not there yet";
# nothing is executed.
wait_schema_cache() {
  local functions key name args code missing i
  functions=$(psql_db -At -F $'\t' -c "select p.proname,
      coalesce((select json_object_agg(a.name, null) from unnest(p.proargnames,
        coalesce(p.proargmodes, array_fill('i'::\"char\", array[p.pronargs]))) as a(name, mode)
        where a.mode in ('i', 'b', 'v')), '{}')
    from pg_proc p
    where p.pronamespace = 'public'::regnamespace and p.prokind = 'f'
      and p.prorettype <> 'trigger'::regtype and has_function_privilege('service_role', p.oid, 'execute')
      and (p.pronargs = 0 or '' <> all(p.proargnames))")
  key=$(env_value SERVICE_ROLE_KEY)
  wait_http "http://127.0.0.1:$REST_PORT/" || fail "PostgREST does not answer (see $STACK_DIR/log/postgrest.log)"
  for i in $(seq 1 100); do
    missing=""
    while IFS=$'\t' read -r name args; do
      [ -n "$name" ] || continue
      code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$REST_PORT/rpc/$name" \
        -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        -H 'Accept: application/x-pg-convo-probe' -d "$args")
      [ "$code" = 415 ] || { missing=$name; break; }
    done <<<"$functions"
    [ -z "$missing" ] && return 0
    [ $((i % 10)) = 0 ] && rest_running && kill -USR1 "$(cat "$RUN/postgrest.pid")"
    sleep 0.2
  done
  fail "PostgREST's schema cache lacks public.$missing (see $STACK_DIR/log/postgrest.log)"
}

# The gateway: the rules of scripts/gateway.sh, in front of this stack's PostgREST.
gateway_conf() {
  local n=$1 anon service
  anon=$(env_value ANON_KEY); service=$(env_value SERVICE_ROLE_KEY)
  if [ -z "$anon" ] || [ -z "$service" ]; then fail "no keys in $ENV_FILE: run 'scripts/stack.sh reset'"; fi
  echo "# Supabase-like API gateway: /rest/v1/ → PostgREST, only with a valid apikey (see scripts/gateway.sh)."
  gateway_http_start "$n" "$RUN/nginx.pid" "$STACK_DIR/log/nginx-error.log" "$anon" "$service"
  cat <<CONF
  upstream postgrest { server 127.0.0.1:$REST_PORT; keepalive 16; }
  server {
    listen 127.0.0.1:$API_PORT;
    location /rest/v1/ {
$(gateway_api_rules)
      proxy_pass http://postgrest/;
    }
    location = / { return 200 'pg_convo local stack: the API is at /rest/v1/\n'; }
  }
}
CONF
}

start_gateway() {
  local n="$STACK_DIR/nginx" conf
  mkdir -p "$n/tmp"
  conf=$(gateway_conf "$n")
  if nginx_running; then
    # running: reload only when its config changed (e.g. new keys after stack.env was removed)
    [ "$conf" = "$(cat "$n/nginx.conf" 2>/dev/null)" ] && return 0
    printf '%s\n' "$conf" > "$n/nginx.conf"
    say "reloading the API gateway's config"
    kill -HUP "$(cat "$RUN/nginx.pid")"
    return 0
  fi
  printf '%s\n' "$conf" > "$n/nginx.conf"
  [ "$(id -u)" = 0 ] && chown -R "$OWNER" "$n"
  say "starting the API gateway (nginx) on 127.0.0.1:$API_PORT"
  as_server "$NGINX" -p "$n" -c "$n/nginx.conf" -e "$STACK_DIR/log/nginx-error.log" \
    || fail "nginx did not start (see $STACK_DIR/log/nginx-error.log)"
  wait_http "http://127.0.0.1:$API_PORT/" || fail "the gateway did not answer"
}

write_env() {
  local now exp anon service
  now=$(date +%s); exp=$((now + 10 * 365 * 24 * 3600))
  anon=$(mint "{\"iss\":\"supabase-demo\",\"role\":\"anon\",\"iat\":$now,\"exp\":$exp}")
  service=$(mint "{\"iss\":\"supabase-demo\",\"role\":\"service_role\",\"iat\":$now,\"exp\":$exp}")
  # the service-role key and the JWT secret: readable by the stack's user only, like jwt_secret
  rm -f "$ENV_FILE"; (umask 077; : > "$ENV_FILE")
  cat >> "$ENV_FILE" <<ENV
API_URL=http://127.0.0.1:$API_PORT
REST_URL=http://127.0.0.1:$REST_PORT
DB_URL=$DB_URL
ANON_KEY=$anon
SERVICE_ROLE_KEY=$service
JWT_SECRET=$(jwt_secret)
ENV
}

print_env() {
  [ -f "$ENV_FILE" ] || fail "no stack here ($STACK_DIR): run 'make up'"
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  cat <<OUT

pg_convo local stack is running.

         API URL: $API_URL
        REST URL: $REST_URL   (PostgREST itself)
          DB URL: $DB_URL
      JWT secret: $JWT_SECRET
        anon key: $ANON_KEY
service_role key: $SERVICE_ROLE_KEY

(also in $ENV_FILE)
OUT
}

cmd_up() {
  ensure_dirs
  [ -f "$ENV_FILE" ] || write_env   # the keys first: the gateway's config names them
  chmod 600 "$ENV_FILE"              # (a stack.env written before it was kept private)
  # A newly installed pg_convo build is loaded by restarting Postgres: the data stays, and
  # PostgREST reconnects by itself. Migrations that appeared since are applied below.
  local restarted="" before after
  if pg_running && library_is_newer; then
    restart_db
    restarted="restarted Postgres to load the new pg_convo library ($(date -r "$LIBRARY" '+%F %T')); "
  fi
  if pg_running && rest_running && nginx_running; then
    before=$(applied_count); migrate; after=$(applied_count)
    start_gateway          # a no-op unless its config changed
    wait_schema_cache
    if [ -n "$restarted" ] || [ "$before" != "$after" ]; then
      say "${restarted}applied $((after - before)) migration(s); PostgREST serves the new schema; data kept"
    fi
  else
    [ -z "$restarted" ] || say "${restarted%; }"
    start_db
    init_db
    start_rest
    start_gateway
    wait_schema_cache
  fi
  print_env
}

cmd_down() {
  if nginx_running; then kill "$(cat "$RUN/nginx.pid")" 2>/dev/null || true; fi
  if rest_running; then kill "$(cat "$RUN/postgrest.pid")" 2>/dev/null || true; fi
  if pg_running; then as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null || true; fi
  for _ in $(seq 1 50); do
    nginx_running || rest_running || break
    sleep 0.1
  done
  rm -f "$RUN/nginx.pid" "$RUN/postgrest.pid"
  say "stopped ($STACK_DIR)"
}

cmd_status() {
  print_env
  local down=()
  pg_running || down+=(Postgres)
  rest_running || down+=(PostgREST)
  nginx_running || down+=(gateway)
  [ ${#down[@]} = 0 ] || { echo "(not running: ${down[*]})"; exit 1; }
}

cmd_reset() {
  cmd_down
  rm -rf "$PGDATA" "$ENV_FILE"
  cmd_up
}

cmd_token() {
  local sub=${1:?usage: stack.sh token <user uuid>} now
  now=$(date +%s)
  mint "{\"sub\":\"$sub\",\"role\":\"authenticated\",\"aud\":\"authenticated\",\"iat\":$now,\"exp\":$((now + 3600))}"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  token) shift; cmd_token "$@" ;;
  psql) shift; psql_db "$@" ;;
  *) echo "usage: $0 up|down|status|reset|token SUB|psql [args]" >&2; exit 2 ;;
esac
