#!/usr/bin/env bash
# The embedded local stack: Postgres 15 + pg_convo, PostgREST, and an nginx gateway that answers
# like Supabase's (`/rest/v1/` → PostgREST, `apikey` header → bearer token).
#
#   scripts/stack.sh up|down|status|reset|token SUB|psql [args]
#
# Everything lives in $STACK_DIR (default .local/, git-ignored) and listens on 127.0.0.1 only.
# Ports and the folder come from the environment, so the test suite runs its own throwaway stack
# beside a developer's `make up` stack:  STACK_DIR, DB_PORT, API_PORT, REST_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STACK_DIR=$(realpath -m "${STACK_DIR:-$ROOT/.local}")
DB_PORT=${DB_PORT:-54322}
API_PORT=${API_PORT:-54321}
REST_PORT=${REST_PORT:-54325}
PGBIN=$(/usr/bin/pg_config --bindir)
POSTGREST="$ROOT/.tools/postgrest"
NGINX=${NGINX:-/usr/sbin/nginx}
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

psql_db() { PGPASSWORD=postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres "$@"; }

pg_running()    { [ -f "$PGDATA/postmaster.pid" ] && as_owner "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }
pid_alive()     { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
rest_running()  { pid_alive "$RUN/postgrest.pid"; }
nginx_running() { pid_alive "$RUN/nginx.pid"; }

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

start_db() {
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    say "initdb $PGDATA"
    local pw="$STACK_DIR/.pw"
    printf 'postgres\n' > "$pw"; [ "$(id -u)" = 0 ] && chown "$OWNER" "$pw"
    as_owner "$PGBIN/initdb" -D "$PGDATA" -U postgres --pwfile="$pw" -E UTF8 --locale=C.UTF-8 \
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
  fi
  if ! pg_running; then
    say "starting Postgres on 127.0.0.1:$DB_PORT"
    as_owner "$PGBIN/pg_ctl" -D "$PGDATA" -l "$STACK_DIR/log/postgres.log" -w -t 60 start >/dev/null \
      || fail "Postgres did not start (see $STACK_DIR/log/postgres.log)"
  fi
}

init_db() {
  # Supabase-compatible roles/schemas/auth (a no-op where present), then migrations, then seed.
  psql_db -f "$ROOT/sql/supabase_bootstrap.sql"
  psql_db -c "alter role authenticator password '$AUTHENTICATOR_PASSWORD'"
  DATABASE_URL="$DB_URL" "$ROOT/scripts/migrate.sh" --quiet
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
  as_owner bash -c "nohup '$POSTGREST' '$STACK_DIR/postgrest.conf' >>'$STACK_DIR/log/postgrest.log' 2>&1 & echo \$! > '$RUN/postgrest.pid'"
  wait_http "http://127.0.0.1:$REST_PORT/" || fail "PostgREST did not answer (see $STACK_DIR/log/postgrest.log)"
}

start_gateway() {
  nginx_running && return 0
  local n="$STACK_DIR/nginx"
  mkdir -p "$n/tmp"
  cat > "$n/nginx.conf" <<CONF
# Supabase-like API gateway: /rest/v1/ → PostgREST. Like Supabase's gateway, a request that has an
# apikey header and no Authorization is treated as bearing that key; one with neither is refused.
daemon on;
worker_processes 1;
pid $RUN/nginx.pid;
error_log $STACK_DIR/log/nginx-error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $n/tmp/body;
  proxy_temp_path $n/tmp/proxy;
  fastcgi_temp_path $n/tmp/fastcgi;
  uwsgi_temp_path $n/tmp/uwsgi;
  scgi_temp_path $n/tmp/scgi;
  map \$http_authorization \$convo_authorization {
    ""      \$convo_apikey_bearer;
    default \$http_authorization;
  }
  map \$http_apikey \$convo_apikey_bearer {
    ""      "";
    default "Bearer \$http_apikey";
  }
  upstream postgrest { server 127.0.0.1:$REST_PORT; keepalive 16; }
  server {
    listen 127.0.0.1:$API_PORT;
    location /rest/v1/ {
      if (\$convo_authorization = "") {
        add_header Content-Type application/json always;
        return 401 '{"message":"No API key found in request"}';
      }
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization \$convo_authorization;
      proxy_set_header Host \$host;
      proxy_pass http://postgrest/;
    }
    location = / { return 200 'pg_convo local stack: the API is at /rest/v1/\n'; }
  }
}
CONF
  [ "$(id -u)" = 0 ] && chown -R "$OWNER" "$n"
  say "starting the API gateway (nginx) on 127.0.0.1:$API_PORT"
  as_owner "$NGINX" -p "$n" -c "$n/nginx.conf" -e "$STACK_DIR/log/nginx-error.log" \
    || fail "nginx did not start (see $STACK_DIR/log/nginx-error.log)"
  wait_http "http://127.0.0.1:$API_PORT/" || fail "the gateway did not answer"
}

write_env() {
  local now exp anon service
  now=$(date +%s); exp=$((now + 10 * 365 * 24 * 3600))
  anon=$(mint "{\"iss\":\"supabase-demo\",\"role\":\"anon\",\"iat\":$now,\"exp\":$exp}")
  service=$(mint "{\"iss\":\"supabase-demo\",\"role\":\"service_role\",\"iat\":$now,\"exp\":$exp}")
  cat > "$ENV_FILE" <<ENV
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
  if pg_running && rest_running && nginx_running && [ -f "$ENV_FILE" ]; then
    # already up: only apply migrations that appeared since (a no-op otherwise)
    DATABASE_URL="$DB_URL" "$ROOT/scripts/migrate.sh" --quiet
    print_env; return 0
  fi
  start_db
  init_db
  start_rest
  start_gateway
  [ -f "$ENV_FILE" ] || write_env
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
  status) print_env; pg_running && rest_running && nginx_running || { echo "(not all services are running)"; exit 1; } ;;
  reset) cmd_reset ;;
  token) shift; cmd_token "$@" ;;
  psql) shift; psql_db "$@" ;;
  *) echo "usage: $0 up|down|status|reset|token SUB|psql [args]" >&2; exit 2 ;;
esac
