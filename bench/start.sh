#!/usr/bin/env bash
# Start to ready on the embedded default, ROUNDS times: a first start (empty data directory:
# schema, master key, system tenant, its keys, the bootstrap admin) and a restart on the same
# directory, each timed from launching ./gatehouse serve to /health/ready answering 200 (polled
# every 10 ms). Prints every round and the median of each.
#
#   bench/start.sh                                  # this checkout, 5 rounds
#   GATEHOUSE_HOME=/other/checkout bench/start.sh   # another build, for an A/B in one session
#
# Env: ROUNDS (5), GATEHOUSE_HOME, JAVA_OPTS, BENCH_OUT.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="${GATEHOUSE_HOME:-$here}"
ROUNDS="${ROUNDS:-5}"
bench_name=start
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The launcher records its AOT cache once per build, on a start of its own: do it before timing.
"$root/gatehouse" help >/dev/null 2>&1 || true

# Sets $took_ms (not a subshell: start_server must set $server_pid here, for stop_server).
timed_start() {
  local t0 t1
  t0=$(date +%s%N)
  start_server
  t1=$(date +%s%N)
  took_ms=$(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

out "# gatehouse start $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "$root") $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
firsts=(); restarts=()
for round in $(seq 1 "$ROUNDS"); do
  rm -rf "$work/data"; : >"$work/server.log"
  timed_start; first=$took_ms
  phases=$(sed -n 's/.*gatehouse ready on .*) in \([0-9]* ms (.*)\).*/\1/p' "$work/server.log" | head -1)
  stop_server
  timed_start; restart=$took_ms
  stop_server
  firsts+=("$first"); restarts+=("$restart")
  out "round $round first_start_ms=$first restart_ms=$restart (first start, server log: $phases)"
done
out "median first_start_ms=$(printf '%s\n' "${firsts[@]}" | median) restart_ms=$(printf '%s\n' "${restarts[@]}" | median) rounds=$ROUNDS load=$(cut -d' ' -f1-3 /proc/loadavg)"
