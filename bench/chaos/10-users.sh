# Experiment 10, sourced by bench/chaos.sh; slow (about USERS_S + 30 s), so only when asked:
# EXPERIMENTS=10 bench/chaos.sh. USERS (10,000) virtual users, each a virtual thread of
# bench/chaos/SurgeDriver.java holding its own keep-alive connection to nginx, start evenly over
# USERS_RAMP_S (60 s) and run until USERS_S (120 s), waiting about USERS_THINK_MS (10 s,
# exponential) between requests. Each user is one kind of caller for the whole run: 1% people
# signing in on the hosted pages (Argon2id), 9% browser apps refreshing their tokens, 20% services
# (client_credentials), 40% resource servers (introspection), 30% policy enforcement points. The
# app users' own sign-ins happen before the ramp and are not measured (reported on their own
# line); duration, requests/s and node CPU are those of the measured run. Two nodes (node 3 is stopped):
# nginx with 32768 connections per worker and keep-alive to the nodes; the driver needs
# `ulimit -n` above USERS (the script raises its soft limit to the hard one).
# Target: errors (shed or failed) < 0.1% of requests; p95/p99 per kind are printed.
if want 10; then
  . "$root/bench/chaos/surge-setup.sh"
  kill -TERM "$load_pid" 2>/dev/null || true; { wait "$load_pid"; } 2>/dev/null || true; load_pid=""
  nginx_reload 3
  stop_node 3
  users=${USERS:-10000}
  ulimit -n "$(ulimit -Hn)"
  [ "$(ulimit -n)" -gt "$((users + 1000))" ] || die "experiment 10 needs ulimit -n above $((users + 1000)) (now $(ulimit -n))"
  SURGE_NODE_PIDS="${node_pid[1]} ${node_pid[2]}" \
    surge users "$BASE" "${USERS_S:-120}" "$users" "${USERS_RAMP_S:-60}" "${USERS_THINK_MS:-10000}" >"$work/users.out" 2>"$work/users.err"
  grep '^\[users\] before the ramp' "$work/users.err" >&2 || true
  cat "$work/users.out" >&2
  read -r _ ok shed fail _ peak < <(grep '^total ' "$work/users.out")
  read -r _ measured_ms _ cpu_ticks < <(grep '^measured_ms ' "$work/users.out")
  total=$((ok + shed + fail))
  rate=$(awk -v e=$((shed + fail)) -v n="$total" 'BEGIN { printf "%.3f", n ? 100 * e / n : 100 }')
  kinds=$(awk '$1 != "total" && $1 != "measured_ms" { printf "%s%s %d ok p95 %d ms p99 %d ms", sep, $1, $2, $6, $7; sep = "; " }' "$work/users.out")
  cpu_us=$(awk -v c="$cpu_ticks" -v n="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%d", n ? c / hz * 1e6 / n : 0 }')
  t0=0; t1=$measured_ms
  verdict=FAIL
  awk -v e=$((shed + fail)) -v n="$total" -v p="$peak" -v u="$users" 'BEGIN { exit !(n > 0 && e / n < 0.001 && p >= u) }' && verdict=PASS
  result 10 "$verdict" "${users} concurrent users (peak ${peak} connections open at nginx) over $(( (t1 - t0) / 1000 )) s on two nodes: ${total} requests ($((total * 1000 / (t1 - t0)))/s), ${shed} shed and ${fail} failed (${rate}%; target < 0.1%); ${kinds}; node CPU ${cpu_us} us per request"
fi
