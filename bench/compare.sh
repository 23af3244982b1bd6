#!/usr/bin/env bash
# Regression guard: server CPU per request of a baseline commit against the current tree, back to
# back, on the same machine; exits non-zero when a scenario got dearer by more than the threshold.
#
#   bench/compare.sh                      # baseline: main; every oauth.sh scenario; H2
#   bench/compare.sh origin/main          # any commit-ish as the baseline
#   ROUNDS=3 THRESHOLD=15 SCENARIOS="token introspect_jwt" BENCH_PG=1 bench/compare.sh main
#
# The baseline commit is exported (git archive, no worktree) to a temp directory and built there
# by its own ./gatehouse launcher; the current tree is this checkout, uncommitted changes
# included. Each round runs bench/oauth.sh on the baseline, then on the current tree (ROUNDS
# rounds, alternating, so that both see the same machine), and the median of each scenario's
# cpu_us_per_req is compared. A scenario whose median rose by more than THRESHOLD percent (15) is
# flagged REGRESSION and the exit code is 1. Other env goes to oauth.sh (DURATION, WARMUP,
# CONNECTIONS, BENCH_PG, SERVER_ENV, JAVA_OPTS). docs/benchmarks.md says when to run it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
baseline="${1:-main}"
ROUNDS="${ROUNDS:-2}"
THRESHOLD="${THRESHOLD:-15}"
export SCENARIOS="${SCENARIOS:-live jwks discovery token introspect_jwt introspect_opaque}"
export DURATION="${DURATION:-10}" WARMUP="${WARMUP:-5}" RUNS="${RUNS:-1}"

commit="$(git -C "$here" rev-parse --verify "$baseline^{commit}")"
base_dir="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-baseline.XXXXXX")"
results="$(mktemp)"
trap 'rm -rf "$base_dir" "$results"' EXIT
git -C "$here" archive "$commit" | tar -x -C "$base_dir"
# The baseline's launcher builds its own jar; the build is not timed.
"$base_dir/gatehouse" --version >/dev/null
"$here/gatehouse" --version >/dev/null

echo "# compare $(date -u +%Y-%m-%dT%H:%M:%SZ) baseline=${commit:0:10} ($baseline) current=$(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet HEAD || echo +changes) load average: $(cut -d' ' -f1-3 /proc/loadavg) db: $([ "${BENCH_PG:-0}" = 1 ] && echo PostgreSQL || echo H2) threshold: ${THRESHOLD}%"
pattern="^($(echo "$SCENARIOS" | tr ' ' '|')) "
for round in $(seq 1 "$ROUNDS"); do
  for side in baseline current; do
    home="$here"
    [ "$side" = baseline ] && home="$base_dir"
    GATEHOUSE_HOME="$home" "$here/bench/oauth.sh" 2>/dev/null | grep -E "$pattern" \
      | while read -r name rest; do
        cpu="$(sed -n 's/.*cpu_us_per_req=\([0-9]*\).*/\1/p' <<<"$rest")"
        echo "$name $side $cpu" >>"$results"
        echo "round $round $side $name $rest"
      done
  done
done
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print ""; else print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
status=0
printf '%-18s %12s %12s %8s\n' scenario baseline_us current_us change
for name in $SCENARIOS; do
  b="$(awk -v n="$name" '$1 == n && $2 == "baseline" {print $3}' "$results" | median)"
  c="$(awk -v n="$name" '$1 == n && $2 == "current" {print $3}' "$results" | median)"
  if [ -z "$b" ] || [ -z "$c" ]; then
    printf '%-18s %12s %12s %8s MISSING\n' "$name" "${b:--}" "${c:--}" "-"; status=1; continue
  fi
  change="$(awk -v b="$b" -v c="$c" 'BEGIN {printf "%+.1f", (c - b) * 100 / b}')"
  verdict="$(awk -v x="$change" -v t="$THRESHOLD" 'BEGIN {print (x > t) ? "REGRESSION" : "ok"}')"
  [ "$verdict" = ok ] || status=1
  printf '%-18s %12s %12s %7s%% %s\n' "$name" "$b" "$c" "$change" "$verdict"
done
echo "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
