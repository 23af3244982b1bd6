#!/usr/bin/env bash
# Runs the container image for real with podman (no Docker, no registry) against this machine's
# PostgreSQL and Redis, read-only root included, and checks what a user relies on:
#
#   - the image: non-root numeric user, no shell, size (target <= 120 MB), reproducible digest
#     (compared with a second build when IMAGE_TAR_2 is given);
#   - the JVM sizes its heap from the container's memory limit (MaxRAMPercentage);
#   - /health/live and /health/ready on the main and the management port, /metrics on the
#     management port only;
#   - the machine-to-machine flow: an admin token, a tenant and a client through the admin API,
#     a client_credentials token, its introspection (active), revocation, introspection (inactive);
#   - SIGTERM stops it cleanly within the drain and grace time.
#
#   deploy/image/run-test.sh [server/target/image/gatehouse-image.tar]
#
# Env: GATEHOUSE_IMAGE_TEST_PG (psql connection for createdb/dropdb, default
# "-h 127.0.0.1 -p 5432 -U postgres"), GATEHOUSE_IMAGE_TEST_DB_HOST_PORT (127.0.0.1:5432),
# GATEHOUSE_IMAGE_TEST_REDIS (redis://127.0.0.1:6379/9), GATEHOUSE_IMAGE_TEST_PORT (24080; the
# management port is +10), KEEP=1 keeps the container and its log.
# Needs podman and runc (Debian: apt-get install podman runc), curl, jq, psql. Exit 0: all passed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tar="${1:-$root/server/target/image/gatehouse-image.tar}"
port="${GATEHOUSE_IMAGE_TEST_PORT:-24080}"
mport=$((port + 10))
pg=(${GATEHOUSE_IMAGE_TEST_PG:--h 127.0.0.1 -p 5432 -U postgres})
db_host_port="${GATEHOUSE_IMAGE_TEST_DB_HOST_PORT:-127.0.0.1:5432}"
redis_url="${GATEHOUSE_IMAGE_TEST_REDIS:-redis://127.0.0.1:6379/9}"
base="http://127.0.0.1:$port"
say() { printf '[image-test] %s\n' "$*" >&2; }
passed=0 failed=0
check() {
  # check NAME COMMAND...: runs the command, counts and prints the verdict.
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); say "ok   $name"; else failed=$((failed + 1)); say "FAIL $name"; fi
}

for tool in podman runc curl jq psql; do
  command -v "$tool" >/dev/null || { say "needs $tool (Debian: apt-get install podman runc curl jq postgresql-client)"; exit 2; }
done
[ -f "$tar" ] || { say "no image at $tar (build it: ./mvnw -P image -pl server -am package -DskipTests)"; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-image-test.XXXXXX")"
# podman in a container or a VM without systemd: runc, cgroupfs, no default ulimits (the host's
# hard limits may be lower than podman's defaults, and raising them is refused).
cat >"$work/containers.conf" <<'EOF'
[containers]
default_ulimits = []
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
export CONTAINERS_CONF="$work/containers.conf"
pm() { podman --runtime runc --cgroup-manager cgroupfs "$@"; }
name="gatehouse-image-test-$$"
db="gh_image_test_$$"
cleanup() {
  local rc=$?
  set +e
  if [ "${KEEP:-}" = 1 ]; then
    say "kept container $name and $work"
  else
    pm rm -f -t 0 "$name" >/dev/null 2>&1
    [ -z "${image_id:-}" ] || pm rmi -f "$image_id" >/dev/null 2>&1
    rm -rf "$work"
  fi
  psql "${pg[@]}" -q -c "drop database if exists $db" postgres >/dev/null 2>&1
  exit "$rc"
}
trap cleanup EXIT

# ---- the image ----
image_id="$(pm load -q -i "$tar" | sed -n 's/^Loaded image[s]*: *//p' | tail -n1)"
[ -n "$image_id" ] || { say "podman could not load $tar"; exit 2; }
say "loaded $image_id"
inspect() { pm image inspect --format "$1" "$image_id"; }
size_bytes="$(inspect '{{.Size}}')"
size_mb=$(( size_bytes / 1000000 ))
digest_file="${tar%.tar}.digest"
say "image size: $size_mb MB uncompressed ($(( $(stat -c %s "$tar") / 1000000 )) MB as an archive), digest $(cat "$digest_file" 2>/dev/null || echo '?')"
check "size <= 120 MB ($size_mb MB)" test "$size_mb" -le 120
check "runs as a numeric non-root user ($(inspect '{{.Config.User}}'))" \
  bash -c '[[ "$1" =~ ^[1-9][0-9]*(:[0-9]+)?$ ]]' _ "$(inspect '{{.Config.User}}')"
check "no shell in the image" bash -c '! podman --runtime runc --cgroup-manager cgroupfs run --rm --network none --entrypoint /bin/sh "$1" -c true >/dev/null 2>&1' _ "$image_id"
if [ -n "${IMAGE_TAR_2:-}" ]; then
  check "same digest for a second build of the same commit" \
    test "$(cat "$digest_file")" = "$(cat "${IMAGE_TAR_2%.tar}.digest")"
fi

# The JVM's heap from the cgroup limit: 75% of 512 MiB = 384 MiB.
heap="$(pm run --rm --network none --read-only --memory 512m --entrypoint /opt/java/bin/java "$image_id" \
  -XX:MaxRAMPercentage=75 -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "MaxHeapSize" { print int($4 / 1048576) }')"
check "heap sized from a 512 MiB memory limit (MaxHeapSize ${heap:-?} MiB, want 384)" test "${heap:-0}" = 384

# ---- run it ----
psql "${pg[@]}" -q -c "create database $db" postgres
mkdir -p "$work/data"
chown 65532:65532 "$work/data" 2>/dev/null || chmod 777 "$work/data"
chmod 700 "$work/data" 2>/dev/null || true
master_key="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
t0=$(date +%s%3N)
pm run -d --name "$name" --network host --read-only --tmpfs /tmp:rw,size=64m,mode=1777 \
  --memory 768m --cap-drop ALL --security-opt no-new-privileges \
  -v "$work/data:/var/lib/gatehouse:Z" \
  -e GATEHOUSE_DB_URL="jdbc:postgresql://$db_host_port/$db" -e GATEHOUSE_DB_USER=postgres \
  -e GATEHOUSE_REDIS_URL="$redis_url" -e GATEHOUSE_MASTER_KEY="$master_key" \
  -e GATEHOUSE_SERVER_HOST=127.0.0.1 -e GATEHOUSE_SERVER_PORT="$port" \
  -e GATEHOUSE_MANAGEMENT_HOST=127.0.0.1 -e GATEHOUSE_MANAGEMENT_PORT="$mport" \
  -e GATEHOUSE_SERVER_BASE_URL="$base" -e GATEHOUSE_SERVER_DRAIN_DELAY_MS=500 \
  "$image_id" >/dev/null
ready=""
for _ in $(seq 1 600); do
  if curl -sf -o /dev/null --max-time 1 "$base/health/ready"; then ready=1; break; fi
  [ "$(pm inspect --format '{{.State.Running}}' "$name")" = true ] || break
  sleep 0.1
done
[ -n "$ready" ] || { pm logs "$name" 2>&1 | tail -n 30 >&2; say "the container did not become ready"; exit 1; }
say "ready in $(( $(date +%s%3N) - t0 )) ms"

check "read-only root file system" test "$(pm inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$name")" = true
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
check "/health/live 200 (main port)" test "$(http_code "$base/health/live")" = 200
check "/health/ready 200 (main port)" test "$(http_code "$base/health/ready")" = 200
check "/health/ready 200 (management port)" test "$(http_code "http://127.0.0.1:$mport/health/ready")" = 200
check "/metrics served on the management port" bash -c 'curl -sf --max-time 5 "$1" | grep -q "^jvm_memory_used_bytes"' _ "http://127.0.0.1:$mport/metrics"
check "/metrics not served on the main port" test "$(http_code "$base/metrics")" = 404

# ---- the machine-to-machine flow ----
admin="$work/data/bootstrap-admin.json"
[ -r "$admin" ] || { say "no $admin"; exit 1; }
admin_token="$(curl -sf -u "$(jq -r .client_id "$admin"):$(jq -r .client_secret "$admin")" \
  -d grant_type=client_credentials -d scope=admin "$base/t/system/oauth2/token" | jq -r .access_token)"
api() { curl -sf -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' "$@"; }
api -d '{"name":"acme"}' "$base/admin/v1/tenants" >/dev/null
client="$(api -d '{"name":"billing","scope":"invoices.read"}' "$base/admin/v1/tenants/acme/clients")"
id="$(jq -r .client_id <<<"$client")"; secret="$(jq -r .client_secret <<<"$client")"
token_json="$(curl -s -u "$id:$secret" -d grant_type=client_credentials -d scope=invoices.read "$base/t/acme/oauth2/token")"
token="$(jq -r '.access_token // empty' <<<"$token_json")"
check "client_credentials token issued" test -n "$token"
introspect() { curl -s -u "$id:$secret" --data-urlencode "token=$token" "$base/t/acme/oauth2/introspect" | jq -r .active; }
check "introspection: active" test "$(introspect)" = true
check "discovery names the configured issuer" \
  test "$(curl -s "$base/t/acme/.well-known/openid-configuration" | jq -r .issuer)" = "$base/t/acme"
curl -sf -u "$id:$secret" --data-urlencode "token=$token" "$base/t/acme/oauth2/revoke" >/dev/null
check "introspection after revocation: inactive" test "$(introspect)" = false
check "the data volume holds the server's files, owned by its user" \
  bash -c '[ "$(stat -c %u "$1")" = 65532 ] || [ "$(id -u)" != 0 ]' _ "$admin"

# ---- stop ----
t_stop=$(date +%s%3N)
pm stop -t 20 "$name" >/dev/null
# The JVM exits with 143 (128 + SIGTERM) after its shutdown hooks ran; 137 would mean podman had
# to SIGKILL it after the timeout.
code="$(pm inspect --format '{{.State.ExitCode}}' "$name")"
check "SIGTERM: drained and stopped in $(( $(date +%s%3N) - t_stop )) ms (exit status $code, 'gatehouse stopped' logged)" \
  bash -c '[ "$1" = 143 ] || [ "$1" = 0 ]' _ "$code"
check "the log is JSON lines and says it stopped" bash -c 'podman --runtime runc --cgroup-manager cgroupfs logs "$1" 2>&1 | tail -n 3 | grep -q "^{.*gatehouse stopped"' _ "$name"

echo "image-test: $passed passed, $failed failed"
[ "$failed" = 0 ]
