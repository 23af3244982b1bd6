#!/usr/bin/env bash
# CPU per client_credentials token with the token.issued event on and off, back to back.
#
#   bench/events.sh                 # H2, ROUNDS=2 pairs of (on, off)
#   BENCH_PG=1 bench/events.sh      # PostgreSQL (a fresh database per run, see oauth.sh)
#   ROUNDS=3 DURATION=15 SCENARIOS="token" bench/events.sh
#
# Runs bench/oauth.sh alternately with events.token-issued at its default (async, "on") and off,
# ROUNDS times each, so that both see the same machine; prints each run's server CPU per request
# and the ratio of the medians (on / off) per scenario. docs/benchmarks.md records the results
# and the target (on ≤ 1.10 × off). Other env is passed to oauth.sh (DURATION, WARMUP,
# CONNECTIONS, GATEHOUSE_HOME, BENCH_PG, JAVA_OPTS ...).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROUNDS="${ROUNDS:-2}"
export SCENARIOS="${SCENARIOS:-token}" DURATION="${DURATION:-15}" WARMUP="${WARMUP:-8}" RUNS="${RUNS:-1}"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
echo "# events A/B $(date -u +%Y-%m-%dT%H:%M:%SZ) load average: $(cut -d' ' -f1-3 /proc/loadavg) db: $([ "${BENCH_PG:-0}" = 1 ] && echo PostgreSQL || echo H2)"
for round in $(seq 1 "$ROUNDS"); do
  for mode in on off; do
    env_arg=""
    [ "$mode" = off ] && env_arg="GATEHOUSE_EVENTS_TOKEN_ISSUED=off"
    SERVER_ENV="$env_arg ${SERVER_ENV:-}" "$here/oauth.sh" 2>/dev/null \
      | grep -E "^($(echo "$SCENARIOS" | tr ' ' '|')) " | while read -r name rest; do
        cpu="$(sed -n 's/.*cpu_us_per_req=\([0-9]*\).*/\1/p' <<<"$rest")"
        echo "$name $mode $cpu" >>"$results"
        echo "round $round events=$mode $name $rest"
      done
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for name in $SCENARIOS; do
  on="$(awk -v n="$name" '$1 == n && $2 == "on" {print $3}' "$results" | median)"
  off="$(awk -v n="$name" '$1 == n && $2 == "off" {print $3}' "$results" | median)"
  echo "$name cpu_us_per_req events_on=$on events_off=$off ratio=$(awk -v a="$on" -v b="$off" 'BEGIN {printf "%.2f", a / b}')"
done
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
