# Experiment 7, sourced by bench/chaos.sh: PostgreSQL primary → streaming replica failover under
# load. The primary (every process of it) is SIGKILLed; after FAILOVER_DETECT_S (1 s: what a
# failover manager takes to decide) the replica is promoted (pg_ctl promote). The nodes' URL names
# both servers with targetServerType=primary, so their pools reconnect to the new primary.
# Measured: rows committed on the primary just before the kill (opaque tokens, events, sessions,
# refresh tokens) missing on the new primary (target 0: replication is synchronous); failed JWT
# issuances and introspections (target 0); time from the promotion to the first opaque-token write
# that succeeds again (target <= 10 s).
if want 7; then
  . "$root/bench/chaos/surge-setup.sh"
  # Sessions, codes and refresh tokens exist only when people sign in.
  read -r signed_ok signed_failed < <(surge signin "$BASE" 20 4)
  psql_at() { as_pg "$pgbin/psql" -qAt -h 127.0.0.1 -p "$1" -U postgres -d gatehouse -c "$2"; }
  snapshot() {
    psql_at "$1" "select 'token ' || token_hash from opaque_token union all select 'event ' || id from event_outbox
      union all select 'session ' || sid from sso_session union all select 'refresh ' || token_hash from refresh_token" | sort
  }
  sleep 3
  snapshot "$PG_PORT" >"$work/failover-before"
  t_kill=$(now_ms)
  pm=$(head -n1 "$work/pg/data/postmaster.pid")
  # The postmaster and its children at once, as when the machine dies.
  kill -KILL "$pm" $(ps -o pid= --ppid "$pm") 2>/dev/null || true
  pg_started=""
  sleep "${FAILOVER_DETECT_S:-1}"
  t_promote=$(now_ms)
  as_pg "$pgbin/pg_ctl" -D "$work/replica" -w -t 60 promote >/dev/null
  t_promoted=$(now_ms)
  primary_port=$REPLICA_PORT
  # Writes are back at the first successful opaque-token issuance after the promotion began.
  back=""
  for _ in $(seq 1 300); do
    back=$(awk -v from="$t_promote" '$1 >= from && $8 > 0 { print $1; exit }' "$work/load/buckets")
    [ -z "$back" ] || break
    sleep 0.1
  done
  sleep 5
  t_end=$(now_ms)
  snapshot "$REPLICA_PORT" >"$work/failover-after"
  lost=$(comm -23 "$work/failover-before" "$work/failover-after" | wc -l)
  kept=$(awk '{ n[$1]++ } END { printf "%d tokens, %d events, %d sessions, %d refresh tokens", n["token"], n["event"], n["session"], n["refresh"] }' "$work/failover-before")
  jwt_failed=$(awk -v from="$t_kill" -v to="$t_end" '$1 > from && $1 <= to + 100 { f += $3 + $6 } END { print f + 0 }' "$work/load/buckets")
  jwt_total=$(awk -v from="$t_kill" -v to="$t_end" '$1 > from && $1 <= to + 100 { n += $2 + $3 + $5 + $6 } END { print n + 0 }' "$work/load/buckets")
  writes_ms=$(( ${back:-999999999999} > t_promote ? ${back:-999999999999} - t_promote : 0 ))
  [ -n "$back" ] || writes_ms=""
  verdict=FAIL
  [ "$lost" = 0 ] && [ "$jwt_failed" = 0 ] && [ -n "$writes_ms" ] && [ "$writes_ms" -le 10000 ] && verdict=PASS
  result 7 "$verdict" "PostgreSQL failover: primary SIGKILLed, replica promoted $((t_promote - t_kill)) ms later (pg_ctl promote took $((t_promoted - t_promote)) ms); ${lost} of $(wc -l <"$work/failover-before") rows committed before the kill missing after (${kept}; ${signed_ok} sign-ins before; target 0); ${jwt_failed} failed of ${jwt_total} JWT issuances and introspections (target 0); writes back $(awk -v r="${writes_ms:-99999999}" 'BEGIN { printf "%.1f", r / 1000 }') s after the promotion began, $(( ${back:-$t_kill} - t_kill )) ms after the kill (target <= 10 s; the re-created platform claims 15-25 s)"
fi
