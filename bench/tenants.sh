#!/usr/bin/env bash
# client_credentials spread at random over many tenants, against the same spread over one tenant.
#
#   bench/tenants.sh                          # 100,000 tenants, H2
#   TENANTS=10000 DURATION=20 bench/tenants.sh
#   GATEHOUSE_DB_URL=jdbc:postgresql://127.0.0.1:5432/gh GATEHOUSE_DB_USER=postgres bench/tenants.sh
#
# Starts a node on a fresh data directory (schema, master key), stops it, writes TENANTS tenants,
# each with a client_credentials client and its ES256 and RS256 keys, straight into its database
# (bench/tenants/TenantSeed.java: the admin API would spend hours of CPU on RSA key generation),
# starts it again and runs, back to back, the same wrk script (bench/wrk/token_tenants.lua) over
# one tenant ("single") and over all of them ("spread"), then "single" again (does one tenant
# still run at full speed after the spread?). Prints requests/s, latency, the server's CPU time
# per token and its RSS after each, and the ratio spread/single of requests/s and of CPU per token.
#
# Env: TENANTS (100000), DURATION (20), WARMUP (10), CONNECTIONS (32), THREADS (1), JAVA_OPTS,
# SEED_DIR (keep the seeded H2 data directory there and reuse it; same TENANTS),
# GATEHOUSE_DB_URL / _USER / _PASSWORD (PostgreSQL: the database must be empty), BENCH_OUT,
# KEEP_LOG=1, GATEHOUSE_HOME (another checkout to measure).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="${GATEHOUSE_HOME:-$here}"
TENANTS="${TENANTS:-100000}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-1}"

bench_name=tenants
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v wrk >/dev/null || { say "bench: needs wrk (apt-get install wrk)"; exit 1; }

# --- a fresh node's schema and master key, then the tenants written while it is stopped ----------
# SEED_DIR (H2 only): a seeded data directory kept between runs; filled by the first run, copied
# by later ones (an A/B pair measures the same tenants without seeding twice).
if [ -n "${SEED_DIR:-}" ] && [ -f "$SEED_DIR/credentials" ] && [ -z "${GATEHOUSE_DB_URL:-}" ]; then
  cp -r "$SEED_DIR/data" "$work/data"
  cp "$SEED_DIR/credentials" "$work/credentials"
  seed_ms=0
  say "bench: tenants copied from $SEED_DIR"
else
  start_server
  stop_server
  . "$root/bin/find-jdk.sh"
  t0=$(date +%s%N)
  "$JAVA_HOME/bin/java" -cp "$root/server/target/gatehouse-server.jar" \
    "$here/bench/tenants/TenantSeed.java" "$work/data" "$TENANTS" "$work/credentials" >&2
  seed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  if [ -n "${SEED_DIR:-}" ] && [ -z "${GATEHOUSE_DB_URL:-}" ]; then
    mkdir -p "$SEED_DIR"
    cp -r "$work/data" "$SEED_DIR/data"
    cp "$work/credentials" "$SEED_DIR/credentials"
  fi
fi
start_server

java_bin="$(readlink -f "/proc/$server_pid/exe")"
out "# gatehouse tenants bench $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "$root") $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg), $("$java_bin" -version 2>&1 | head -1)"
out "# jvm: $(tr '\0' ' ' <"/proc/$server_pid/cmdline" | sed 's/ -jar .*//')"
out "# db: ${GATEHOUSE_DB_URL:-H2 file (default)}; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s after ${WARMUP}s warm-up"
out "seed tenants=$TENANTS seconds=$((seed_ms / 1000)).$(( (seed_ms % 1000) / 100 ))"

export GH_WRK_DIR="$here/bench/wrk" GH_CREDENTIALS="$work/credentials"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
tick_us=$((1000000 / $(getconf CLK_TCK)))
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
run() { # name tenants -> result line; sets $rps and $cpu
  local before after line requests
  export GH_TENANTS="$2"
  if [ "$WARMUP" -gt 0 ]; then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$GH_WRK_DIR/token_tenants.lua" "$base" >/dev/null
  fi
  before="$(cpu_ticks)"
  line="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
    -s "$GH_WRK_DIR/token_tenants.lua" "$base" | grep '^RESULT')"
  after="$(cpu_ticks)"
  requests="$(field requests <<<" $line")"
  rps="$(field rps <<<" $line")"
  cpu=$(( (after - before) * tick_us / (requests > 0 ? requests : 1) ))
  out "$(printf '%-8s %s cpu_us_per_req=%s rss_mb=%s' "$1" "${line#RESULT }" "$cpu" \
    "$(( $(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status") / 1024 ))")"
}
run single 1; single_rps=$rps single_cpu=$cpu
run spread 0; spread_rps=$rps spread_cpu=$cpu
run single 1
out "ratio spread/single rps=$(awk -v a="$spread_rps" -v b="$single_rps" 'BEGIN{printf "%.2f", a/b}') cpu_per_token=$(awk -v a="$spread_cpu" -v b="$single_cpu" 'BEGIN{printf "%.2f", a/b}')"
out "memory rss_mb=$(( $(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status") / 1024 )) peak_rss_mb=$(( $(awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status") / 1024 ))"
