# Shared by the wrk/Node scenarios (oauth.sh, policy.sh, login.sh); sourced, not run.
# Before sourcing set `root` (the checkout whose ./gatehouse runs) and `bench_name` (names the
# temp directory and a kept log). Gives: say, out, json_field, cli, $work, $port, $base,
# $management (the management listener: /metrics), start_server [ENV=VALUE ...], stop_server,
# $server_pid; everything started is stopped and
# $work removed on exit, also on Ctrl-C (KEEP_LOG=1 keeps the server log).

say() { printf '%s\n' "$*" >&2; }
out() {
  printf '%s\n' "$*"
  if [ -n "${BENCH_OUT:-}" ]; then printf '%s\n' "$*" >>"$BENCH_OUT"; fi
}
json_field() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" | head -1; }
cli() { "$root/gatehouse" --data "$work/data" --server "$base" "$@"; }

# Build once, before anything is timed (the launcher rebuilds only when sources changed).
"$root/gatehouse" --version >/dev/null

work="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-$bench_name.XXXXXX")"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
bench_cleanup() {
  stop_server
  if [ "${KEEP_LOG:-0}" = 1 ] && [ -f "$work/server.log" ]; then
    cp "$work/server.log" "${TMPDIR:-/tmp}/gatehouse-$bench_name-server.log"
    say "bench: server log kept in ${TMPDIR:-/tmp}/gatehouse-$bench_name-server.log"
  fi
  rm -rf "$work"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# A free port below 32768 (above is the kernel's ephemeral range).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 12000))
    if port_free "$candidate" && [ "$candidate" != "${port:-}" ]; then echo "$candidate"; return 0; fi
  done
  say "bench: no free port found"; exit 1
}
port="$(free_port)" || exit 1
base="http://127.0.0.1:$port"
# /metrics is served on the management listener only (docs/operations.md).
management_port="$(free_port)" || exit 1
management="http://127.0.0.1:$management_port"

# Starts a node on $port with data in $work/data (extra env assignments as arguments) and waits
# until it is ready; exits with its log when it does not become ready.
start_server() {
  env GATEHOUSE_ACCESS_LOG="${GATEHOUSE_ACCESS_LOG:-OFF}" \
    GATEHOUSE_MANAGEMENT_PORT="$management_port" "$@" \
    "$root/gatehouse" serve --port "$port" --data "$work/data" >>"$work/server.log" 2>&1 &
  server_pid=$!
  # READY_TIMEOUT seconds (120): a start takes ~2 s on a quiet machine, far longer on a busy one.
  local deadline=$(( $(date +%s) + ${READY_TIMEOUT:-120} ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if curl -fsS -o /dev/null "$base/health/ready" 2>/dev/null; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.01
  done
  say "bench: the server did not become ready; its log:"; cat "$work/server.log" >&2; exit 1
}
