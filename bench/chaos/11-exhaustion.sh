# Experiment 11, sourced by bench/chaos.sh: resource exhaustion, one pressure at a time, each
# ended after a few seconds, with a PASS/FAIL line per pressure (root only: cgroups, tmpfs):
#   11a  every database connection held by writes blocked behind a lock (LOCK TABLE opaque_token
#        for 8 s, as a slow migration or a runaway query would): JWT issuance and introspection
#        must not fail, writes 503, writes back soon after the lock goes;
#   11b  node 3's file-descriptor limit lowered to 256 (prlimit on the running process) under a
#        flood of 400 connections: no crash, serving again when the flood ends;
#   11c  node 3 in a cgroup (v1) with 320 MB of memory and half a CPU (cfs quota) under a flood
#        of 800 connections: not OOM-killed, tokens still issued, serving when it ends;
#   11d  a fourth node on H2 whose data directory is a 48 MB tmpfs, filled up: writes 503, no
#        crash, writes back once space is freed.
if want 11; then
  n3url="http://127.0.0.1:${NODE_PORTS[3]}"
  pg_port_now() { echo "${primary_port:-$PG_PORT}"; }   # experiment 7 moves the primary
  secs() { awk -v r="${1:-}" 'BEGIN { if (r == "") print "never"; else printf "%.1f s", r / 1000 }'; }
  serving_after() {  # $1 url, $2 since (ms); prints ms until a JWT issuance succeeds, or nothing
    for _ in $(seq 1 300); do
      if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -u "$CHAOS_JWT_ID:$CHAOS_JWT_SECRET" -d grant_type=client_credentials "$1/t/$TENANT/oauth2/token" || true)" = 200 ]; then
        echo $(( $(now_ms) - $2 )); return
      fi
      sleep 0.1
    done
  }

  # -- 10a: the pool held by a lock --
  t0=$(now_ms)
  as_pg "$pgbin/psql" -q -h 127.0.0.1 -p "$(pg_port_now)" -U postgres -d gatehouse \
    -c "begin; lock table opaque_token in access exclusive mode; select pg_sleep(8); commit;" >/dev/null 2>&1 &
  lock_pid=$!
  wait "$lock_pid" || true
  t_free=$(now_ms)
  back=""
  for _ in $(seq 1 300); do
    back=$(awk -v from="$t_free" '$1 >= from && $8 > 0 { print $1; exit }' "$work/load/buckets")
    [ -z "$back" ] || break
    sleep 0.1
  done
  sleep 2
  t1=$(now_ms)
  read -r jwt_ok jwt_f1 < <(awk -v from="$t0" -v to="$t1" '$1 > from && $1 <= to + 100 { ok += $2 + $5; f += $3 + $6 } END { printf "%d %d\n", ok, f }' "$work/load/buckets")
  opq_503=$(awk -v from="$t0" -v to="$t1" '$1 > from && $1 <= to && $2 == "opaque" && $4 == 503 { n++ } END { print n + 0 }' "$work/load/failures")
  opq_other=$(awk -v from="$t0" -v to="$t1" '$1 > from && $1 <= to && $2 == "opaque" && $4 != 503 { n++ } END { print n + 0 }' "$work/load/failures")
  write_ms=""; [ -z "$back" ] || write_ms=$(( back > t_free ? back - t_free : 0 ))
  verdict=FAIL
  [ "$jwt_f1" = 0 ] && [ "$opq_other" = 0 ] && [ -n "$write_ms" ] && [ "$write_ms" -le 5000 ] && verdict=PASS
  result 11a "$verdict" "database pool exhausted by writes blocked behind a lock for 8 s: ${jwt_f1} failed of $((jwt_ok + jwt_f1)) JWT issuances and introspections (target 0); opaque-token writes answered 503 ${opq_503} times, otherwise ${opq_other} (target 0); writes back $(secs "$write_ms") after the lock went (target <= 5 s)"

  # -- 10b: file descriptors --
  . "$root/bench/chaos/surge-setup.sh"
  pid3=${node_pid[3]}
  # The soft limit only: raising a hard limit again needs CAP_SYS_RESOURCE, which a container's
  # root may not have; a process cannot open more than its soft limit either way.
  old_soft=$(prlimit --pid "$pid3" --nofile --noheadings --raw -o SOFT)
  hard=$(prlimit --pid "$pid3" --nofile --noheadings --raw -o HARD)
  old_nofile="$old_soft:$hard"
  prlimit --pid "$pid3" --nofile="256:$hard"
  cleanup_hooks+=("prlimit --pid $pid3 --nofile=$old_nofile")
  surge flood "$n3url" 8 400 >"$work/fd.out" 2>"$work/fd.err" || true
  t_end=$(now_ms)
  alive=no; kill -0 "$pid3" 2>/dev/null && alive=yes
  prlimit --pid "$pid3" --nofile="$old_nofile"
  after_ms=$(serving_after "$n3url" "$t_end")
  read -r _ cc_ok cc_shed cc_fail _ < <(grep '^client_credentials ' "$work/fd.out" || echo "x 0 0 0 0")
  read -r _ in_ok in_shed in_fail _ < <(grep '^introspect ' "$work/fd.out" || echo "x 0 0 0 0")
  emfile=$(grep -c "Too many open files" "$work/node3.log" || true)
  verdict=FAIL
  [ "$alive" = yes ] && [ -n "$after_ms" ] && [ "$after_ms" -le 5000 ] && verdict=PASS
  result 11b "$verdict" "node 3 limited to 256 file descriptors under 400 connections for 8 s: alive ${alive}; during it ${cc_ok} tokens and ${in_ok} introspections answered, ${cc_fail} and ${in_fail} failed (connections refused), ${in_shed} shed; ${emfile} 'Too many open files' log lines; serving $(secs "$after_ms") after the flood (target <= 5 s, no restart)"

  # -- 10c: memory and CPU --
  mem_cg=/sys/fs/cgroup/memory/gatehouse-chaos-$$ cpu_cg=/sys/fs/cgroup/cpu/gatehouse-chaos-$$
  if mkdir "$mem_cg" "$cpu_cg" 2>/dev/null; then
    cleanup_hooks+=("echo $pid3 > /sys/fs/cgroup/memory/cgroup.procs; echo $pid3 > /sys/fs/cgroup/cpu/cgroup.procs; rmdir $mem_cg $cpu_cg")
    echo $((320 * 1024 * 1024)) >"$mem_cg/memory.limit_in_bytes"
    echo 100000 >"$cpu_cg/cpu.cfs_period_us"; echo 50000 >"$cpu_cg/cpu.cfs_quota_us"
    echo "$pid3" >"$mem_cg/cgroup.procs"; echo "$pid3" >"$cpu_cg/cgroup.procs"
    surge flood "$n3url" 10 800 >"$work/cg.out" 2>"$work/cg.err" || true
    t_end=$(now_ms)
    alive=no; kill -0 "$pid3" 2>/dev/null && alive=yes
    peak_mb=$(( $(cat "$mem_cg/memory.max_usage_in_bytes") / 1024 / 1024 ))
    ooms=$(awk '$1 == "oom_kill" { print $2 }' "$mem_cg/memory.oom_control" 2>/dev/null || echo 0)
    throttled=$(awk '$1 == "nr_throttled" { print $2 }' "$cpu_cg/cpu.stat")
    echo "$pid3" >/sys/fs/cgroup/memory/cgroup.procs; echo "$pid3" >/sys/fs/cgroup/cpu/cgroup.procs
    rmdir "$mem_cg" "$cpu_cg" 2>/dev/null || true
    after_ms=$(serving_after "$n3url" "$t_end")
    read -r _ cc_ok cc_shed cc_fail cc_p50 cc_p95 cc_p99 < <(grep '^client_credentials ' "$work/cg.out" || echo "x 0 0 0 0 0 0")
    read -r _ si_ok si_shed si_fail _ < <(grep '^signin ' "$work/cg.out" || echo "x 0 0 0 0")
    read -r _ in_ok in_shed in_fail _ < <(grep '^introspect ' "$work/cg.out" || echo "x 0 0 0 0")
    verdict=FAIL
    [ "$alive" = yes ] && [ "${ooms:-0}" = 0 ] && [ "$cc_ok" -gt 0 ] && [ "$cc_fail" = 0 ] && [ -n "$after_ms" ] && [ "$after_ms" -le 5000 ] && verdict=PASS
    result 11c "$verdict" "node 3 in a cgroup of 320 MB and half a CPU under 800 connections for 10 s: alive ${alive}, ${ooms:-0} OOM kills, peak ${peak_mb} MB, throttled ${throttled} periods; tokens ${cc_ok} ok, ${cc_shed} shed, ${cc_fail} failed (p95 ${cc_p95} ms, p99 ${cc_p99} ms), sign-ins ${si_ok} ok, ${si_shed} shed, ${si_fail} failed, introspection ${in_ok} ok, ${in_shed} shed, ${in_fail} failed; serving $(secs "$after_ms") after (target <= 5 s)"
  else
    result 11c FAIL "memory and CPU limits: cannot create a cgroup under /sys/fs/cgroup/{memory,cpu}"
  fi

  # -- 10d: a full disk under H2 --
  h2dir="$work/h2"; h2port=$((CHAOS_PORT_BASE + 13)); h2url="http://127.0.0.1:$h2port"
  mkdir -p "$h2dir"
  if mount -t tmpfs -o size=48m tmpfs "$h2dir" 2>/dev/null; then
    cleanup_hooks+=("umount -l $h2dir")
    env GATEHOUSE_MASTER_KEY="$master_key" GATEHOUSE_SERVER_BASE_URL="$h2url" GATEHOUSE_ACCESS_LOG=OFF \
      "$root/gatehouse" serve --port "$h2port" --data "$h2dir/data" >>"$work/node-h2.log" 2>&1 &
    h2pid=$!
    cleanup_hooks+=("kill -KILL $h2pid")
    for _ in $(seq 1 1200); do curl -sf -o /dev/null --max-time 1 "$h2url/health/ready" && break; sleep 0.1; done
    (set +e; unset CHAOS_TENANT; driver setup "$h2url" "$h2dir/data/bootstrap-admin.json" full >"$work/h2.env")
    opq=$(sed -n 's/^CHAOS_OPQ_ID=//p' "$work/h2.env"); opqs=$(sed -n 's/^CHAOS_OPQ_SECRET=//p' "$work/h2.env")
    h2_opaque() { curl -s -D "$work/h2.headers" -o "$work/h2.out" -w '%{http_code}' --max-time 10 -u "$opq:$opqs" -d grant_type=client_credentials "$h2url/t/full/oauth2/token" || true; }
    before=$(h2_opaque)
    dd if=/dev/zero of="$h2dir/filler" bs=1M count=100 2>/dev/null || true
    full_codes=""
    # The Retry-After of the 503 answers (a write that H2 still buffered in memory answers 200).
    retry_after=""
    for _ in $(seq 1 20); do
      code=$(h2_opaque); full_codes="$full_codes $code"
      if [ "$code" = 503 ] && [ -z "$retry_after" ]; then
        retry_after=$(tr -d '\r' <"$work/h2.headers" | awk -F': ' 'tolower($1) == "retry-after" { print $2 }')
        retry_after=${retry_after:-missing}
      fi
    done
    alive=no; kill -0 "$h2pid" 2>/dev/null && alive=yes
    rm -f "$h2dir/filler"
    t_free=$(now_ms); write_ms=""
    for _ in $(seq 1 300); do
      [ "$(h2_opaque)" = 200 ] && { write_ms=$(( $(now_ms) - t_free )); break; }
      sleep 0.1
    done
    summary=$(echo "$full_codes" | tr ' ' '\n' | sed '/^$/d' | sort | uniq -c | awk '{ printf "%s%s x%s", sep, $2, $1; sep = ", " }')
    verdict=FAIL
    [ "$before" = 200 ] && [ "$alive" = yes ] && ! echo "$full_codes" | grep -q 500 && [ "$retry_after" != missing ] && [ -n "$write_ms" ] && [ "$write_ms" -le 10000 ] && verdict=PASS
    result 11d "$verdict" "H2 data directory on a full 48 MB tmpfs: opaque-token writes answered ${summary} (Retry-After on the 503s: ${retry_after:-no 503}; target: no 500, every 503 with Retry-After), node alive ${alive}; writes back $(secs "$write_ms") after space was freed (target <= 10 s)"
    kill -TERM "$h2pid" 2>/dev/null; { wait "$h2pid"; } 2>/dev/null || true
    umount -l "$h2dir" 2>/dev/null || true
  else
    result 11d FAIL "full disk: cannot mount a tmpfs (needs root)"
  fi
fi
