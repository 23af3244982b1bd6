#!/usr/bin/env bash
# Password login + code exchange against a fresh local Gatehouse node.
#
#   bench/login.sh                               # H2 in a temp data dir
#   DURATION=20 CONCURRENCY=8 bench/login.sh
#   GATEHOUSE_DB_URL=jdbc:postgresql://127.0.0.1/gh GATEHOUSE_DB_USER=.. bench/login.sh
#
# Starts the server on a free port below 32768, creates a tenant, a confidential client with
# authorization_code and a user through the CLI, then runs bench/login-load.mjs (Node 20+, no
# packages): CONCURRENCY browsers sign in through the real pages (authorize → login page → POST
# password → code) and exchange the code with PKCE, for DURATION seconds after a warm-up; then
# the same flow riding an SSO session (prompt=none: no password check). Prints flows/s and
# latency percentiles of both, and the share of a login's time that the password check
# (Argon2id, 19 MiB, t=2, p=1) takes. Everything it starts is stopped on exit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-20}"
CONCURRENCY="${CONCURRENCY:-8}"
TENANT=bench
command -v node >/dev/null || { printf 'bench: needs node (20+)\n' >&2; exit 1; }
command -v curl >/dev/null || { printf 'bench: needs curl\n' >&2; exit 1; }

bench_name=login-bench
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start_server GATEHOUSE_SERVER_BASE_URL="$base"

redirect="https://app.example.com/callback"
cli tenant create "$TENANT" >/dev/null
client="$(cli client create --tenant "$TENANT" --name bench-web --grant authorization_code \
  --redirect-uri "$redirect")"
printf '%s' 'bench password 0123456789' | cli user create --tenant "$TENANT" --username alice \
  --password-stdin >/dev/null

java_bin="$(readlink -f "/proc/$server_pid/exe")"
printf '# gatehouse login bench %s %s %s cpus, %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "$(uname -m)" "$(nproc)" "$("$java_bin" -version 2>&1 | head -1)"
printf '# db: %s; %s concurrent browsers, %ss per phase after a %ss warm-up\n' \
  "${GATEHOUSE_DB_URL:-H2 file (default)}" "$CONCURRENCY" "$DURATION" "$DURATION"
node "$root/bench/login-load.mjs" "$base" "$TENANT" \
  "$(printf '%s' "$client" | json_field client_id)" \
  "$(printf '%s' "$client" | json_field client_secret)" \
  "$redirect" alice 'bench password 0123456789' "$DURATION" "$CONCURRENCY"
printf 'rss_kb=%s\n' "$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")"
