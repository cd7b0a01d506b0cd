#!/usr/bin/env bash
# Mints an HS256 JWT: scripts/jwt.sh SECRET 'JSON-PAYLOAD'
set -euo pipefail
secret=$1 payload=$2
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
h=$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | b64url)
p=$(printf '%s' "$payload" | b64url)
s=$(printf '%s' "$h.$p" | openssl dgst -sha256 -hmac "$secret" -binary | b64url)
printf '%s.%s.%s\n' "$h" "$p" "$s"
