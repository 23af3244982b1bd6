#!/usr/bin/env bash
# The attack-detection benchmark online (docs/attack-protection.md, "Online, against a 2-node
# cluster"): two Gatehouse nodes sharing one PostgreSQL database and one Redis, the simulator's
# labelled traffic driven through them as real hosted sign-ins and token requests
# (`gatehouse detect online`), and the nodes' own detections scored like the offline run.
#
#   DB_URL='jdbc:postgresql://127.0.0.1:5432/gh_detect?user=postgres' \
#   REDIS_URL=redis://127.0.0.1:6379/11 bench/detect-online.sh [detect online options]
#
# The database should be empty (the first node migrates it); the Redis database is flushed
# first (use a database number nothing else uses). Options after the script name go to
# `detect online` (default: --users 1000 --warmup-days 2 --clients 2 --speed 1500).
#
# Env: DB_URL, REDIS_URL (required); PORT1, PORT2 (9280, 9281; management listeners PORT1+2 and
# PORT2+2); JAVA_OPTS (node JVM flags); KEEP=1 keeps the work directory with both nodes' logs.
#
# Time is compressed: `--speed` simulated seconds per real second. Each node is told so where
# the detectors read a duration that the simulation compresses: the hold before a sign-in is
# learned (an hour, 2 s here) and an incident's quiet period (10 minutes, 60 s here); and the
# lockout's lock (15 minutes, 1 s here), else the campaigns' attempts on real names lock those
# accounts for the rest of the run and their owners' sign-ins are refused.
#
# Every other window of the detectors is not compressed and cannot be: they read the events'
# times, which are the nodes' clock, and that clock also seals the bus messages, the sessions and
# the CSRF tokens. So a minute bucket of a client's token rate holds a simulated day, an hour of
# an account's strange failures holds two months, and all sign-ins fall in one or two hours of
# the day. The driver therefore also replays the events the nodes wrote, at their times, through
# one engine: the nodes against that replay shows what two nodes change; both against
# `gatehouse detect evaluate` (real time) show what the compression changes
# (docs/attack-protection.md, "Online, against a 2-node cluster").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/find-jdk.sh"
: "${DB_URL:?set DB_URL to an empty PostgreSQL database (jdbc:postgresql://...)}"
: "${REDIS_URL:?set REDIS_URL (redis://host:port/DB, a database nothing else uses)}"
PORT1="${PORT1:-9280}"
PORT2="${PORT2:-9281}"
export JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmx256m -XX:MaxMetaspaceSize=128m -Xss512k -Djdk.pollerMode=1}"
if [ "$#" -eq 0 ]; then
  set -- --users 1000 --warmup-days 2 --clients 2 --speed 1500
fi

say() { printf '[detect-online] %s\n' "$*" >&2; }
jar="$root/server/target/gatehouse-server.jar"
GATEHOUSE_AOT=off "$root/gatehouse" --version >/dev/null  # builds the jar when sources changed

work="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-detect-online.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "${KEEP:-0}" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

redis_db="${REDIS_URL##*/}"
redis_hostport="${REDIS_URL#redis://}"
redis_hostport="${redis_hostport%%/*}"
if [ "$redis_db" != "$REDIS_URL" ] && [ -n "$redis_db" ]; then
  redis-cli -h "${redis_hostport%%:*}" -p "${redis_hostport##*:}" -n "$redis_db" flushdb >/dev/null
fi

master_key="$(head -c 32 /dev/urandom | base64)"
quiet=60        # detect.quiet-seconds on the nodes (and in the driver's one-engine replay)
learn_after=2   # detect.learn-after-seconds, likewise
# Starts node $1 on port $2 and waits until it is ready (READY_TIMEOUT seconds, default 300).
start_node() {
  local n="$1" port="$2"
  env GATEHOUSE_DB_URL="$DB_URL" GATEHOUSE_REDIS_URL="$REDIS_URL" \
    GATEHOUSE_MASTER_KEY="$master_key" GATEHOUSE_MANAGEMENT_PORT=$((port + 2)) \
    GATEHOUSE_ACCESS_LOG=OFF GATEHOUSE_SERVER_TRUSTED_PROXIES=127.0.0.0/8 \
    GATEHOUSE_PASSWORDS_ARGON2_MEMORY_KIB=1024 GATEHOUSE_PASSWORDS_ARGON2_ITERATIONS=1 \
    GATEHOUSE_DETECT_QUIET_SECONDS="$quiet" GATEHOUSE_DETECT_LEARN_AFTER_SECONDS="$learn_after" \
    GATEHOUSE_SIGNIN_LOCKOUT_LOCK_SECONDS=1 \
    "$JAVA_HOME/bin/java" $JAVA_OPTS -jar "$jar" serve --port "$port" --data "$work/data$n" \
    >"$work/node$n.log" 2>&1 &
  pids+=($!)
  local deadline=$(( $(date +%s) + ${READY_TIMEOUT:-300} ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null; then
      say "node $n ready on $port"
      return 0
    fi
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.2
  done
  say "node $n did not become ready; its log:"; tail -50 "$work/node$n.log" >&2; exit 1
}
start_node 1 "$PORT1"  # the first migrates the schema and writes the admin credentials
start_node 2 "$PORT2"

"$JAVA_HOME/bin/java" -Xmx512m -jar "$jar" --data "$work/data1" detect online \
  --node "http://127.0.0.1:$PORT1" --node "http://127.0.0.1:$PORT2" \
  --quiet-seconds "$quiet" --learn-after-seconds "$learn_after" "$@"
grep -h '"level":"ERROR"\|ERROR' "$work/node1.log" "$work/node2.log" | head -5 >&2 || true
