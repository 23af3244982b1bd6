#!/usr/bin/env bash
# Many keep-alive connections held open against the token and introspection endpoints at a steady
# request rate, measured with wrk (bench/wrk/paced.lua); prints errors, latency, the server's CPU
# per request and its RSS with the connections open.
#
#   bench/connections.sh                                  # 10,000 connections, 60 s per endpoint
#   CONNECTIONS=10000 DELAY_MS=10000 DURATION=60 bench/connections.sh
#
# OS limits: every connection is a file descriptor in wrk and in the server, so this script raises
# its open-file limit (ulimit -n, inherited by both) to NOFILE (65536; as root, or below the hard
# limit). The server's own caps are raised for this run only, through the environment:
# server.max-connections (default 10000) to MAX_CONNECTIONS and server.max-connections-per-ip
# (default 1000: every connection here comes from 127.0.0.1) to 0, no limit. Each connection
# waits DELAY_MS (±50%) between requests, so the rate is about CONNECTIONS / (DELAY_MS / 1000)/s.
#
# Memory: each open connection holds about 22 KiB of the server's heap, and the server accepts what
# half its heap holds at 32 KiB each (server.max-connections: auto; docs/operations.md, "Connection
# limits"). Unless JAVA_OPTS is given, the server gets the launcher's options with a heap of
# CONNECTIONS x 64 KiB (at least 192 MiB): 640 MiB for 10,000.
#
# Env: CONNECTIONS (10000), DELAY_MS (10000), DURATION (60), THREADS (2), NOFILE (65536),
# MAX_CONNECTIONS (CONNECTIONS + 2000), SCENARIOS (token introspect_jwt), JAVA_OPTS,
# GATEHOUSE_DB_URL / _USER / _PASSWORD, BENCH_OUT, KEEP_LOG=1, GATEHOUSE_HOME.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="${GATEHOUSE_HOME:-$here}"
CONNECTIONS="${CONNECTIONS:-10000}"
DELAY_MS="${DELAY_MS:-10000}"
DURATION="${DURATION:-60}"
THREADS="${THREADS:-2}"
NOFILE="${NOFILE:-65536}"
MAX_CONNECTIONS="${MAX_CONNECTIONS:-$((CONNECTIONS + 2000))}"
SCENARIOS="${SCENARIOS:-token introspect_jwt}"
TENANT=bench

heap_mb=$(( CONNECTIONS * 64 / 1024 > 192 ? CONNECTIONS * 64 / 1024 : 192 ))
export JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmx${heap_mb}m -XX:MaxMetaspaceSize=96m -Xss512k -XX:TieredStopAtLevel=4 -Djdk.pollerMode=1}"

ulimit -n "$NOFILE"
bench_name=connections
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v wrk >/dev/null || { say "bench: needs wrk (apt-get install wrk)"; exit 1; }

start_server GATEHOUSE_SERVER_MAX_CONNECTIONS="$MAX_CONNECTIONS" \
  GATEHOUSE_SERVER_MAX_CONNECTIONS_PER_IP=0
java_bin="$(readlink -f "/proc/$server_pid/exe")"
out "# gatehouse connections bench $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "$root") $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg), $("$java_bin" -version 2>&1 | head -1)"
out "# jvm: $(tr '\0' ' ' <"/proc/$server_pid/cmdline" | sed 's/ -jar .*//')"
out "# ulimit -n $(ulimit -n); server.max-connections=$MAX_CONNECTIONS server.max-connections-per-ip=0; net.core.somaxconn=$(cat /proc/sys/net/core/somaxconn); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, ${DELAY_MS} ms (±50%) between requests per connection"

cli tenant create "$TENANT" >/dev/null
client="$(cli client create --tenant "$TENANT" --name bench-jwt --scope "a b")"
basic="$(printf '%s:%s' "$(printf '%s' "$client" | json_field client_id)" \
  "$(printf '%s' "$client" | json_field client_secret)" | base64 -w0)"
token="$(curl -fsS -H "Authorization: Basic $basic" -d grant_type=client_credentials -d scope=a \
  "$base/t/$TENANT/oauth2/token" | json_field access_token)"

export GH_WRK_DIR="$here/bench/wrk" GH_BASIC="$basic" GH_TOKEN="$token" GH_DELAY_MS="$DELAY_MS"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
tick_us=$((1000000 / $(getconf CLK_TCK)))
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
rss_mb() { echo $(( $(awk "/^$1/ {print \$2}" "/proc/$server_pid/status") / 1024 )); }
for name in $SCENARIOS; do
  case "$name" in
    token) export GH_PACED=token.lua; url="$base/t/$TENANT/oauth2/token" ;;
    introspect_jwt) export GH_PACED=introspect.lua; url="$base/t/$TENANT/oauth2/introspect" ;;
    *) say "bench: unknown scenario $name"; exit 1 ;;
  esac
  before="$(cpu_ticks)"
  # RSS while the connections are open, sampled two thirds into the run.
  ( sleep $((DURATION * 2 / 3)); rss_mb VmRSS >"$work/rss.$name"
    ss -Htn state established "( sport = :$port )" | wc -l >"$work/conns.$name" ) &
  sampler=$!
  line="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency \
    -s "$GH_WRK_DIR/paced.lua" "$url" | grep '^RESULT')"
  wait "$sampler" || true
  after="$(cpu_ticks)"
  requests="$(field requests <<<" $line")"
  out "$(printf '%-16s %s cpu_us_per_req=%s established=%s rss_mb_under_load=%s' "$name" \
    "${line#RESULT }" "$(( (after - before) * tick_us / (requests > 0 ? requests : 1) ))" \
    "$(cat "$work/conns.$name")" "$(cat "$work/rss.$name")")"
done
out "memory rss_mb=$(rss_mb VmRSS) peak_rss_mb=$(rss_mb VmHWM) rss_anon_mb=$(rss_mb RssAnon)"
