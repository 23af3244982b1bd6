#!/usr/bin/env bash
# The chaos suite: three Gatehouse nodes sharing a PostgreSQL and a Redis of their own, behind
# nginx on 127.0.0.1, under steady load, through the failures below (docs/operations.md):
#
#   1. revoke through node 1 a token issued by node 2: inactive at node 3 within 100 ms;
#   2. rolling restart of every node under load: zero failed requests;
#   3. SIGKILL of one node: under 0.1% failed requests, none after one client retry;
#   4. Redis stopped and restarted under load: zero failed token requests;
#   5. PostgreSQL stopped and restarted under load: recovery within 5 s of its return;
#   6. (when selected) rolling upgrade from the previous release (UPGRADE_FROM, a pinned commit,
#      built once per machine by bench/chaos/build-release.sh) to this build, then rollback to it,
#      node by node under load: zero failed requests each way. The suite then starts on the
#      previous release, runs 6 first and rolls forward again before the other experiments;
#   7. PostgreSQL primary killed, streaming replica promoted: 0 lost writes, JWT paths never fail,
#      writes back within 10 s of the promotion (bench/chaos/7-failover.sh);
#   8. node 3 partitioned from Redis, then from PostgreSQL (iptables, root only; 8-partition.sh);
#   9. introspection flood at one node: load shed by class, sign-in and tokens served (9-shed.sh);
#  10. 10,000 concurrent users, mixed profile, two nodes (slow: EXPERIMENTS=10; 10-users.sh);
#  11. resource exhaustion: pool, file descriptors, memory and CPU, full disk (11-exhaustion.sh).
#
#   bench/chaos.sh                    # prints one line per experiment; exit 1 if a target is missed
#   RATE=150 WORKERS=8 KEEP=1 bench/chaos.sh
#
# Ports (all on 127.0.0.1) from CHAOS_PORT_BASE (default 18400): nginx base, PostgreSQL base+1,
# Redis base+2, nodes base+10..base+12 (management listeners base+20..base+22); two runs with bases 100 apart do not meet.
# Needs nginx, redis-server and PostgreSQL's server binaries (Debian: nginx, redis-server,
# postgresql; as root, PostgreSQL runs as the `postgres` user), curl, and the server jar (built
# when missing). Everything it starts is stopped, and its temp directory removed, on exit, also on
# failure or Ctrl-C (KEEP=1 keeps the directory with every log for a post-mortem).
#
# Env: RATE (load iterations/s, each a JWT, its introspection and every third an opaque token;
# default 100), WORKERS (8), EXPERIMENTS (which to run, default "1 2 3 4 5"; add 6 for the upgrade),
# UPGRADE_FROM (the previous release's commit, below), CHAOS_PORT_BASE, JAVA_OPTS (node JVM flags;
# small heaps by default), KEEP.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/find-jdk.sh"
RATE="${RATE:-100}"
WORKERS="${WORKERS:-8}"
EXPERIMENTS="${EXPERIMENTS:-1 2 3 4 5 7}"
# The previous release for experiment 6: the last main before the container/upgrade work. Move it
# to the last release's commit when one is cut (docs/operations.md, "Upgrades").
UPGRADE_FROM="${UPGRADE_FROM:-f3dc3bcf58984be2b9ccd1fde9e3efaa70054ee5}"
CHAOS_PORT_BASE="${CHAOS_PORT_BASE:-18400}"
NGINX_PORT=$CHAOS_PORT_BASE
PG_PORT=$((CHAOS_PORT_BASE + 1))
REDIS_PORT=$((CHAOS_PORT_BASE + 2))
REPLICA_PORT=$((CHAOS_PORT_BASE + 5))
NODE_PORTS=(0 $((CHAOS_PORT_BASE + 10)) $((CHAOS_PORT_BASE + 11)) $((CHAOS_PORT_BASE + 12)))
# Each node's management listener (/health/*, /metrics), where an orchestrator probes it.
MGMT_PORTS=(0 $((CHAOS_PORT_BASE + 20)) $((CHAOS_PORT_BASE + 21)) $((CHAOS_PORT_BASE + 22)))
BASE="http://127.0.0.1:$NGINX_PORT"
TENANT=chaos
export JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -Xms48m -Xmx160m -XX:MaxMetaspaceSize=96m -Xss512k -XX:TieredStopAtLevel=4 -Djdk.pollerMode=1}"

say() { printf '[chaos] %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }
now_ms() { date +%s%3N; }

for tool in nginx redis-server curl awk; do
  command -v "$tool" >/dev/null || die "needs $tool (Debian: apt-get install nginx redis-server curl)"
done
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
[ -x "$pgbin/pg_ctl" ] || die "needs PostgreSQL's server binaries (Debian: apt-get install postgresql)"
for port in "$NGINX_PORT" "$PG_PORT" "$REDIS_PORT" "$REPLICA_PORT" "${NODE_PORTS[@]:1}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is in use (another chaos run?)"
  fi
done

jar="$root/server/target/gatehouse-server.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests -pl cedar,server package) >&2
want() { [[ " $EXPERIMENTS " == *" $1 "* ]]; }
prev_jar=""
if want 6; then
  prev_jar="$("$root/bench/chaos/build-release.sh" "$UPGRADE_FROM")" || die "cannot build the previous release $UPGRADE_FROM"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-chaos.XXXXXX")"
chmod 755 "$work"
declare -a node_pid=(0 0 0 0)
# Which server each node runs: "" this build, else a jar (the previous release).
declare -a node_jar=("" "" "" "")
redis_pid=""
load_pid=""
pg_started=""
replica_started=""
# Commands experiments register to undo what they changed outside the temp directory (firewall
# rules, resource limits); run on exit whatever happens.
declare -a cleanup_hooks=()

if [ "$(id -u)" = 0 ]; then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
pg_ctl() { as_pg "$pgbin/pg_ctl" -D "$work/pg/data" "$@"; }

cleanup() {
  local rc=$?
  set +e
  # Only what this run started, by pid; `wait` inside braces keeps bash's "Killed" notices quiet.
  local pids=()
  [ -z "$load_pid" ] || pids+=("$load_pid")
  for i in 1 2 3; do
    [ "${node_pid[$i]}" = 0 ] || pids+=("${node_pid[$i]}")
  done
  [ -z "$redis_pid" ] || pids+=("$redis_pid")
  for pid in "${pids[@]}"; do
    kill -KILL "$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null
  done
  [ ! -f "$work/nginx/nginx.pid" ] || kill -TERM "$(cat "$work/nginx/nginx.pid")" 2>/dev/null
  for hook in "${cleanup_hooks[@]}"; do eval "$hook" >/dev/null 2>&1; done
  [ -z "$pg_started" ] || pg_ctl -m immediate stop >/dev/null 2>&1
  [ -z "$replica_started" ] || as_pg "$pgbin/pg_ctl" -D "$work/replica" -m immediate stop >/dev/null 2>&1
  if [ "${KEEP:-}" = 1 ]; then
    say "kept $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- PostgreSQL and Redis of our own ----
mkdir -p "$work/pg" "$work/redis"
[ "$(id -u)" != 0 ] || chown postgres "$work/pg"
as_pg "$pgbin/initdb" -D "$work/pg/data" -A trust -U postgres -E UTF8 --no-sync >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; die "initdb failed"; }
# Node 3 reaches PostgreSQL and Redis at 127.0.0.13 (loopback too), so that a firewall rule can
# cut it alone off (experiment 8).
pg_start() {
  pg_ctl -l "$work/pg/log" -o "-p $PG_PORT -k $work/pg -c listen_addresses=127.0.0.1,127.0.0.13 -c fsync=off -c max_connections=100" start >/dev/null
}
printf 'host all all 127.0.0.0/8 trust\nhost replication all 127.0.0.0/8 trust\n' >>"$work/pg/data/pg_hba.conf"
pg_start
pg_started=1
pg_ready() { "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres 2>/dev/null; }
for _ in $(seq 1 300); do pg_ready && break; sleep 0.1; done
pg_ready || die "PostgreSQL did not start ($work/pg/log)"
as_pg "$pgbin/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "create database gatehouse" postgres
# A streaming replica from a base backup (pg_basebackup -R writes its primary_conninfo).
replica_start() {
  as_pg "$pgbin/pg_ctl" -D "$work/replica" -l "$work/pg/replica.log" -o "-p $REPLICA_PORT -k $work/pg -c listen_addresses=127.0.0.1,127.0.0.13 -c fsync=off -c max_connections=100 -c synchronous_standby_names=" start >/dev/null
}
if want 7; then
  mkdir -p -m 700 "$work/replica"
  [ "$(id -u)" != 0 ] || chown postgres "$work/replica"
  as_pg "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$work/replica" -R -X stream -c fast >"$work/basebackup.log" 2>&1 \
    || { cat "$work/basebackup.log" >&2; die "pg_basebackup failed"; }
  replica_start
  replica_started=1
  for _ in $(seq 1 300); do "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres && break; sleep 0.1; done
  # From now on every commit waits until the replica has it: a failover loses no acknowledged
  # write (set once the replica streams, or commits would wait for a standby that is not there).
  as_pg "$pgbin/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    -c "alter system set synchronous_standby_names = '*'" -c "select pg_reload_conf()" >/dev/null
fi
# Both servers in the URL: pgjdbc connects to whichever is the primary (targetServerType) and
# looks again at a server it found to be a standby after hostRecheckSeconds (default 10).
db_url() {
  local host=127.0.0.1; [ "$1" != 3 ] || host=127.0.0.13
  if [ -n "$replica_started" ]; then
    echo "jdbc:postgresql://$host:$PG_PORT,$host:$REPLICA_PORT/gatehouse?targetServerType=primary&hostRecheckSeconds=1"
  else
    echo "jdbc:postgresql://$host:$PG_PORT/gatehouse"
  fi
}

redis_start() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 127.0.0.13 --save "" --appendonly no \
    --dir "$work/redis" --logfile "$work/redis/log" >/dev/null 2>&1 &
  redis_pid=$!
}
redis_up() { (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" && printf 'PING\r\n' >&3 && read -r -t 1 line <&3 && [[ "$line" == +PONG* ]]) 2>/dev/null; }
redis_start
for _ in $(seq 1 100); do redis_up && break; sleep 0.05; done
redis_up || die "Redis did not start ($work/redis/log)"

# ---- three nodes ----
master_key="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
start_node() {
  local i=$1 host=127.0.0.1
  [ "$i" != 3 ] || host=127.0.0.13
  env GATEHOUSE_DB_URL="$(db_url "$i")" GATEHOUSE_DB_USER=postgres \
    GATEHOUSE_DB_POOL_SIZE=5 GATEHOUSE_REDIS_URL="redis://$host:$REDIS_PORT" \
    GATEHOUSE_TOKENS_REVOCATION_MAX_STALENESS_SECONDS="${CHAOS_STALENESS:-10}" \
    GATEHOUSE_SERVER_MAX_CONNECTIONS_PER_IP=0 \
    GATEHOUSE_MASTER_KEY="$master_key" GATEHOUSE_SERVER_BASE_URL="$BASE" \
    GATEHOUSE_SERVER_SHUTDOWN_GRACE_SECONDS=10 GATEHOUSE_SERVER_DRAIN_DELAY_MS=200 \
    GATEHOUSE_ACCESS_LOG=OFF GATEHOUSE_MANAGEMENT_PORT="${MGMT_PORTS[$i]}" \
    $(if [ -n "${node_jar[$i]}" ]; then echo "$JAVA_HOME/bin/java $JAVA_OPTS -jar ${node_jar[$i]}"; else echo "$root/gatehouse"; fi) \
    serve --port "${NODE_PORTS[$i]}" --data "$work/node$i" >>"$work/node$i.log" 2>&1 &
  node_pid[$i]=$!
}
node_ready() { curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:${NODE_PORTS[$1]}/health/ready"; }
wait_ready() {
  local i=$1
  for _ in $(seq 1 600); do
    node_ready "$i" && return 0
    kill -0 "${node_pid[$i]}" 2>/dev/null || die "node $i exited ($work/node$i.log): $(tail -n 5 "$work/node$i.log")"
    sleep 0.1
  done
  die "node $i not ready after 60 s ($work/node$i.log)"
}
stop_node() {
  local i=$1 pid=${node_pid[$1]}
  kill -TERM "$pid"
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  { wait "$pid"; } 2>/dev/null || true
  node_pid[$i]=0
}

# ---- nginx ----
mkdir -p "$work/nginx/tmp"
nginx_conf() {
  # $1: the node marked down (drained), 0 for none.
  local user_line="" i down
  [ "$(id -u)" != 0 ] || user_line="user root;"
  {
    echo "$user_line"
    echo "worker_processes 1;"
    echo "pid $work/nginx/nginx.pid;"
    echo "error_log $work/nginx/error.log warn;"
    # Experiment 10 holds 10,000 client connections: more connections and descriptors per worker.
    if want 10; then
      echo "worker_rlimit_nofile 65536;"
      echo "events { worker_connections 32768; }"
    else
      echo "events { worker_connections 4096; }"
    fi
    echo "http {"
    echo "  access_log off;"
    for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $work/nginx/tmp/$t;"; done
    echo "  upstream gatehouse {"
    # Least connections: a slow node (a JVM just restarted) does not pile up requests.
    echo "    least_conn;"
    # Experiment 10: connections to the nodes kept alive (kept below the nodes' 20 s idle timeout),
    # or every request's connection would linger in TIME_WAIT and exhaust the ephemeral ports.
    ! want 10 || echo "    keepalive 512; keepalive_timeout 10s;"
    for i in 1 2 3; do
      down=""; [ "$1" != "$i" ] || down=" down"
      echo "    server 127.0.0.1:${NODE_PORTS[$i]} max_fails=1 fail_timeout=2s$down;"
    done
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$NGINX_PORT;"
    echo "    location / {"
    echo "      proxy_pass http://gatehouse;"
    # HTTP/1.1 (Helidon answers 1.0 with 505), one connection per request (no upstream keepalive).
    echo "      proxy_http_version 1.1;"
    ! want 10 || echo "      proxy_set_header Connection \"\";"
    echo "      proxy_set_header Host \$http_host;"
    echo "      proxy_connect_timeout 1s;"
    echo "      proxy_read_timeout 10s;"
    # The default, spelled out: a request nginx could not deliver goes to the next node; one it
    # sent (a POST) is never replayed: retrying is the client's decision.
    echo "      proxy_next_upstream error timeout;"
    echo "    }"
    echo "  }"
    echo "}"
  } >"$work/nginx/nginx.conf"
}
nginx_cmd() { nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" "$@" 2>>"$work/nginx/error.log"; }
nginx_reload() { nginx_conf "$1"; nginx_cmd -s reload; sleep 0.5; }

say "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
say "starting PostgreSQL :$PG_PORT, Redis :$REDIS_PORT, nodes :${NODE_PORTS[1]}-${NODE_PORTS[3]}, nginx :$NGINX_PORT in $work"
suite_start=$(now_ms)
if want 6; then
  node_jar=("" "$prev_jar" "$prev_jar" "$prev_jar")
  say "nodes start on the previous release ${UPGRADE_FROM:0:10} for experiment 6"
fi
start_node 1
wait_ready 1            # the first node migrates the schema and bootstraps the system tenant
start_node 2
start_node 3
wait_ready 2
wait_ready 3
nginx_conf 0
nginx_cmd || die "nginx did not start: $(tail -n 5 "$work/nginx/error.log")"

# ---- driver, tenant, clients, load ----
mkdir -p "$work/driver"
"$JAVA_HOME/bin/javac" -d "$work/driver" "$root/bench/chaos/ChaosDriver.java"
driver_cmd=("$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx96m -Djdk.httpclient.allowRestrictedHeaders=connection -cp "$work/driver" ChaosDriver)
driver() { "${driver_cmd[@]}" "$@"; }
# Set-up through node 1 (it wrote the bootstrap credentials); the load goes through nginx.
# A cold JVM on a busy machine may miss the driver's 10 s timeout once: try again (idempotent).
for attempt in 1 2 3; do
  driver setup "http://127.0.0.1:${NODE_PORTS[1]}" "$work/node1/bootstrap-admin.json" "$TENANT" >"$work/clients.env" && break
  [ "$attempt" != 3 ] || die "set-up through node 1 failed"
done
set -a; . "$work/clients.env"; set +a
# Every node must know the new tenant before the load starts (a node that had cached it as
# unknown would say so until the invalidation bus or its cache refresh tells it otherwise).
for i in 1 2 3; do
  for n in $(seq 1 100); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${NODE_PORTS[$i]}/t/$TENANT/jwks")
    [ "$code" = 200 ] && break
    [ "$n" != 1 ] || say "node $i does not know tenant $TENANT yet ($code)"
    sleep 0.5
  done
  [ "$code" = 200 ] || die "node $i does not know tenant $TENANT after 50 s"
done
# Started directly (not through the function, which would fork a subshell): $! is the JVM's pid,
# so that cleanup stops the driver itself.
"${driver_cmd[@]}" load "$BASE" "$work/load" "$RATE" "$WORKERS" >"$work/load.log" 2>&1 &
load_pid=$!
sleep 5   # warm-up

# Sums of the load buckets in (from, to]: requests (ok + failed after retry), failed first
# attempts, failed after the retry; $3 picks the kinds (all, token = JWT and opaque issuance).
window() {
  awk -v from="$1" -v to="$2" -v kinds="${3:-all}" '
    $1 > from && $1 <= to + 100 {
      for (k = 0; k < 3; k++) {
        if (kinds == "token" && k == 1) continue
        ok += $(2 + 3 * k); f1 += $(3 + 3 * k); f2 += $(4 + 3 * k)
      }
    }
    END { printf "%d %d %d\n", ok + f2, f1, f2 }' "$work/load/buckets"
}
failed=0
result() {
  # $1 experiment, $2 PASS/FAIL, rest: the line.
  local n=$1 verdict=$2; shift 2
  printf 'chaos %s %s %s\n' "$n" "$*" "$verdict"
  [ "$verdict" = PASS ] || failed=1
}

# ---- 6. rolling upgrade N-1 -> N and rollback N -> N-1 (runs first: the nodes started on N-1) ----
roll_to() {
  # $1: the jar to run ("" for this build). One node at a time, as in experiment 2.
  for i in 1 2 3; do
    nginx_reload "$i"
    stop_node "$i"
    node_jar[$i]="$1"
    start_node "$i"
    wait_ready "$i"
    nginx_reload 0
  done
  sleep 1
}
if want 6; then
  t0=$(now_ms); roll_to ""; t1=$(now_ms)
  read -r up_total up_f1 _ < <(window "$t0" "$t1")
  t2=$(now_ms); roll_to "$prev_jar"; t3=$(now_ms)
  read -r down_total down_f1 _ < <(window "$t2" "$t3")
  verdict=FAIL
  [ "$up_f1" = 0 ] && [ "$down_f1" = 0 ] && [ "$up_total" -gt 0 ] && [ "$down_total" -gt 0 ] && verdict=PASS
  result 6 "$verdict" "rolling upgrade from ${UPGRADE_FROM:0:10} to this build: ${up_f1} failed of ${up_total} requests in $(( (t1 - t0) / 1000 )) s (target 0); rollback to ${UPGRADE_FROM:0:10} on the upgraded schema: ${down_f1} failed of ${down_total} requests in $(( (t3 - t2) / 1000 )) s (target 0)"
  roll_to ""   # the other experiments run on this build
fi

# ---- 1. revocation across nodes ----
n1="http://127.0.0.1:${NODE_PORTS[1]}" n2="http://127.0.0.1:${NODE_PORTS[2]}" n3="http://127.0.0.1:${NODE_PORTS[3]}"
if want 1; then
  read -r worst median timeouts call late < <(driver revoke "$n2" "$n1" "$n3" 20 || true)
  verdict=FAIL
  [ "${timeouts:-1}" = 0 ] && [ "${late:-1}" = 0 ] && verdict=PASS
  result 1 "$verdict" "revocation across nodes: issued by node 2, revoked through node 1; a check sent to node 3 100 ms after node 1 answered found it active in ${late:-?} of 20 trials under load (target 0); first inactive answer at node 3 ${median} ms after node 1 answered (median; worst ${worst} ms, which includes the check's own wait in node 3's queue; the revocation call took ${call} ms, median)"
fi

# ---- 2. rolling restart ----
if want 2; then
  t0=$(now_ms)
  for i in 1 2 3; do
    nginx_reload "$i"       # drain: nginx stops sending new requests to node i
    stop_node "$i"          # SIGTERM: not ready, then in-flight requests finish, then exit
    start_node "$i"
    wait_ready "$i"
    nginx_reload 0
  done
  sleep 1
  t1=$(now_ms)
  read -r total f1 f2 < <(window "$t0" "$t1")
  verdict=FAIL; [ "$f1" = 0 ] && [ "$total" -gt 0 ] && verdict=PASS
  result 2 "$verdict" "rolling restart: 3 nodes drained, stopped (SIGTERM) and restarted in $(( (t1 - t0) / 1000 )) s under load; ${f1} failed of ${total} requests (target 0)"
fi

# ---- 3. SIGKILL one node ----
if want 3; then
  # Failures are the requests node 2 had in flight (Little's law: about rate x latency / 3), so
  # the ratio depends on the window: 30 s, node 2 killed after 5 s and restarted 5 s later.
  sleep 2
  t0=$(now_ms)
  sleep 5
  kill -KILL "${node_pid[2]}"
  { wait "${node_pid[2]}"; } 2>/dev/null || true
  node_pid[2]=0
  sleep 5
  start_node 2
  wait_ready 2
  sleep $(( (30000 - ($(now_ms) - t0)) > 0 ? (30000 - ($(now_ms) - t0)) / 1000 : 0 ))
  t1=$(now_ms)
  read -r total f1 f2 < <(window "$t0" "$t1")
  verdict=FAIL
  awk -v f1="$f1" -v f2="$f2" -v n="$total" 'BEGIN { exit !(n > 0 && f1 / n < 0.001 && f2 == 0) }' && verdict=PASS
  pct=$(awk -v f1="$f1" -v n="$total" 'BEGIN { printf "%.3f", n ? 100 * f1 / n : 0 }')
  result 3 "$verdict" "SIGKILL node 2: ${f1} failed of ${total} requests in $(( (t1 - t0) / 1000 )) s around the kill and restart (${pct}%; target < 0.1%), ${f2} after one client retry (target 0)"
fi

# ---- 4. Redis stopped and restarted ----
if want 4; then
  sleep 3
  t0=$(now_ms)
  kill -TERM "$redis_pid"; { wait "$redis_pid"; } 2>/dev/null || true; redis_pid=""
  sleep 4
  redis_start
  for _ in $(seq 1 200); do redis_up && break; sleep 0.02; done
  t_back=$(now_ms)
  # Cross-node revocation is back when a revocation through node 1 reaches node 3 within 1 s again:
  # through the bus, or the next poll of node 3's copy of the revocation list (every second).
  bus_ms=$(driver propagation "$n2" "$n1" "$n3" "$t_back" 30 || true)
  [ "$bus_ms" != -1 ] || bus_ms=""
  sleep 2
  t1=$(now_ms)
  read -r total f1 f2 < <(window "$t0" "$t1" token)
  read -r _ f1all _ < <(window "$t0" "$t1")
  verdict=FAIL; [ "$f1" = 0 ] && [ "$total" -gt 0 ] && [ -n "$bus_ms" ] && verdict=PASS
  result 4 "$verdict" "Redis stopped 4 s and restarted under load: ${f1} failed of ${total} token requests (target 0; ${f1all} failed requests of all kinds); cross-node revocation back ${bus_ms:-never} ms after Redis returned"
fi

# ---- 5. PostgreSQL stopped and restarted ----
if want 5; then
  sleep 3
  t_stop=$(now_ms)
  pg_ctl -m fast -w stop >/dev/null
  sleep 4
  pg_start
  t_back=""
  for _ in $(seq 1 1500); do
    if pg_ready; then t_back=$(now_ms); break; fi
    sleep 0.02
  done
  [ -n "$t_back" ] || die "PostgreSQL did not come back ($work/pg/log)"
  ready_ms=""
  for _ in $(seq 1 300); do
    if node_ready 1 && node_ready 2 && node_ready 3; then ready_ms=$(( $(now_ms) - t_back )); break; fi
    sleep 0.05
  done
  sleep 6
  t1=$(now_ms)
  # Recovery: from PostgreSQL accepting connections to the last failed request (0 if none failed
  # after its return); and requests must succeed again, opaque tokens (database writes) included.
  last_fail=$(awk -v from="$t_back" '$1 >= from { if ($1 > m) m = $1 } END { print m + 0 }' "$work/load/failures")
  recovery=$(( last_fail > t_back ? last_fail - t_back : 0 ))
  outage_jwt=$(awk -v from="$t_stop" -v to="$t_back" '$1 > from && $1 <= to + 100 { ok += $2 + $5; f += $3 + $6 } END { printf "%d %d\n", ok, f }' "$work/load/buckets")
  read -r jwt_ok jwt_f1 <<<"$outage_jwt"
  opq_after=$(awk -v from=$((t1 - 2000)) '$1 > from { ok += $8 } END { print ok + 0 }' "$work/load/buckets")
  verdict=FAIL
  [ "$recovery" -le 5000 ] && [ -n "$ready_ms" ] && [ "$ready_ms" -le 5000 ] && [ "$opq_after" -gt 0 ] && [ "$jwt_f1" = 0 ] && verdict=PASS
  result 5 "$verdict" "PostgreSQL stopped 4 s and restarted under load: recovery $(awk -v r="$recovery" 'BEGIN { printf "%.1f", r / 1000 }') s after it returned (last failed request; target <= 5 s), all nodes ready after $(awk -v r="${ready_ms:-99999}" 'BEGIN { printf "%.1f", r / 1000 }') s; during the outage ${jwt_f1} failed of $((jwt_ok + jwt_f1)) JWT issuances and introspections (target 0), opaque-token writes answered 503"
fi

# ---- 7 and later: one file per experiment (bench/chaos/N-name.sh), in the order of N ----
for experiment in $(printf '%s\n' "$root"/bench/chaos/[0-9]*-*.sh | sort -V); do
  . "$experiment"
done

kill -TERM "$load_pid" 2>/dev/null || true
say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
say "done in $(( ($(now_ms) - suite_start) / 1000 )) s; requests: $(awk '{ for (i = 2; i <= 10; i++) s[i] += $i } END { printf "%d token, %d introspect, %d opaque ok", s[2], s[5], s[8] }' "$work/load/buckets")"
exit "$failed"
