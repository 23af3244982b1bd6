# Experiment 9, sourced by bench/chaos.sh: load shedding. FLOOD (800) connections introspect back
# to back at node 3 for SHED_S (15) seconds, far beyond what it can answer, while 4 connections
# issue client_credentials tokens and 2 sign in through the hosted pages (Argon2id) at the same
# node. The admission limiter (admission.*, docs/operations.md) answers the introspections beyond
# its class's limit 503 with Retry-After; tokens and sign-ins keep their own slots.
# Target: no token or sign-in failed or shed, the node alive and ready throughout and after (its
# management listener's readiness, probed every 0.5 s (2 s time-out): never two failed probes in a
# row, which is what the Helm chart's readiness probe (failureThreshold 2, every 5 s) would take
# the node out of service for), introspection shed rather than timing out (failed = neither
# answered nor shed: 0).
if want 9; then
  . "$root/bench/chaos/surge-setup.sh"
  n3url="http://127.0.0.1:${NODE_PORTS[3]}"
  t0=$(now_ms)
  surge flood "$n3url" "${SHED_S:-15}" "${FLOOD:-800}" >"$work/shed.out" 2>"$work/shed.err" &
  flood_pid=$!
  not_ready=0 probes=0 streak=0 worst_streak=0
  while kill -0 "$flood_pid" 2>/dev/null; do
    probes=$((probes + 1))
    # Probed where an orchestrator probes (the management listener, as the Helm chart and the
    # manifests do), not through the flooded main listener.
    rm -f "$work/ready.body"
    code="$(curl -s -o "$work/ready.body" -w '%{http_code}' --max-time 2 "http://127.0.0.1:${MGMT_PORTS[3]}/health/ready" || true)"
    if [ "$code" = 200 ]; then
      streak=0
    else
      not_ready=$((not_ready + 1)) streak=$((streak + 1))
      [ "$streak" -le "$worst_streak" ] || worst_streak=$streak
      # Why, for the run's log: the status (000: no answer within 2 s) and the body.
      echo "$(( $(now_ms) - t0 )) ms: $code $(cat "$work/ready.body" 2>/dev/null)" >>"$work/not-ready.log"
    fi
    sleep 0.5
  done
  wait "$flood_pid" || true
  t1=$(now_ms)
  read -r _ si_ok si_shed si_fail si_p50 si_p95 si_p99 < <(grep '^signin ' "$work/shed.out" || echo "x 0 0 1 0 0 0")
  read -r _ cc_ok cc_shed cc_fail cc_p50 cc_p95 cc_p99 < <(grep '^client_credentials ' "$work/shed.out" || echo "x 0 0 1 0 0 0")
  read -r _ in_ok in_shed in_fail in_p50 in_p95 in_p99 < <(grep '^introspect ' "$work/shed.out" || echo "x 0 0 1 0 0 0")
  alive=no; kill -0 "${node_pid[3]}" 2>/dev/null && node_ready 3 && alive=yes
  secs=$(( (t1 - t0) / 1000 ))
  verdict=FAIL
  [ "$si_shed" = 0 ] && [ "$si_fail" = 0 ] && [ "$si_ok" -gt 0 ] && [ "$cc_shed" = 0 ] && [ "$cc_fail" = 0 ] \
    && [ "$cc_ok" -gt 0 ] && [ "$in_fail" = 0 ] && [ "$alive" = yes ] && [ "$worst_streak" -lt 2 ] && verdict=PASS
  result 9 "$verdict" "introspection flood (${FLOOD:-800} connections, ${secs} s) at node 3: introspection ${in_ok} answered ($((in_ok / (secs > 0 ? secs : 1)))/s, p99 ${in_p99} ms), ${in_shed} shed with 503 + Retry-After, ${in_fail} failed otherwise (target 0); meanwhile client_credentials ${cc_ok} ok, ${cc_shed} shed, ${cc_fail} failed (target 0; p50/p95/p99 ${cc_p50}/${cc_p95}/${cc_p99} ms) and hosted sign-ins ${si_ok} ok, ${si_shed} shed, ${si_fail} failed (target 0; p50/p95/p99 ${si_p50}/${si_p95}/${si_p99} ms); node alive and ready after: ${alive}, readiness probes failed ${not_ready} of ${probes} during, at most ${worst_streak} in a row (target < 2)"
  [ -s "$work/not-ready.log" ] && while read -r line; do say "9: not ready $line"; done <"$work/not-ready.log"
fi
