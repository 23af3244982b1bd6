#!/usr/bin/env bash
# OAuth load scenarios against a fresh local Gatehouse node, measured with wrk.
#
#   bench/oauth.sh                       # H2 in a temp data dir, every scenario
#   DURATION=20 WARMUP=10 CONNECTIONS=32 RUNS=2 bench/oauth.sh
#   SCENARIOS="token introspect_jwt" bench/oauth.sh
#   GATEHOUSE_DB_URL=jdbc:postgresql://127.0.0.1/gh GATEHOUSE_DB_USER=.. GATEHOUSE_DB_PASSWORD=.. bench/oauth.sh
#   BENCH_PG=1 bench/oauth.sh            # PostgreSQL: a fresh database, dropped at the end
#   SERVER_ENV="GATEHOUSE_EVENTS_TOKEN_ISSUED=off" SCENARIOS=token bench/oauth.sh
#
# Starts the server on a free port below 32768 (127.0.0.1 only), measures the time from process
# start to /health/ready answering 200, creates a tenant with a JWT client and an opaque-token
# client through the CLI, then for each scenario warms up and runs
# `wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency` RUNS times, printing one line per run
# and the best run, with the server's CPU time per request (user+system from /proc, a measure
# that other load on the machine disturbs much less than requests/s). Finally prints the server's RSS (VmRSS, VmHWM) and stops it. Everything it
# starts is stopped and its temp directory removed on exit, also on Ctrl-C.
#
# Env: DURATION (20), WARMUP (10), CONNECTIONS (32), THREADS (1), RUNS (2), SCENARIOS (all:
# live jwks discovery token token_opaque introspect_jwt introspect_opaque; token_opaque issues opaque tokens, a database row each), JAVA_OPTS (the launcher's defaults
# otherwise), GATEHOUSE_DB_URL / _USER / _PASSWORD (PostgreSQL instead of H2), BENCH_OUT (also
# append the result lines to this file), KEEP_LOG=1 (keep the server log), GATEHOUSE_HOME (a
# checkout other than this one to build and measure, e.g. an older commit for an A/B comparison),
# THREAD_CPU=1 (after each run, the server CPU per request by thread kind: request carriers,
# event writer, detectors, GC, JIT ...), MEMORY_REPORT=1 (print the JVM's native memory summary at the end; add
# -XX:NativeMemoryTracking=summary to JAVA_OPTS),
# SERVER_ENV (extra VAR=value settings for the server, space separated), BENCH_PG=1 (create a
# fresh PostgreSQL database gh_bench_<pid> on BENCH_PG_HOST (127.0.0.1), port BENCH_PG_PORT (5432),
# user BENCH_PG_USER (postgres, trust auth) with psql, use it, and drop it on exit),
# OPEN_LOOP (e.g. "50 80": after a token or introspect_* scenario's closed-loop runs, drive it
# open-loop at those percentages of its best rate with bench/latency/OpenLoop.java, a fixed
# arrival rate measured without coordinated omission; OPEN_LOOP_DURATION (20) seconds after
# OPEN_LOOP_WARMUP (5); one `openloop` line each, and HdrHistogram percentile tables written to
# LATENCY_DIR (default: a directory named in the output)).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# GATEHOUSE_HOME: another checkout to measure with this script (same-session A/B comparisons).
root="${GATEHOUSE_HOME:-$here}"
wrk_dir="$here/bench/wrk"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-1}"
RUNS="${RUNS:-2}"
SCENARIOS="${SCENARIOS:-live jwks discovery token token_opaque introspect_jwt introspect_opaque}"
TENANT=bench

bench_name=bench
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# --- PostgreSQL mode: a database of our own, so that runs never see each other's rows ----------
if [ "${BENCH_PG:-0}" = 1 ]; then
  pg_db="gh_bench_$$"
  pg_psql() {
    psql -q -h "${BENCH_PG_HOST:-127.0.0.1}" -p "${BENCH_PG_PORT:-5432}" \
      -U "${BENCH_PG_USER:-postgres}" -d postgres -v ON_ERROR_STOP=1 -c "$1" >/dev/null
  }
  pg_psql "create database $pg_db"
  export GATEHOUSE_DB_URL="jdbc:postgresql://${BENCH_PG_HOST:-127.0.0.1}:${BENCH_PG_PORT:-5432}/$pg_db"
  export GATEHOUSE_DB_USER="${BENCH_PG_USER:-postgres}" GATEHOUSE_DB_PASSWORD=""
  pg_cleanup() { bench_cleanup; pg_psql "drop database if exists $pg_db" || true; }
  trap pg_cleanup EXIT
fi
# shellcheck disable=SC2086 # SERVER_ENV is a list of VAR=value words
server_env=(${SERVER_ENV:-})

if ! command -v wrk >/dev/null; then
  say "bench: installing wrk from Debian"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null; fi
fi
for tool in curl base64 awk; do
  command -v "$tool" >/dev/null || { say "bench: needs $tool"; exit 1; }
done

# --- start, and time start → ready -------------------------------------------------------------
t0=$(date +%s%N)
start_server "${server_env[@]}"
t1=$(date +%s%N)
start_ms=$(( (t1 - t0) / 1000000 ))
jvm_ms=$(sed -n 's/.*gatehouse ready on .* in \([0-9]*\) ms.*/\1/p' "$work/server.log" | head -1)

# A second start on the same data directory: what a restart costs (no bootstrap, no key creation).
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
t0=$(date +%s%N)
start_server "${server_env[@]}"
t1=$(date +%s%N)
restart_ms=$(( (t1 - t0) / 1000000 ))

java_bin="$(readlink -f "/proc/$server_pid/exe")"
out "# gatehouse bench $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "$root") $(uname -m) $(nproc) cpus, $("$java_bin" -version 2>&1 | head -1)"
out "# jvm: $(tr '\0' ' ' <"/proc/$server_pid/cmdline" | sed 's/ -jar .*//')"
out "# db: ${GATEHOUSE_DB_URL:-H2 file (default)}; server env: ${SERVER_ENV:-none}; load average: $(cut -d' ' -f1-3 /proc/loadavg); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency after ${WARMUP}s warm-up, best of $RUNS"
out "start_to_ready first_start_ms=$start_ms (server log: ${jvm_ms:-?} ms) restart_ms=$restart_ms"

# --- tenant, clients, tokens -------------------------------------------------------------------
cli tenant create "$TENANT" >/dev/null
jwt_client="$(cli client create --tenant "$TENANT" --name bench-jwt --scope "a b")"
# The JWT client introspects both tokens: the opaque client's tokens name it as their audience
# (only a token's client and its audience may introspect it, RFC 7662 §4).
opaque_client="$(cli client create --tenant "$TENANT" --name bench-opaque --scope "a b" \
  --token-format opaque --audience "$(printf '%s' "$jwt_client" | json_field client_id)")"
basic_of() {
  printf '%s:%s' "$(printf '%s' "$1" | json_field client_id)" \
    "$(printf '%s' "$1" | json_field client_secret)" | base64 -w0
}
jwt_basic="$(basic_of "$jwt_client")"
opaque_basic="$(basic_of "$opaque_client")"
token_of() {
  curl -fsS -H "Authorization: Basic $1" -d grant_type=client_credentials -d scope=a \
    "$base/t/$TENANT/oauth2/token" | json_field access_token
}
jwt_token="$(token_of "$jwt_basic")"
opaque_token="$(token_of "$opaque_basic")"
for t in "$jwt_token" "$opaque_token"; do
  active="$(curl -fsS -H "Authorization: Basic $jwt_basic" --data-urlencode "token=$t" \
    "$base/t/$TENANT/oauth2/introspect")"
  case "$active" in *'"active":true'*) ;; *) say "bench: token not active: $active"; exit 1;; esac
done

# --- scenarios ---------------------------------------------------------------------------------
export GH_WRK_DIR="$wrk_dir"
scenario() { # name -> "script url basic token"
  case "$1" in
    live) echo "get.lua $base/health/live - -" ;;
    jwks) echo "get.lua $base/t/$TENANT/jwks - -" ;;
    discovery) echo "get.lua $base/t/$TENANT/.well-known/openid-configuration - -" ;;
    token) echo "token.lua $base/t/$TENANT/oauth2/token $jwt_basic -" ;;
    token_opaque) echo "token.lua $base/t/$TENANT/oauth2/token $opaque_basic -" ;;
    introspect_jwt) echo "introspect.lua $base/t/$TENANT/oauth2/introspect $jwt_basic $jwt_token" ;;
    introspect_opaque) echo "introspect.lua $base/t/$TENANT/oauth2/introspect $jwt_basic $opaque_token" ;;
    *) say "bench: unknown scenario $1"; exit 1 ;;
  esac
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
cpu_ticks() { # user+system CPU of the server so far, in clock ticks
  awk '{print $14 + $15}' "/proc/$server_pid/stat"
}
tick_us=$((1000000 / $(getconf CLK_TCK)))
thread_ticks() { # per thread kind (name without digits): user+system CPU ticks so far
  local t
  for t in /proc/"$server_pid"/task/*; do
    printf '%s %s\n' "$(tr -d '0-9 ' <"$t/comm" 2>/dev/null)" \
      "$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')"
  done | awk '$2 != "" {a[$1] += $2} END {for (k in a) print k, a[k]}'
}
run_wrk() { # seconds script url -> RESULT line + server CPU microseconds per request
  local before after line requests threads_before
  [ "${THREAD_CPU:-0}" = 1 ] && threads_before="$(thread_ticks)"
  before="$(cpu_ticks)"
  line="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1s" --latency -s "$wrk_dir/$2" "$3" | grep '^RESULT')"
  after="$(cpu_ticks)"
  requests="$(field requests <<<" $line")"
  echo "$line cpu_us_per_req=$(( (after - before) * tick_us / (requests > 0 ? requests : 1) ))"
  if [ "${THREAD_CPU:-0}" = 1 ]; then
    # THREAD_CPU=1: where the CPU per request went, by thread kind (request handlers run on the
    # ForkJoinPool carriers of virtual threads; GC, JIT and our own workers have names).
    join -a2 <(sort <<<"$threads_before") <(thread_ticks | sort) | awk -v us="$tick_us" \
      -v n="${requests:-1}" '{d = $NF - (NF > 2 ? $2 : 0); if (d > 0) printf "# thread_cpu %-22s %6.1f us/req\n", $1, d * us / n}' \
      | sort -k4 -rn >&2
  fi
}
# --- open loop: fixed arrival rate, HdrHistogram (bench/latency/OpenLoop.java) -----------------
hdr_jar="$HOME/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar"
if [ -n "${OPEN_LOOP:-}" ]; then
  if [ ! -f "$hdr_jar" ]; then
    "$here/mvnw" -q dependency:get -Dartifact=org.hdrhistogram:HdrHistogram:2.2.2 >/dev/null
  fi
  LATENCY_DIR="${LATENCY_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-latency.XXXXXX")}"
  mkdir -p "$LATENCY_DIR"
  out "# open loop: HdrHistogram tables in $LATENCY_DIR"
fi
open_loop() { # name best_rps url basic token
  local pct rate body line
  case "$1" in token) body="grant_type=client_credentials&scope=a" ;;
    introspect_*) body="token=$5" ;; *) return 0 ;; esac
  for pct in $OPEN_LOOP; do
    rate=$(( $2 * pct / 100 ))
    line="$("$java_bin" -cp "$hdr_jar" "$here/bench/latency/OpenLoop.java" "$3" "$rate" \
      "${OPEN_LOOP_DURATION:-20}" "${OPEN_LOOP_WARMUP:-5}" "$4" "$body" \
      "$LATENCY_DIR/$1-$pct.hgrm" | grep '^OPENLOOP')"
    out "$(printf 'openloop %-18s pct=%s %s load=%s' "$1" "$pct" "${line#OPENLOOP }" \
      "$(cut -d' ' -f1 /proc/loadavg)")"
  done
}

for name in $SCENARIOS; do
  read -r script url basic token <<<"$(scenario "$name")"
  export GH_BASIC="$basic" GH_TOKEN="$token"
  if [ "$WARMUP" -gt 0 ]; then run_wrk "$WARMUP" "$script" "$url" >/dev/null; fi
  best="" best_rps=0 all=""
  for run in $(seq 1 "$RUNS"); do
    line="$(run_wrk "$DURATION" "$script" "$url")"
    rps="$(field rps <<<" $line")"
    all="$all $rps"
    say "  $name run $run: ${line#RESULT }"
    if [ "$rps" -gt "$best_rps" ]; then best_rps="$rps"; best="$line"; fi
  done
  out "$(printf '%-18s %s runs_rps=%s' "$name" "${best#RESULT }" "$(echo $all | tr ' ' ',')")"
  if [ -n "${OPEN_LOOP:-}" ]; then open_loop "$name" "$best_rps" "$url" "$basic" "$token"; fi
done

# --- memory after load (perf-scale: RSS split and native memory tracking) ----------------------
rss_kb="$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status")"
hwm_kb="$(awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status")"
# RssAnon is the process's own memory; RssFile is mapped files (the jar, the AOT cache, libjvm),
# shared with the page cache and dropped first under memory pressure.
anon_kb="$(awk '/^RssAnon/ {print $2}' "/proc/$server_pid/status")"
file_kb="$(awk '/^RssFile/ {print $2}' "/proc/$server_pid/status")"
out "memory rss_mb=$((rss_kb / 1024)) peak_rss_mb=$((hwm_kb / 1024)) rss_anon_mb=$((anon_kb / 1024)) rss_file_mb=$((file_kb / 1024))"
if [ "${MEMORY_REPORT:-0}" = 1 ]; then
  # Needs -XX:NativeMemoryTracking=summary in JAVA_OPTS (see docs/benchmarks.md, "Memory").
  "$(dirname "$java_bin")/jcmd" "$server_pid" VM.native_memory summary 2>&1 \
    | sed -n 's/^\(Total\|-  *[A-Za-z ]*\)\(.*committed=[0-9]*KB\).*/\1\2/p' | sed 's/^/# nmt /' \
    | while IFS= read -r l; do out "$l"; done
fi
