#!/usr/bin/env bash
# Policy decision load scenarios against a fresh local Gatehouse node, measured with wrk.
#
#   bench/policy.sh                                  # H2 in a temp data dir, every scenario
#   DURATION=20 WARMUP=10 CONNECTIONS=32 RUNS=2 bench/policy.sh
#   SCENARIOS="same varying" bench/policy.sh
#
# Starts the server on a free port below 32768 (127.0.0.1 only), creates a tenant with a client
# holding the `authorize` scope, loads through the CLI a schema, 100 policies and 1,000 entities
# (20 groups, 50 folders, 430 users, 500 documents), checks a few decisions, then runs
# `wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency` after a warm-up, RUNS times, per
# scenario:
#   same        one request over and over (decision cache hits)
#   varying     2,000 different requests in turn (users x documents x actions)
#   authzen     the same 2,000 as AuthZEN evaluations (POST /access/v1/evaluation)
#   nocache     `varying` on a node restarted with policy.decision-cache-size=0
# Every decision is logged to the event outbox (policy.decision-log-sample-rate=1) unless
# GATEHOUSE_POLICY_DECISION_LOG_SAMPLE_RATE says otherwise (=0 for the cost of the log: each
# result line ends with the server's CPU time per decision, cpu_us_per_req). Everything it starts is stopped and
# its temp directory removed on exit.
#
# Env: DURATION (20), WARMUP (10), CONNECTIONS (32), THREADS (1), RUNS (2), SCENARIOS (all),
# JAVA_OPTS, BENCH_OUT (append result lines to this file), KEEP_LOG=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-1}"
RUNS="${RUNS:-2}"
SCENARIOS="${SCENARIOS:-same varying authzen nocache}"
TENANT=bench

bench_name=policy-bench
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v wrk >/dev/null || { say "bench: needs wrk (apt-get install wrk)"; exit 1; }
for tool in curl awk; do command -v "$tool" >/dev/null || { say "bench: needs $tool"; exit 1; }; done
start_server

java_bin="$(readlink -f "/proc/$server_pid/exe")"
out "# gatehouse policy bench $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -m) $(nproc) cpus, $("$java_bin" -version 2>&1 | head -1)"
out "# jvm: $(tr '\0' ' ' <"/proc/$server_pid/cmdline" | sed 's/ -jar .*//')"
out "# db: H2 file; 100 policies, 1000 entities; decision log sample rate ${GATEHOUSE_POLICY_DECISION_LOG_SAMPLE_RATE:-1}; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency after ${WARMUP}s warm-up, best of $RUNS"

# --- tenant, client, token ---------------------------------------------------------------------
cli tenant create "$TENANT" >/dev/null
client="$(cli client create --tenant "$TENANT" --name pep --scope authorize)"
basic="$(printf '%s:%s' "$(printf '%s' "$client" | json_field client_id)" \
  "$(printf '%s' "$client" | json_field client_secret)" | base64 -w0)"
token="$(curl -fsS -H "Authorization: Basic $basic" -d grant_type=client_credentials \
  -d scope=authorize "$base/t/$TENANT/oauth2/token" | json_field access_token)"
[ -n "$token" ] || { say "bench: no token"; exit 1; }

# --- schema, 100 policies, 1000 entities -------------------------------------------------------
cat >"$work/schema.cedarschema" <<'SCHEMA'
entity Group;
entity User in [Group] { department: String, level: Long };
entity Folder;
entity Document in [Folder] { owner: User, public: Bool, classification: Long };
action view, comment, edit, delete appliesTo {
  principal: User, resource: Document, context: { ip?: String }
};
SCHEMA
awk 'BEGIN {
  for (i = 0; i < 50; i++)
    printf "@id(\"folder-%d-view\")\npermit(principal in Group::\"g%d\", action == Action::\"view\", resource in Folder::\"f%d\")\nwhen { principal.level >= %d };\n\n", i, i % 20, i, i % 4
  for (i = 0; i < 40; i++)
    printf "@id(\"folder-%d-comment\")\npermit(principal in Group::\"g%d\", action in [Action::\"view\", Action::\"comment\"], resource in Folder::\"f%d\")\nwhen { principal.department == \"d%d\" && resource.classification <= %d };\n\n", i, (i * 7) % 20, i, i % 5, 1 + i % 3
  printf "@id(\"owners\")\n@reason(\"owners do anything but delete\")\npermit(principal, action in [Action::\"view\", Action::\"comment\", Action::\"edit\"], resource)\nwhen { resource.owner == principal };\n\n"
  printf "@id(\"public\")\npermit(principal, action == Action::\"view\", resource) when { resource.public };\n\n"
  for (i = 0; i < 5; i++)
    printf "@id(\"no-delete-%d\")\nforbid(principal, action == Action::\"delete\", resource)\nwhen { resource.classification > %d && principal.level < %d };\n\n", i, i, i + 1
  printf "@id(\"admins-delete\")\npermit(principal in Group::\"g0\", action == Action::\"delete\", resource)\nwhen { principal.level >= 3 };\n\n"
  printf "@id(\"suspended\")\nforbid(principal, action, resource) when { principal.level < 0 };\n\n"
  printf "@id(\"office-only\")\nforbid(principal, action == Action::\"edit\", resource)\nwhen { context has ip && context.ip like \"10.*\" && resource.classification > 3 };\n\n"
}' >"$work/policies.cedar"
awk 'BEGIN {
  printf "["
  n = 0
  for (g = 0; g < 20; g++) { printf "%s{\"uid\":{\"type\":\"Group\",\"id\":\"g%d\"},\"attrs\":{},\"parents\":[]}", (n++ ? "," : ""), g }
  for (f = 0; f < 50; f++) { printf ",{\"uid\":{\"type\":\"Folder\",\"id\":\"f%d\"},\"attrs\":{},\"parents\":[]}", f }
  for (u = 0; u < 430; u++) printf ",{\"uid\":{\"type\":\"User\",\"id\":\"u%d\"},\"attrs\":{\"department\":\"d%d\",\"level\":%d},\"parents\":[{\"type\":\"Group\",\"id\":\"g%d\"},{\"type\":\"Group\",\"id\":\"g%d\"}]}", u, u % 5, u % 4, u % 20, (u * 3) % 20
  for (d = 0; d < 500; d++) printf ",{\"uid\":{\"type\":\"Document\",\"id\":\"doc%d\"},\"attrs\":{\"owner\":{\"__entity\":{\"type\":\"User\",\"id\":\"u%d\"}},\"public\":%s,\"classification\":%d},\"parents\":[{\"type\":\"Folder\",\"id\":\"f%d\"}]}", d, (d * 13) % 430, (d % 10 == 0 ? "true" : "false"), d % 5, d % 50
  printf "]\n"
}' >"$work/entities.json"
[ -n "${KEEP_INPUTS:-}" ] && cp "$work/schema.cedarschema" "$work/policies.cedar" "$work/entities.json" "$KEEP_INPUTS"
cli policy schema put --tenant "$TENANT" "$work/schema.cedarschema" >/dev/null
cli policy put --tenant "$TENANT" "$work/policies.cedar" --message "bench: 100 policies" | grep -v '^warning' || true
cli entities put --tenant "$TENANT" "$work/entities.json"
npol="$(grep -c '^@id' "$work/policies.cedar")"
[ "$npol" = 100 ] || { say "bench: generated $npol policies, not 100"; exit 1; }

# --- request bodies ----------------------------------------------------------------------------
awk 'BEGIN {
  split("view comment edit delete", acts, " ")
  for (k = 0; k < 2000; k++)
    printf "{\"principal\":\"User::\\\"u%d\\\"\",\"action\":\"%s\",\"resource\":\"Document::\\\"doc%d\\\"\",\"context\":{\"ip\":\"10.0.%d.%d\"}}\n", (k * 7) % 430, acts[1 + k % 4], (k * 11) % 500, k % 3, k % 250
}' >"$work/varying.ndjson"
head -1 "$work/varying.ndjson" >"$work/same.ndjson"
awk 'BEGIN {
  split("view comment edit delete", acts, " ")
  for (k = 0; k < 2000; k++)
    printf "{\"subject\":{\"type\":\"User\",\"id\":\"u%d\"},\"action\":{\"name\":\"%s\"},\"resource\":{\"type\":\"Document\",\"id\":\"doc%d\"},\"context\":{\"ip\":\"10.0.%d.%d\"}}\n", (k * 7) % 430, acts[1 + k % 4], (k * 11) % 500, k % 3, k % 250
}' >"$work/authzen.ndjson"

allow="$(grep -c . "$work/varying.ndjson")"
sample="$(head -40 "$work/varying.ndjson" | while read -r b; do
  curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$b" \
    "$base/t/$TENANT/v1/authorize" | sed -n 's/.*"decision":"\([a-z]*\)".*/\1/p'; echo; done | sort | uniq -c | tr '\n' ' ')"
out "# decisions of the first 40 varying requests: $sample"

# --- scenarios ---------------------------------------------------------------------------------
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }  # the server's user+system
tick_us=$((1000000 / $(getconf CLK_TCK)))
run_wrk() { # bodies url seconds -> RESULT fields + the server's CPU microseconds per decision
  local before line requests
  before="$(cpu_ticks)"
  line="$(GH_TOKEN="$token" GH_BODIES="$1" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3s" --latency \
    -s "$root/bench/wrk/policy_authorize.lua" "$2" 2>&1 | sed -n 's/^RESULT //p')"
  requests="$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")"
  echo "$line cpu_us_per_req=$(( ($(cpu_ticks) - before) * tick_us / (${requests:-0} > 0 ? requests : 1) ))"
}
scenario_run() { # name bodies url
  run_wrk "$2" "$3" "$WARMUP" >/dev/null
  best=""
  best_rps=0
  for r in $(seq 1 "$RUNS"); do
    line="$(run_wrk "$2" "$3" "$DURATION")"
    out "$1 run=$r $line"
    rps="$(printf '%s' "$line" | sed -n 's/.*rps=\([0-9]*\).*/\1/p')"
    if [ "${rps:-0}" -gt "$best_rps" ]; then best_rps="$rps"; best="$line"; fi
  done
  out "$1 best $best"
}
authorize="$base/t/$TENANT/v1/authorize"
for s in $SCENARIOS; do
  case "$s" in
    same) scenario_run same "$work/same.ndjson" "$authorize" ;;
    varying) scenario_run varying "$work/varying.ndjson" "$authorize" ;;
    authzen) scenario_run authzen "$work/authzen.ndjson" "$base/t/$TENANT/access/v1/evaluation" ;;
    nocache) ;;
    *) say "bench: unknown scenario $s"; exit 1 ;;
  esac
done
metrics="$(curl -fsS "$management/metrics")"
out "# cache hit ratio $(printf '%s\n' "$metrics" | sed -n 's/^gatehouse_policy_decision_cache_hit_ratio \(.*\)/\1/p')," \
  "decision log written $(printf '%s\n' "$metrics" | sed -n 's/^gatehouse_policy_decision_log_written_total \(.*\)/\1/p')," \
  "dropped $(printf '%s\n' "$metrics" | sed -n 's/^gatehouse_policy_decision_log_dropped_total \(.*\)/\1/p')"
out "# rss_kb $(awk '/VmRSS|VmHWM/ {printf "%s=%s ", $1, $2}' "/proc/$server_pid/status")"

case " $SCENARIOS " in
  *" nocache "*)
    stop_server
    start_server GATEHOUSE_POLICY_DECISION_CACHE_SIZE=0
    scenario_run nocache "$work/varying.ndjson" "$authorize"
    scenario_run nocache-same "$work/same.ndjson" "$authorize"
    ;;
esac
