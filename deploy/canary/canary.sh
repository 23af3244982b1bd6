#!/usr/bin/env bash
# Blue-green and canary releases without a cluster: nginx in front, weights shifted step by step
# to the new version, both versions' /metrics compared at every step, automatic promotion or
# rollback (deploy/canary/CanaryController.java; docs/deployment.md, "Canary with nginx").
#
# The demonstration on 127.0.0.1, under steady load (bench/chaos/ChaosDriver.java):
#   1. promote: a stable node and a healthy canary of this build; traffic 10 -> 25 -> 50 -> 100%;
#   2. rollback, error ratio: a canary started against the wrong database (a bad configuration:
#      every client is unknown there) is detected at the first step and taken out;
#   3. rollback, latency: a canary 10x slower (interpreted JVM, -Xint: a performance regression).
# Prints the promotion and rollback times and the client requests that failed after one retry.
#
#   deploy/canary/canary.sh                   # exit 0 when 1 promotes and 2 and 3 roll back
#   SCENARIOS="1 2" STEP_SECONDS=10 RATE=80 deploy/canary/canary.sh
#
# Uses the machine's PostgreSQL (databases of its own, dropped at the end: CANARY_PG, default
# "-h 127.0.0.1 -p 5432 -U postgres") and Redis (CANARY_REDIS, redis://127.0.0.1:6379/10), nginx,
# ports CANARY_PORT_BASE (24100; nodes +10..+12, their management ports +20..+22).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/bin/find-jdk.sh"
SCENARIOS="${SCENARIOS:-1 2 3}"
RATE="${RATE:-60}"
export STEP_SECONDS="${STEP_SECONDS:-5}"
base_port="${CANARY_PORT_BASE:-24100}"
pg=(${CANARY_PG:--h 127.0.0.1 -p 5432 -U postgres})
redis_url="${CANARY_REDIS:-redis://127.0.0.1:6379/10}"
export JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -Xms48m -Xmx160m -XX:MaxMetaspaceSize=96m -Xss512k -Djdk.pollerMode=1}"
say() { printf '[canary] %s\n' "$*" >&2; }
now_ms() { date +%s%3N; }
for tool in nginx psql curl; do command -v "$tool" >/dev/null || { say "needs $tool"; exit 2; }; done

work="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-canary.XXXXXX")"
chmod 755 "$work"
mkdir -p "$work/nginx/tmp"
db="gh_canary_$$"
declare -A pid=()
load_pid=""
cleanup() {
  local rc=$?
  set +e
  for p in $load_pid "${pid[@]}"; do kill -KILL "$p" 2>/dev/null; { wait "$p"; } 2>/dev/null; done
  [ ! -f "$work/nginx/nginx.pid" ] || kill -TERM "$(cat "$work/nginx/nginx.pid")" 2>/dev/null
  psql "${pg[@]}" -q -c "drop database if exists $db" -c "drop database if exists ${db}_wrong" postgres >/dev/null 2>&1
  if [ "${KEEP:-}" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
psql "${pg[@]}" -q -c "create database $db" -c "create database ${db}_wrong" postgres
master_key="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
nginx_addr="127.0.0.1:$base_port"

# node NAME INDEX DATABASE [JAVA_OPTS]: starts a node on base+10+INDEX (management base+20+INDEX).
node() {
  local name=$1 i=$2 database=$3 opts=${4:-$JAVA_OPTS}
  env GATEHOUSE_DB_URL="jdbc:postgresql://127.0.0.1:5432/$database" GATEHOUSE_DB_USER=postgres \
    GATEHOUSE_DB_POOL_SIZE=5 GATEHOUSE_REDIS_URL="$redis_url" GATEHOUSE_MASTER_KEY="$master_key" \
    GATEHOUSE_SERVER_BASE_URL="http://$nginx_addr" GATEHOUSE_ACCESS_LOG=OFF \
    GATEHOUSE_MANAGEMENT_PORT=$((base_port + 20 + i)) GATEHOUSE_SERVER_DRAIN_DELAY_MS=200 \
    JAVA_OPTS="$opts" GATEHOUSE_AOT=off \
    "$root/gatehouse" serve --port $((base_port + 10 + i)) --data "$work/$name" >"$work/$name.log" 2>&1 &
  pid[$name]=$!
  for _ in $(seq 1 900); do
    curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$((base_port + 10 + i))/health/ready" && return 0
    kill -0 "${pid[$name]}" 2>/dev/null || { tail -n 5 "$work/$name.log" >&2; say "$name exited"; exit 2; }
    sleep 0.1
  done
  say "$name not ready"; exit 2
}
stop() { kill -TERM "${pid[$1]}" 2>/dev/null; { wait "${pid[$1]}"; } 2>/dev/null || true; unset "pid[$1]"; }
addr() { echo "127.0.0.1:$((base_port + 10 + $1))"; }
metrics() { echo "http://127.0.0.1:$((base_port + 20 + $1))/metrics"; }
controller() { "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx64m "$root/deploy/canary/CanaryController.java" "$work/nginx" "$nginx_addr" "$@"; }
# Client requests in (from, to] that failed after the driver's one retry, and all requests.
failed_after_retry() {
  awk -v from="$1" -v to="$2" '$1 > from && $1 <= to + 100 { for (k = 0; k < 3; k++) { n += $(2 + 3 * k) + $(4 + 3 * k); f += $(4 + 3 * k); f1 += $(3 + 3 * k) } }
    END { printf "%d %d %d\n", n, f1, f }' "$work/load/buckets"
}
status=0
report() { printf 'canary %s %s\n' "$*" "$verdict"; [ "$verdict" = PASS ] || status=1; }

say "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
node blue 0 "$db"
mkdir -p "$work/driver"
"$JAVA_HOME/bin/javac" -d "$work/driver" "$root/bench/chaos/ChaosDriver.java"
driver=("$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx96m -cp "$work/driver" ChaosDriver)
for attempt in 1 2 3; do   # a cold JVM on a busy machine may miss the driver's 10 s timeout once
  "${driver[@]}" setup "http://$(addr 0)" "$work/blue/bootstrap-admin.json" canary >"$work/clients.env" && break
  [ "$attempt" != 3 ] || exit 2
done
set -a; . "$work/clients.env"; set +a
controller "$(addr 0)" "$(metrics 0)" "$(addr 1)" "$(metrics 1)" set 0
"${driver[@]}" load "http://$nginx_addr" "$work/load" "$RATE" 8 >"$work/load.log" 2>&1 &
load_pid=$!
sleep 3
stable=0 stable_name=blue

if [[ " $SCENARIOS " == *" 1 "* ]]; then
  node green 1 "$db"
  t0=$(now_ms)
  out="$(controller "$(addr 0)" "$(metrics 0)" "$(addr 1)" "$(metrics 1)")" && rc=0 || rc=$?
  t1=$(now_ms)
  printf '%s\n' "$out" | sed 's/^/[canary]   /' >&2
  read -r n f1 f < <(failed_after_retry "$t0" "$t1")
  verdict=FAIL; [ "$rc" = 0 ] && [ "$f" = 0 ] && verdict=PASS
  report "1 promote a healthy canary: $(tail -n1 <<<"$out"); ${f1} failed first attempts, ${f} failed after one retry of ${n} client requests (target: promoted, 0 after retry)"
  stop blue
  stable=1 stable_name=green
fi

bad() {
  # bad SCENARIO NAME DATABASE JAVA_OPTS DESCRIPTION
  local n=$1 name=$2 database=$3 opts=$4 what=$5
  node "$name" 2 "$database" "$opts"
  local t0 t1 out rc
  t0=$(now_ms)
  out="$(controller "$(addr $stable)" "$(metrics $stable)" "$(addr 2)" "$(metrics 2)")" && rc=0 || rc=$?
  t1=$(now_ms)
  printf '%s\n' "$out" | sed 's/^/[canary]   /' >&2
  sleep 1
  read -r total f1 f < <(failed_after_retry "$t0" "$t1")
  verdict=FAIL; [ "$rc" = 3 ] && verdict=PASS
  report "$n roll back $what: $(tail -n1 <<<"$out"); ${f1} failed first attempts, ${f} failed after one retry of ${total} client requests"
  stop "$name"
}
if [[ " $SCENARIOS " == *" 2 "* ]]; then
  bad 2 wrongdb "${db}_wrong" "$JAVA_OPTS" "a canary on the wrong database"
fi
if [[ " $SCENARIOS " == *" 3 "* ]]; then
  bad 3 slow "$db" "$JAVA_OPTS -Xint" "a 10x slower canary (-Xint)"
fi
say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
