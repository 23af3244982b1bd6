#!/usr/bin/env bash
# Backup and restore, tested (docs/deployment.md, "Backup and restore"): a node on a database of
# its own gets a tenant, clients, keys and a token; the database is dumped (pg_dump -Fc) and the
# master key saved; both are restored into a fresh database, a new node starts on it, and must
# serve the same tenants, the same signing keys, accept the same client secrets and find the
# token issued before the backup active. Restoring without the master key must fail loudly.
#
#   deploy/backup/restore-test.sh       # exit 0 when every check passes
#
# Uses the machine's PostgreSQL (BACKUP_PG, default "-h 127.0.0.1 -p 5432 -U postgres"; databases
# gh_backup_src_PID and gh_backup_dst_PID, dropped at the end) and port BACKUP_PORT (24200).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/bin/find-jdk.sh"
pg=(${BACKUP_PG:--h 127.0.0.1 -p 5432 -U postgres})
port="${BACKUP_PORT:-24200}"
base="http://127.0.0.1:$port"
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
say() { printf '[backup] %s\n' "$*" >&2; }
passed=0 failed=0
check() { local name=$1; shift; if "$@"; then passed=$((passed + 1)); say "ok   $name"; else failed=$((failed + 1)); say "FAIL $name"; fi; }
work="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-backup.XXXXXX")"
src="gh_backup_src_$$" dst="gh_backup_dst_$$"
node_pid=""
cleanup() {
  local rc=$?
  set +e
  [ -z "$node_pid" ] || { kill -KILL "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null; }
  psql "${pg[@]}" -q -c "drop database if exists $src" -c "drop database if exists $dst" postgres >/dev/null 2>&1
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
psql "${pg[@]}" -q -c "create database $src" postgres
export JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -Xmx160m -Djdk.pollerMode=1}"

start() {
  # start DATABASE MASTER_KEY DATA_DIR: a node; returns when ready (0) or when it exited (1).
  env GATEHOUSE_DB_URL="jdbc:postgresql://127.0.0.1:5432/$1" GATEHOUSE_DB_USER=postgres \
    GATEHOUSE_MASTER_KEY="$2" GATEHOUSE_SERVER_BASE_URL="$base" GATEHOUSE_ACCESS_LOG=OFF GATEHOUSE_AOT=off \
    "$root/gatehouse" serve --port "$port" --data "$3" >>"$work/node.log" 2>&1 &
  node_pid=$!
  for _ in $(seq 1 900); do
    curl -sf -o /dev/null --max-time 1 "$base/health/ready" && return 0
    kill -0 "$node_pid" 2>/dev/null || { wait "$node_pid" 2>/dev/null; node_pid=""; return 1; }
    sleep 0.1
  done
  return 1
}
stop() { kill -TERM "$node_pid"; wait "$node_pid" 2>/dev/null || true; node_pid=""; }
field() { sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p"; }

# ---- an installation with data ----
master_key="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
start "$src" "$master_key" "$work/data-src" || { tail -n 20 "$work/node.log" >&2; exit 2; }
mkdir -p "$work/driver"
"$JAVA_HOME/bin/javac" -d "$work/driver" "$root/bench/chaos/ChaosDriver.java"
# A cold JVM on a busy machine may miss the driver's 10 s timeout once: try again (idempotent).
for attempt in 1 2 3; do
  "$JAVA_HOME/bin/java" -cp "$work/driver" ChaosDriver setup "$base" "$work/data-src/bootstrap-admin.json" backup >"$work/clients.env" && break
  [ "$attempt" != 3 ] || exit 2
done
. "$work/clients.env"
token="$(curl -s -u "$CHAOS_JWT_ID:$CHAOS_JWT_SECRET" -d grant_type=client_credentials "$base/t/backup/oauth2/token" | field access_token)"
opaque="$(curl -s -u "$CHAOS_OPQ_ID:$CHAOS_OPQ_SECRET" -d grant_type=client_credentials "$base/t/backup/oauth2/token" | field access_token)"
jwks_before="$(curl -s "$base/t/backup/jwks")"
admin_id="$(field client_id <"$work/data-src/bootstrap-admin.json")"
admin_secret="$(field client_secret <"$work/data-src/bootstrap-admin.json")"
admin_token() { curl -s -u "$admin_id:$admin_secret" -d grant_type=client_credentials -d scope=admin "$base/t/system/oauth2/token" | field access_token; }
tenants_before="$(curl -s -H "Authorization: Bearer $(admin_token)" "$base/admin/v1/tenants" | grep -o '"name":"[^"]*"' | sort)"

# ---- backup: the database (a consistent snapshot, while the node serves) and the master key ----
t0=$(date +%s%3N)
"$pgbin/pg_dump" "${pg[@]}" -Fc -f "$work/gatehouse.dump" "$src"
printf '%s' "$master_key" >"$work/master.key.backup"
say "pg_dump: $(( $(stat -c %s "$work/gatehouse.dump") / 1024 )) KiB in $(( $(date +%s%3N) - t0 )) ms"
stop

# ---- restore into a fresh database, a fresh data directory, the saved master key ----
psql "${pg[@]}" -q -c "create database $dst" postgres
t0=$(date +%s%3N)
"$pgbin/pg_restore" "${pg[@]}" --no-owner --exit-on-error -d "$dst" "$work/gatehouse.dump"
say "pg_restore: $(( $(date +%s%3N) - t0 )) ms"

# Without the saved master key the restore is useless, and the node says so instead of serving.
: >"$work/node.log"
if start "$dst" "$(head -c 32 /dev/urandom | base64 | tr -d '\n')" "$work/data-wrong"; then
  refused=no; stop
else
  refused=yes
fi
check "a node with another master key refuses the restored database" \
  bash -c '[ "$1" = yes ] && grep -q "master key does not match" "$2"' _ "$refused" "$work/node.log"
start "$dst" "$(cat "$work/master.key.backup")" "$work/data-dst" || { tail -n 20 "$work/node.log" >&2; exit 1; }
check "same tenants" test "$(curl -s -H "Authorization: Bearer $(admin_token)" "$base/admin/v1/tenants" | grep -o '"name":"[^"]*"' | sort)" = "$tenants_before"
check "same signing keys (JWKS)" test "$(curl -s "$base/t/backup/jwks")" = "$jwks_before"
check "the JWT issued before the backup introspects active" bash -c \
  'curl -s -u "$1:$2" --data-urlencode "token=$3" "$4/t/backup/oauth2/introspect" | grep -q "\"active\":true"' _ "$CHAOS_JWT_ID" "$CHAOS_JWT_SECRET" "$token" "$base"
check "the opaque token issued before the backup introspects active" bash -c \
  'curl -s -u "$1:$2" --data-urlencode "token=$3" "$4/t/backup/oauth2/introspect" | grep -q "\"active\":true"' _ "$CHAOS_OPQ_ID" "$CHAOS_OPQ_SECRET" "$opaque" "$base"
new_token="$(curl -s -u "$CHAOS_JWT_ID:$CHAOS_JWT_SECRET" -d grant_type=client_credentials "$base/t/backup/oauth2/token" | field access_token)"
check "the client secrets still verify and the restored keys sign" test -n "$new_token"
stop
echo "backup-restore: $passed passed, $failed failed"
[ "$failed" = 0 ]
