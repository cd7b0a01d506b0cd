#!/usr/bin/env bash
# The local highly-available pg_convo (`make cluster`, README "Beyond one machine"): beside, not
# instead of, `make up`. Everything on 127.0.0.1, run as the postgres OS user:
#
#   pg_auto_failover 2.0 (Debian's postgresql-15-auto-failover): a monitor and three data nodes,
#     each node a Postgres 15 with pg_convo and pgvector plus its `pg_autoctl` keeper. The monitor
#     alone decides and performs failover; this script only starts, stops and observes.
#     node1 and node2 are the HA pair (replication quorum, either may be promoted): the standby of
#     the two is synchronous (`ANY 1 (…)`) with synchronous_commit = remote_apply, so a commit
#     returns once it has applied it. node3 is an asynchronous copy, never promoted, never read.
#   PostgREST "rw": a libpq multi-host URI over all three nodes with target_session_attrs=read-write,
#     so it always finds the current primary, with no proxy.
#   PostgREST "ro" (the read pool): node2, node1 with target_session_attrs=prefer-standby: the
#     synchronous standby, or the primary when no standby answers.
#   nginx, the gateway: the single-node gateway's apikey rules; GET/HEAD (tables, and rpc called
#     with `{ get: true }`) → the read pool, everything else → rw.
#
#   scripts/cluster.sh up|down|status|psql [args]|start-node NODE
#
# Environment: CLUSTER_DIR (default .local/cluster), CLUSTER_PORT (default 54340): the monitor
# listens on CLUSTER_PORT, the data nodes on +1 … +3, the gateway on +4, PostgREST rw / ro on +5 /
# +6. CLUSTER_REPLICATION=async makes every standby asynchronous (for the fault suite's proof that
# the guarantees then fail; never the default). Not stack.sh's STACK_DIR/DB_PORT… on purpose.
#
# Read-your-writes, the timeouts and why they stay split-brain safe: docs/cluster.md and the
# comment above MONITOR_SETTINGS below.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=scripts/gateway.sh
. "$ROOT/scripts/gateway.sh"
CLUSTER_DIR=$(realpath -m "${CLUSTER_DIR:-$ROOT/.local/cluster}")
BASE=${CLUSTER_PORT:-54340}
MONITOR_PORT=$BASE
NODE_PORTS=($((BASE + 1)) $((BASE + 2)) $((BASE + 3)))
API_PORT=$((BASE + 4)) REST_RW_PORT=$((BASE + 5)) REST_RO_PORT=$((BASE + 6))
REPLICATION=${CLUSTER_REPLICATION:-sync}
PGBIN=$(/usr/bin/pg_config --bindir)
PG_AUTOCTL=/usr/bin/pg_autoctl
POSTGREST="$ROOT/.tools/postgrest"
NGINX=${NGINX:-/usr/sbin/nginx}
RUN="$CLUSTER_DIR/run" LOG="$CLUSTER_DIR/log"
ENV_FILE="$CLUSTER_DIR/stack.env"
PASSWORD=postgres   # every role's local password (like the single-node stack's); 127.0.0.1 only

say()  { printf '\033[1m[cluster]\033[0m %s\n' "$*"; }
fail() { printf '[cluster] FAILED: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" = 0 ]; then OWNER=postgres; as_owner() { runuser -u postgres -- "$@"; }
else OWNER=$(id -un); as_owner() { "$@"; }; fi
# pg_autoctl keeps its config and state under XDG_CONFIG_HOME / XDG_DATA_HOME and its pid files
# under XDG_RUNTIME_DIR: all inside CLUSTER_DIR, not in the postgres user's ~/.config or
# /var/run/postgresql. PGHOST is libpq's default socket directory for its local connections;
# PGPASSFILE gives every libpq client of the cluster (keepers, walreceivers, pg_rewind, the
# monitor's health checks) the local password.
SERVER_ENV=(PATH="$PGBIN:/usr/local/bin:/usr/bin:/bin" HOME="$CLUSTER_DIR/home" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
  XDG_CONFIG_HOME="$CLUSTER_DIR/xdg/config" XDG_DATA_HOME="$CLUSTER_DIR/xdg/data" XDG_RUNTIME_DIR="$RUN"
  PGHOST="$RUN" PGPASSFILE="$CLUSTER_DIR/pgpass")
as_server() { as_owner env -i "${SERVER_ENV[@]}" "$@"; }

node_dir() { echo "$CLUSTER_DIR/node$1"; }
node_url() { echo "postgresql://postgres:$PASSWORD@127.0.0.1:${NODE_PORTS[$1 - 1]}/postgres"; }
MONITOR_URL="postgresql://autoctl_node:$PASSWORD@127.0.0.1:$MONITOR_PORT/pg_auto_failover?sslmode=disable"
hosts_in_order() { local p s=""; for p in "$@"; do s+="${s:+,}127.0.0.1:${NODE_PORTS[$p - 1]}"; done; echo "$s"; }
# the primary, wherever it is: what DB_URL names and what every write path uses
PRIMARY_URL="postgresql://postgres:$PASSWORD@$(hosts_in_order 1 2 3)/postgres?target_session_attrs=read-write&connect_timeout=2"

psql_url() { PGPASSWORD=$PASSWORD PGCONNECT_TIMEOUT=3 "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$1" "${@:2}"; }
monitor_sql() { psql_url "postgresql://postgres:$PASSWORD@127.0.0.1:$MONITOR_PORT/pg_auto_failover" -Atc "$1"; }

pid_alive() { # PIDFILE MARK: a live, non-zombie process whose command line contains MARK
  local pid stat
  [ -f "$1" ] && pid=$(cat "$1") && [[ $pid =~ ^[0-9]+$ ]] || return 1
  stat=$(ps -o stat= -p "$pid" 2>/dev/null) && [[ $stat != Z* ]] || return 1
  [[ $(ps -o args= -p "$pid" 2>/dev/null) == *"$2"* ]]
}
keeper_running() { pid_alive "$RUN/$1.keeper.pid" "pg_autoctl"; }   # $1: monitor | node1 …

wait_until() { # SECONDS COMMAND…: polls every 0.2 s
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.2; done
}

# Settings every Postgres of the cluster gets. postgresql.conf includes pg_autoctl's own file
# (postgresql-auto-failover.conf) on its first line, so what follows here wins: pg_autoctl would
# give each node shared_buffers = 25% of RAM and listen on '*'.
base_conf() {
  cat <<CONF
# pg_convo cluster (scripts/cluster.sh); overrides pg_autoctl's postgresql-auto-failover.conf
listen_addresses = '127.0.0.1'
unix_socket_directories = '$RUN'
shared_buffers = 128MB
effective_cache_size = 1GB
maintenance_work_mem = 64MB
work_mem = 8MB
max_connections = 200
wal_level = logical   # as on Supabase: Realtime reads the supabase_realtime publication
logging_collector = off
log_min_messages = warning
# read-your-writes (docs/cluster.md): a commit returns once the synchronous standby has applied it
synchronous_commit = remote_apply
wal_log_hints = on   # pg_rewind, when an old primary rejoins
CONF
}

init_pgdata() { # DIR PORT: an initdb'd, configured, stopped data directory
  local dir=$1 pw="$CLUSTER_DIR/.pw"
  printf '%s\n' "$PASSWORD" > "$pw"; chown "$OWNER" "$pw" 2>/dev/null || true
  as_server "$PGBIN/initdb" -D "$dir" -U postgres --pwfile="$pw" -E UTF8 --locale=C.UTF-8 \
    --auth-host=scram-sha-256 --auth-local=peer >"$LOG/initdb-$(basename "$dir").log" 2>&1 \
    || { rm -f "$pw"; fail "initdb $dir (see $LOG/initdb-$(basename "$dir").log)"; }
  rm -f "$pw"
  base_conf >> "$dir/postgresql.conf"
  # 127.0.0.1 only, passwords only (the keepers', walreceivers' and monitor's too, via PGPASSFILE)
  as_owner tee "$dir/pg_hba.conf" >/dev/null <<HBA
local all         all                peer
host  all         all  127.0.0.1/32  scram-sha-256
host  replication all  127.0.0.1/32  scram-sha-256
HBA
}

ensure_dirs() {
  mkdir -p "$CLUSTER_DIR" "$RUN" "$LOG" "$CLUSTER_DIR/home" "$CLUSTER_DIR/xdg/config" \
    "$CLUSTER_DIR/xdg/data" "$CLUSTER_DIR/nginx/tmp"
  [ -s "$CLUSTER_DIR/jwt_secret" ] || (umask 077; openssl rand -hex 32 > "$CLUSTER_DIR/jwt_secret")
  (umask 077; printf '*:*:*:*:%s\n' "$PASSWORD" > "$CLUSTER_DIR/pgpass")
  [ "$(id -u)" = 0 ] && chown -R "$OWNER" "$CLUSTER_DIR"
  chmod 700 "$RUN"
}

# the commands above write their logs as the caller; the servers append to them as the owner
own_logs() { if [ "$(id -u)" = 0 ]; then chown -R "$OWNER" "$LOG"; fi; }

start_keeper() { # NAME: `pg_autoctl run` for monitor / nodeN, in a session of its own
  local name=$1
  keeper_running "$name" && return 0
  own_logs
  as_server setsid bash -c "nohup '$PG_AUTOCTL' run --pgdata '$CLUSTER_DIR/$name' >>'$LOG/$name.log' 2>&1 & echo \$! > '$RUN/$name.keeper.pid'"
}

# The monitor's health checks and the keepers' partition timeout. pg_auto_failover's defaults
# take ~50 s to fail over a dead node (node_considered_unhealthy_timeout 20 s, then
# primary_demote_timeout 30 s); shortened here (measured: docs/cluster.md). Why it stays
# split-brain safe:
#  1. the replication is synchronous: a primary cut off from the monitor and its standby cannot
#     acknowledge a single write (each commit waits for the standby, remote_apply), and only the
#     monitor can tell it to stop waiting (wait_primary), which a cut-off primary cannot hear. So
#     no write a client got a 2xx for can land on an old primary after the monitor gave up on it;
#  2. pg_auto_failover's own rule holds too: a primary that cannot reach the monitor (and has no
#     standby connected) demotes itself after network_partition_timeout plus the keeper's loop
#     and its 2 s monitor connection retries (≤ 3.5 s), before the monitor promotes a standby,
#     which it does no earlier than node_considered_unhealthy_timeout after the last report plus
#     primary_demote_timeout: 1 + 3.5 = 4.5 s < 2 + 3 = 5 s.
# Setting primary_demote_timeout alone below the keeper's default 20 s partition timeout would
# break rule 2 (two writable primaries for a while with asynchronous replication).
NETWORK_PARTITION_TIMEOUT=1          # keeper, seconds (default 20)
MONITOR_SETTINGS=(
  "pgautofailover.health_check_period = 1000"             # ms (default 5000)
  "pgautofailover.health_check_timeout = 1000"            # ms (default 5000)
  "pgautofailover.health_check_max_retries = 1"           # (default 2)
  "pgautofailover.health_check_retry_delay = 500"         # ms (default 2000)
  "pgautofailover.node_considered_unhealthy_timeout = 2000"  # ms (default 20000)
  "pgautofailover.primary_demote_timeout = 3000"          # ms (default 30000)
)

start_monitor() {
  if [ ! -s "$CLUSTER_DIR/monitor/PG_VERSION" ]; then
    say "creating the pg_auto_failover monitor on 127.0.0.1:$MONITOR_PORT"
    init_pgdata "$CLUSTER_DIR/monitor"
    printf '%s\n' "${MONITOR_SETTINGS[@]}" | as_owner tee -a "$CLUSTER_DIR/monitor/postgresql.conf" >/dev/null
    # the monitor's own pg_autoctl listens for its notifications as autoctl_node, on the socket
    as_owner sed -i '1i local pg_auto_failover autoctl_node scram-sha-256' "$CLUSTER_DIR/monitor/pg_hba.conf"
    as_server "$PG_AUTOCTL" create monitor --pgdata "$CLUSTER_DIR/monitor" --pgport "$MONITOR_PORT" \
      --hostname 127.0.0.1 --skip-pg-hba --no-ssl >>"$LOG/monitor.log" 2>&1 \
      || fail "pg_autoctl create monitor (see $LOG/monitor.log)"
    as_server "$PG_AUTOCTL" config set --pgdata "$CLUSTER_DIR/monitor" postgresql.listen_addresses 127.0.0.1 >/dev/null
  fi
  start_keeper monitor
  wait_until 60 monitor_sql "select 1" || fail "the monitor did not start (see $LOG/monitor.log)"
  monitor_sql "alter role autoctl_node password '$PASSWORD'" >/dev/null
}

node_state() { # N: the monitor's reported state of node N
  monitor_sql "select reportedstate from pgautofailover.node where nodeport = ${NODE_PORTS[$1 - 1]}"
}
node_is() { [ "$(node_state "$1")" = "$2" ]; }

create_node() { # N
  local n=$1 dir; dir=$(node_dir "$n")
  # nodes 1 and 2: the HA pair, in the synchronous quorum, either may be promoted, and the
  # standby of the two serves the reads; node 3: an asynchronous copy that never serves reads
  # and is never promoted (docs/cluster.md: read-your-writes)
  local quorum=true priority=50
  [ "$n" = 3 ] && quorum=false priority=0
  [ "$REPLICATION" = async ] && quorum=false
  say "creating data node $n on 127.0.0.1:${NODE_PORTS[$n - 1]}"
  # node 1 starts as the primary, from a data directory of ours; 2 and 3 are cloned by pg_autoctl
  # (pg_basebackup), so they get node 1's postgresql.conf and pg_hba.conf.
  [ "$n" = 1 ] && init_pgdata "$dir"
  as_server "$PG_AUTOCTL" create postgres --pgdata "$dir" --pgport "${NODE_PORTS[$n - 1]}" \
    --hostname 127.0.0.1 --listen 127.0.0.1 --name "node$n" --dbname postgres --username postgres \
    --monitor "$MONITOR_URL" --skip-pg-hba --no-ssl \
    --replication-quorum "$quorum" --candidate-priority "$priority" >>"$LOG/node$n.log" 2>&1 \
    || fail "pg_autoctl create postgres node$n (see $LOG/node$n.log)"
  as_server "$PG_AUTOCTL" config set --pgdata "$dir" timeout.network_partition_timeout "$NETWORK_PARTITION_TIMEOUT" >/dev/null
  # a keeper (re)creates the replication role with this password whenever its node becomes primary
  as_server "$PG_AUTOCTL" config set --pgdata "$dir" replication.password "$PASSWORD" >/dev/null
}

start_nodes() {
  local n
  if [ ! -s "$(node_dir 1)/PG_VERSION" ]; then
    create_node 1
    start_keeper node1
    wait_until 90 node_is 1 single || fail "node 1 did not become the primary (see $LOG/node1.log)"
    wait_until 60 psql_url "$(node_url 1)" -c "select 1" || fail "node 1 does not answer (see $LOG/node1.log)"
    # the roles the standbys (replication) and the monitor (health checks) connect as
    psql_url "$(node_url 1)" -c "alter role pgautofailover_replicator password '$PASSWORD'" \
      -c "alter role pgautofailover_monitor password '$PASSWORD'" >/dev/null
  fi
  start_keeper node1
  for n in 2 3; do
    if [ ! -s "$(node_dir "$n")/PG_VERSION" ]; then create_node "$n"; fi
    start_keeper "node$n"
  done
  if [ "$REPLICATION" = async ]; then
    as_server "$PG_AUTOCTL" set formation number-sync-standbys 0 --monitor "$MONITOR_URL" >/dev/null 2>&1 || true
  fi
  say "waiting for one primary and two standbys"
  wait_until 180 cluster_healthy || { cmd_status || true; fail "the nodes did not reach primary + 2 secondaries"; }
  # after a restart the monitor still shows the states it had: wait for the servers themselves
  wait_until 120 psql_url "$PRIMARY_URL" -c "select 1" || fail "no primary accepts writes (see $LOG/node*.log)"
  for n in 1 2 3; do wait_until 60 psql_url "$(node_url "$n")" -c "select 1" || say "node $n does not answer yet"; done
}

cluster_healthy() {
  [ "$(monitor_sql "select string_agg(reportedstate::text || '/' || goalstate::text, ',' order by reportedstate)
                     from pgautofailover.node where formationid = 'default'")" = "primary/primary,secondary/secondary,secondary/secondary" ]
}

# --- the API: PostgREST rw / ro and the gateway --------------------------------------------------
jwt_secret() { cat "$CLUSTER_DIR/jwt_secret"; }
mint() { "$ROOT/scripts/jwt.sh" "$(jwt_secret)" "$1"; }
env_value() { sed -n "s/^$1=//p" "$ENV_FILE"; }
rest_running() { pid_alive "$RUN/postgrest-$1.pid" "$CLUSTER_DIR/postgrest-$1.conf"; }
nginx_running() { pid_alive "$RUN/nginx.pid" "$CLUSTER_DIR/nginx/nginx.conf"; }

wait_http() { # URL [SECONDS]
  local deadline=$((SECONDS + ${2:-30}))
  until [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$1")" = 200 ]; do
    [ $SECONDS -lt $deadline ] || return 1; sleep 0.2
  done
}

start_rest() { # rw|ro
  local kind=$1 port uri
  rest_running "$kind" && return 0
  if [ "$kind" = rw ]; then
    port=$REST_RW_PORT uri="postgres://authenticator:$PASSWORD@$(hosts_in_order 1 2 3)/postgres?target_session_attrs=read-write&connect_timeout=2"
  else
    # the HA pair only: whichever of the two is the standby is the one every commit waits for
    port=$REST_RO_PORT uri="postgres://authenticator:$PASSWORD@$(hosts_in_order 2 1)/postgres?target_session_attrs=prefer-standby&connect_timeout=2"
  fi
  cat > "$CLUSTER_DIR/postgrest-$kind.conf" <<CONF
db-uri = "$uri"
db-schemas = "public"
db-anon-role = "anon"
db-extra-search-path = "public, extensions"
db-pool = 20
db-pool-acquisition-timeout = 5
jwt-secret = "$(jwt_secret)"
server-host = "127.0.0.1"
server-port = $port
log-level = "error"
CONF
  [ "$(id -u)" = 0 ] && chown "$OWNER" "$CLUSTER_DIR/postgrest-$kind.conf"
  chmod 600 "$CLUSTER_DIR/postgrest-$kind.conf"
  own_logs
  say "starting PostgREST ($kind) on 127.0.0.1:$port"
  as_server bash -c "nohup '$POSTGREST' '$CLUSTER_DIR/postgrest-$kind.conf' >>'$LOG/postgrest-$kind.log' 2>&1 & echo \$! > '$RUN/postgrest-$kind.pid'"
  wait_http "http://127.0.0.1:$port/" 60 || fail "PostgREST ($kind) did not answer (see $LOG/postgrest-$kind.log)"
}

# The gateway: the rules of scripts/gateway.sh, plus Supabase's read-replica routing by method.
gateway_conf() {
  local n="$CLUSTER_DIR/nginx" anon service
  anon=$(env_value ANON_KEY); service=$(env_value SERVICE_ROLE_KEY)
  echo "# pg_convo cluster gateway: /rest/v1/ → PostgREST, only with a valid apikey (see scripts/gateway.sh);"
  echo "# GET / HEAD → the read pool (PostgREST ro), everything else → the primary (PostgREST rw)."
  gateway_http_start "$n" "$RUN/nginx.pid" "$LOG/nginx-error.log" "$anon" "$service"
  cat <<CONF
  # the path after /rest/v1, as the client sent it (not decoded): proxy_pass names a variable
  # upstream, so it takes the whole URI from here
  map \$request_uri \$convo_path {
    "~^/rest/v1(?<rest>/[^?]*)" \$rest;
    default                     /;
  }
  map \$request_method \$convo_pool {
    GET     postgrest_ro;
    HEAD    postgrest_ro;
    default postgrest_rw;
  }
  upstream postgrest_rw { server 127.0.0.1:$REST_RW_PORT; keepalive 16; }
  upstream postgrest_ro { server 127.0.0.1:$REST_RO_PORT; keepalive 16; }
  server {
    listen 127.0.0.1:$API_PORT;
    location /rest/v1/ {
$(gateway_api_rules)
      proxy_pass http://\$convo_pool\$convo_path\$is_args\$args;
      add_header X-Convo-Pool \$convo_pool always;
    }
    location = / { return 200 'pg_convo local cluster: the API is at /rest/v1/\n'; }
  }
}
CONF
}

start_gateway() {
  nginx_running && return 0
  gateway_conf > "$CLUSTER_DIR/nginx/nginx.conf"
  [ "$(id -u)" = 0 ] && chown -R "$OWNER" "$CLUSTER_DIR/nginx"
  say "starting the API gateway (nginx) on 127.0.0.1:$API_PORT"
  as_server "$NGINX" -p "$CLUSTER_DIR/nginx" -c "$CLUSTER_DIR/nginx/nginx.conf" -e "$LOG/nginx-error.log" \
    || fail "nginx did not start (see $LOG/nginx-error.log)"
  wait_http "http://127.0.0.1:$API_PORT/" || fail "the gateway did not answer"
}

write_env() {
  local now exp anon service nodes="" n
  now=$(date +%s); exp=$((now + 10 * 365 * 24 * 3600))
  anon=$(mint "{\"iss\":\"supabase-demo\",\"role\":\"anon\",\"iat\":$now,\"exp\":$exp}")
  service=$(mint "{\"iss\":\"supabase-demo\",\"role\":\"service_role\",\"iat\":$now,\"exp\":$exp}")
  for n in 1 2 3; do nodes+="${nodes:+,}$(node_url "$n")"; done
  rm -f "$ENV_FILE"; (umask 077; : > "$ENV_FILE")
  cat >> "$ENV_FILE" <<ENV
API_URL=http://127.0.0.1:$API_PORT
REST_URL=http://127.0.0.1:$REST_RW_PORT
DB_URL=$(node_url 1)
PRIMARY_URL=$PRIMARY_URL
ANON_KEY=$anon
SERVICE_ROLE_KEY=$service
JWT_SECRET=$(jwt_secret)
NODE_URLS=$nodes
REST_RO_URL=http://127.0.0.1:$REST_RO_PORT
MONITOR_URL=postgresql://postgres:$PASSWORD@127.0.0.1:$MONITOR_PORT/pg_auto_failover
ENV
  [ "$(id -u)" = 0 ] && chown "$OWNER" "$ENV_FILE"; chmod 600 "$ENV_FILE"
}

# DB_URL names the current primary directly (a single host: node-postgres and other non-libpq
# clients cannot parse a multi-host URI); PRIMARY_URL finds it by itself after a failover.
# `up` and `status` bring DB_URL up to date.
refresh_db_url() {
  local port
  port=$(psql_url "$PRIMARY_URL" -Atc "show port" 2>/dev/null) || return 0
  [ -f "$ENV_FILE" ] || return 0
  sed -i "s|^DB_URL=.*|DB_URL=postgresql://postgres:$PASSWORD@127.0.0.1:$port/postgres|" "$ENV_FILE"
}

# --- commands ------------------------------------------------------------------------------------
migrated() { [ "$(psql_url "$PRIMARY_URL" -Atc "select to_regclass('supabase_migrations.schema_migrations') is not null")" = t ]; }

cmd_up() {
  [ -x "$PG_AUTOCTL" ] || fail "pg_auto_failover is not installed: run scripts/bootstrap.sh (make bootstrap)"
  [ -x "$POSTGREST" ] || fail "no PostgREST in .tools/: run scripts/bootstrap.sh (make bootstrap)"
  ensure_dirs
  [ -f "$ENV_FILE" ] || write_env
  start_monitor
  start_nodes
  # the schema, once, through the primary: the standbys replay it
  local fresh=false
  migrated || fresh=true
  PGOPTIONS="-c client_min_messages=warning" psql_url "$PRIMARY_URL" -f "$ROOT/sql/supabase_bootstrap.sql" >/dev/null
  psql_url "$PRIMARY_URL" -c "alter role authenticator password '$PASSWORD'" >/dev/null
  DATABASE_URL="$PRIMARY_URL" "$ROOT/scripts/migrate.sh" --quiet
  $fresh && psql_url "$PRIMARY_URL" -f "$ROOT/sql/seed.sql" >/dev/null
  start_rest rw
  start_rest ro
  start_gateway
  # wait until both PostgRESTs serve the migrated schema (one probe RPC through each pool)
  local key; key=$(env_value SERVICE_ROLE_KEY)
  wait_until 60 probe_schema "$key" || fail "PostgREST does not serve the schema (see $LOG/postgrest-*.log)"
  refresh_db_url
  cmd_status
}

probe_schema() {
  local kind url code
  for url in "http://127.0.0.1:$REST_RW_PORT" "http://127.0.0.1:$REST_RO_PORT"; do
    # a table read: it works on a standby whatever the RPCs' volatility
    code=$(curl -s -m 3 -o /dev/null -w '%{http_code}' "$url/profiles?select=id&limit=1" -H "Authorization: Bearer $1")
    [ "$code" = 200 ] || { for kind in rw ro; do rest_running $kind && kill -USR1 "$(cat "$RUN/postgrest-$kind.pid")"; done; return 1; }
  done
}

cmd_status() {
  [ -f "$ENV_FILE" ] || fail "no cluster here ($CLUSTER_DIR): run 'make cluster'"
  local down=() kind
  refresh_db_url
  echo "pg_convo local cluster ($CLUSTER_DIR, replication: $REPLICATION)"
  echo "         API URL: $(env_value API_URL)   (GET/HEAD → read pool, else → primary)"
  echo "          DB URL: $(env_value DB_URL)   (the primary now; PRIMARY_URL follows failovers)"
  echo "        anon key: $(env_value ANON_KEY)"
  echo "(keys and NODE_URLS in $ENV_FILE)"
  echo
  if monitor_sql "select 1" >/dev/null 2>&1; then
    # role and lag: the monitor's view, and each standby's own replay lag behind the primary
    monitor_sql "select nodename || ' 127.0.0.1:' || nodeport || '  ' || reportedstate || ' (goal ' || goalstate || ')'
                        || '  lsn ' || reportedlsn || case when not health = 1 then '  health check failing' else '' end
                   from pgautofailover.node order by nodeid" | while read -r line; do
      local port lag
      port=$(sed -nE 's/.*127\.0\.0\.1:([0-9]+).*/\1/p' <<<"$line")
      lag=$(psql_url "postgresql://postgres:$PASSWORD@127.0.0.1:$port/postgres" -Atc \
        "select case when pg_is_in_recovery() then 'standby, replay lag ' || coalesce(pg_size_pretty(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())), '?') || ', last replayed ' || coalesce(round(extract(epoch from now() - pg_last_xact_replay_timestamp())::numeric, 1)::text || ' s ago', 'never') else 'primary, sync: ' || current_setting('synchronous_standby_names') || ' / ' || current_setting('synchronous_commit') end" 2>/dev/null || echo "not answering")
      echo "  $line  — $lag"
    done
  else
    down+=(monitor)
  fi
  for kind in rw ro; do rest_running "$kind" || down+=("PostgREST $kind"); done
  nginx_running || down+=(gateway)
  for n in monitor node1 node2 node3; do keeper_running "$n" || down+=("$n keeper"); done
  [ ${#down[@]} = 0 ] || { echo "(not running: ${down[*]})"; return 1; }
}

stop_pid() { # PIDFILE MARK
  if pid_alive "$1" "$2"; then kill "$(cat "$1")" 2>/dev/null || true; fi
}

cmd_down() {
  [ -d "$CLUSTER_DIR" ] || { say "no cluster at $CLUSTER_DIR"; return 0; }
  stop_pid "$RUN/nginx.pid" "$CLUSTER_DIR/nginx/nginx.conf"
  stop_pid "$RUN/postgrest-rw.pid" "$CLUSTER_DIR/postgrest-rw.conf"
  stop_pid "$RUN/postgrest-ro.pid" "$CLUSTER_DIR/postgrest-ro.conf"
  local n
  # The monitor first, so that it decides nothing while the nodes go away one after another (it
  # would start a failover to a standby that is stopping a second later, and the next `up` would
  # find the formation half-way through it); then every keeper at once, well within the primary's
  # 1 s network-partition timeout. Each keeper stops its Postgres (fast shutdown).
  # (SIGTERM is what `pg_autoctl stop` sends: a fast shutdown of the keeper and its Postgres)
  if keeper_running monitor; then
    kill "$(cat "$RUN/monitor.keeper.pid")" 2>/dev/null || true
    local deadline=$((SECONDS + 30))
    while keeper_running monitor && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  fi
  local pids=()
  for n in node1 node2 node3; do keeper_running "$n" && pids+=("$(cat "$RUN/$n.keeper.pid")"); done
  [ ${#pids[@]} = 0 ] || kill "${pids[@]}" 2>/dev/null || true
  for n in monitor node1 node2 node3; do
    local deadline=$((SECONDS + 30))
    while keeper_running "$n" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    # a Postgres left behind by a killed keeper
    if [ -f "$CLUSTER_DIR/$n/postmaster.pid" ] && as_owner "$PGBIN/pg_ctl" -D "$CLUSTER_DIR/$n" status >/dev/null 2>&1; then
      as_owner "$PGBIN/pg_ctl" -D "$CLUSTER_DIR/$n" -m fast -w -t 20 stop >/dev/null 2>&1 \
        || as_owner "$PGBIN/pg_ctl" -D "$CLUSTER_DIR/$n" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    fi
  done
  rm -f "$RUN"/*.pid
  say "stopped ($CLUSTER_DIR)"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  psql) shift; psql_url "$PRIMARY_URL" "$@" ;;
  # a node's keeper again, after it stopped or was killed: pg_auto_failover decides its role
  start-node) [[ ${2:-} =~ ^node[123]$ ]] || fail "usage: $0 start-node node1|node2|node3"; start_keeper "$2" ;;
  *) echo "usage: $0 up|down|status|psql [args]|start-node NODE" >&2; exit 2 ;;
esac
