# The API gateway's rules, shared by the local stack (scripts/stack.sh) and the cluster
# (scripts/cluster.sh); sourced, not run. Like Supabase's gateway (Kong key-auth): every /rest/v1/
# request must carry an `apikey` header holding one of the stack's two keys (anon, service_role),
# whatever its Authorization header says; a request whose apikey is valid and that has no
# Authorization bears the apikey. What differs between the two is where requests go.

# gateway_http_start NGINX_DIR PID_FILE ERROR_LOG ANON_KEY SERVICE_ROLE_KEY: nginx's config from the
# top to inside `http {`, with the apikey and Authorization maps; the caller adds its upstreams
# and its server, and closes `http`.
gateway_http_start() {
  local n=$1 pid=$2 error_log=$3 anon=$4 service=$5
  cat <<CONF
daemon on;
worker_processes 1;
pid $pid;
error_log $error_log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $n/tmp/body;
  proxy_temp_path $n/tmp/proxy;
  fastcgi_temp_path $n/tmp/fastcgi;
  uwsgi_temp_path $n/tmp/uwsgi;
  scgi_temp_path $n/tmp/scgi;
  map_hash_bucket_size 512;
  # exact, case-sensitive matches (~ is a case-sensitive regex; a plain map string ignores case)
  map \$http_apikey \$convo_apikey {
    ""                  missing;
    "~^${anon//./\\.}\$"    valid;
    "~^${service//./\\.}\$" valid;
    default             invalid;
  }
  map \$http_authorization \$convo_authorization {
    ""      "Bearer \$http_apikey";
    default \$http_authorization;
  }
CONF
}

# gateway_api_rules: the start of the /rest/v1/ location: refuse a missing or unknown apikey (401,
# Supabase's messages), and forward the request's bearer; the caller adds its proxy_pass.
gateway_api_rules() {
  cat <<'CONF'
      default_type application/json;
      if ($convo_apikey = missing) { return 401 '{"message":"No API key found in request"}'; }
      if ($convo_apikey = invalid) { return 401 '{"message":"Invalid API key"}'; }
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization $convo_authorization;
      proxy_set_header Host $host;
CONF
}
