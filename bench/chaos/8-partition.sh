# Experiment 8, sourced by bench/chaos.sh: node 3 partitioned, first from Redis (which is also
# its only link to its peers: the invalidation bus), then from PostgreSQL (primary and replica).
# Node 3 reaches both at 127.0.0.13 (loopback, its own address), and an iptables rule in the
# OUTPUT chain drops what it sends there: a silent partition (packets lost, no reset), nothing
# outside the machine touched. Needs root and iptables; the rules are removed on exit.
#
# During the Redis cut: JWT issuance and introspection at node 3 keep working; a revocation made
# through node 1 reaches node 3 through the database, by the next poll of its copy of the
# revocation list (about a second). After the heal: time until revocations are seen at node 3
# within 1 s again (the bus, or that poll).
# During the database cut (PARTITION_DB_S, 15 s, longer than the nodes' revocation staleness
# bound, CHAOS_STALENESS 10 s): JWT issuance keeps working; introspection works until the bound,
# then fails closed (503); /health/ready answers 503, and the script takes node 3 out of nginx
# when it does, as a load balancer probing readiness would. After the heal: time until ready,
# introspection and an opaque-token write (a database write) succeed again at node 3.
if want 8; then
  if [ "$(id -u)" != 0 ] || ! command -v iptables >/dev/null; then
    result 8 FAIL "network partition: needs root and iptables"
  else
    n3url="http://127.0.0.1:${NODE_PORTS[3]}"
    rule_redis=(OUTPUT -d 127.0.0.13 -p tcp --dport "$REDIS_PORT" -j DROP)
    rule_db=(OUTPUT -d 127.0.0.13 -p tcp -m multiport --dports "$PG_PORT,$REPLICA_PORT" -j DROP)
    cleanup_hooks+=("iptables -D ${rule_redis[*]}" "iptables -D ${rule_db[*]}")
    p_code() {  # $1 node url, $2 path, $3.. curl args; prints the status, body to $work/p.out
      local url=$1 path=$2; shift 2
      curl -s -o "$work/p.out" -w '%{http_code}' --max-time 5 "$@" "$url/t/$TENANT$path" || true
    }
    p_issue() {  # $1 node url; prints a JWT or nothing
      [ "$(p_code "$1" /oauth2/token -u "$CHAOS_JWT_ID:$CHAOS_JWT_SECRET" -d grant_type=client_credentials)" = 200 ] \
        && sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$work/p.out"
    }
    p_active() {  # $1 node url, $2 token; prints 200-active, 200-inactive or the status
      local code; code=$(p_code "$1" /oauth2/introspect -u "$CHAOS_JWT_ID:$CHAOS_JWT_SECRET" -d "token=$2")
      if [ "$code" = 200 ]; then grep -q '"active":true' "$work/p.out" && echo 200-active || echo 200-inactive; else echo "$code"; fi
    }
    p_ready() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$n3url/health/ready" || true; }

    # -- 7a: Redis --
    iptables -I "${rule_redis[@]}"
    t_cut=$(now_ms)
    a_fail=0 a_total=0
    while [ $(( $(now_ms) - t_cut )) -lt "${PARTITION_REDIS_S:-8}000" ]; do
      tok=$(p_issue "$n3url"); a_total=$((a_total + 1))
      if [ -z "$tok" ] || [ "$(p_active "$n3url" "$tok")" != 200-active ]; then a_fail=$((a_fail + 1)); fi
      sleep 0.2
    done
    # A revocation through node 1 during the cut, seen at node 3 through the database.
    tok=$(p_issue "$n2"); p_active "$n3url" "$tok" >/dev/null
    p_code "$n1" /oauth2/revoke -u "$CHAOS_JWT_ID:$CHAOS_JWT_SECRET" -d "token=$tok" >/dev/null
    t_rev=$(now_ms); seen_ms=""
    for _ in $(seq 1 150); do
      if [ "$(p_active "$n3url" "$tok")" = 200-inactive ]; then seen_ms=$(( $(now_ms) - t_rev )); break; fi
      sleep 0.1
    done
    a_ready=$(p_ready)
    iptables -D "${rule_redis[@]}"
    t_heal=$(now_ms)
    bus_ms=$(driver propagation "$n2" "$n1" "$n3url" "$t_heal" 30 || true)
    [ "$bus_ms" != -1 ] || bus_ms=""
    verdict=FAIL
    [ "$a_fail" = 0 ] && [ -n "$seen_ms" ] && [ "$seen_ms" -le 6000 ] && [ -n "$bus_ms" ] && verdict=PASS
    result 8a "$verdict" "node 3 cut from Redis (its bus to the peers) $(( (t_heal - t_cut) / 1000 )) s: ${a_fail} failed of ${a_total} JWT issue+introspect pairs at node 3 (target 0); readiness ${a_ready} (Redis never makes a node unready); a revocation through node 1 seen at node 3 after ${seen_ms:-never} ms (through the database: its revocation list's poll, every 1 s; target <= 6 s); after the heal cross-node revocation within 1 s again after ${bus_ms:-never} ms (recovery; the re-created platform claims 15-25 s)"

    # -- 7b: PostgreSQL --
    sleep 2
    iptables -I "${rule_db[@]}"
    t_cut=$(now_ms)
    b_issue_fail=0 b_total=0 not_ready_ms="" closed_ms="" active_fail=0 drained=""
    while [ $(( $(now_ms) - t_cut )) -lt "${PARTITION_DB_S:-15}000" ]; do
      tok=$(p_issue "$n3url"); b_total=$((b_total + 1))
      if [ -z "$tok" ]; then
        b_issue_fail=$((b_issue_fail + 1))
      else
        state=$(p_active "$n3url" "$tok")
        if [ "$state" = 503 ]; then
          [ -n "$closed_ms" ] || closed_ms=$(( $(now_ms) - t_cut ))
        elif [ "$state" != 200-active ] || [ -n "$closed_ms" ]; then
          active_fail=$((active_fail + 1))   # neither answered nor failed closed, or reopened
        fi
      fi
      if [ -z "$not_ready_ms" ] && [ "$(p_ready)" = 503 ]; then
        not_ready_ms=$(( $(now_ms) - t_cut ))
        nginx_reload 3; drained=1
      fi
      sleep 0.2
    done
    iptables -D "${rule_db[@]}"
    t_heal=$(now_ms)
    ready_ms="" intro_ms="" write_ms=""
    for _ in $(seq 1 300); do
      now=$(now_ms)
      [ -n "$ready_ms" ] || { [ "$(p_ready)" = 200 ] && ready_ms=$((now - t_heal)); }
      if [ -z "$intro_ms" ]; then
        tok=$(p_issue "$n3url"); [ -n "$tok" ] && [ "$(p_active "$n3url" "$tok")" = 200-active ] && intro_ms=$(( $(now_ms) - t_heal ))
      fi
      [ -n "$write_ms" ] || { [ "$(p_code "$n3url" /oauth2/token -u "$CHAOS_OPQ_ID:$CHAOS_OPQ_SECRET" -d grant_type=client_credentials)" = 200 ] && write_ms=$(( $(now_ms) - t_heal )); }
      [ -z "$ready_ms" ] || [ -z "$intro_ms" ] || [ -z "$write_ms" ] || break
      sleep 0.1
    done
    [ -z "$drained" ] || nginx_reload 0
    secs() { awk -v r="${1:-}" 'BEGIN { if (r == "") print "never"; else printf "%.1f s", r / 1000 }'; }
    verdict=FAIL
    [ "$b_issue_fail" = 0 ] && [ -n "$not_ready_ms" ] && [ -n "$closed_ms" ] && [ "$active_fail" = 0 ] \
      && [ "$closed_ms" -ge "$(( ${CHAOS_STALENESS:-10} * 1000 ))" ] && [ -n "$ready_ms" ] && [ -n "$write_ms" ] && [ "$write_ms" -le 10000 ] && verdict=PASS
    result 8b "$verdict" "node 3 cut from PostgreSQL $(( (t_heal - t_cut) / 1000 )) s: ${b_issue_fail} failed JWT issuances of ${b_total} (target 0); not ready after $(secs "$not_ready_ms") (then taken out of nginx); introspection answered until it failed closed (503) after $(secs "$closed_ms") (bound ${CHAOS_STALENESS:-10} s; ${active_fail} wrong answers, target 0); after the heal ready in $(secs "$ready_ms"), introspection in $(secs "$intro_ms"), writes in $(secs "$write_ms") (recovery; target <= 10 s; the re-created platform claims 15-25 s), without a restart"
  fi
fi
