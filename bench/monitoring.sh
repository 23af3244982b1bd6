#!/usr/bin/env bash
# Live check of the dashboards and alerts in deploy/monitoring against real Prometheus and
# Alertmanager, with Gatehouse nodes under load (docs/observability.md#proving-it).
#
#   bench/monitoring.sh                          # 2 nodes on PostgreSQL 127.0.0.1:5432, else 1 on H2
#   SCRAPE=1s TRAFFIC_SECONDS=20 MONITORING_PORT_BASE=22100 bench/monitoring.sh
#   KEEP_WORK=1 bench/monitoring.sh              # keep the logs and configs it wrote
#
# First checks the rules (promtool check rules, promtool test rules: every alert fires and stays
# silent in its unit tests) and the Alertmanager routes (amtool). Then bench/monitoring/live.py
# starts its own Redis, the nodes, a receiver standing in for a pager, Alertmanager and
# Prometheus on ports MONITORING_PORT_BASE..+21, checks that every dashboard panel query returns
# data, stops Redis and then sends a burst of failed sign-ins, and prints the time from each fault
# to the alert delivered to the receiver. Exits non-zero when a check fails. Needs the Debian
# packages prometheus, prometheus-alertmanager, redis-server, and python3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mon="$root/deploy/monitoring"
tools="promtool amtool"
[ "${RULES_ONLY:-0}" = 1 ] || tools="$tools prometheus prometheus-alertmanager redis-server python3"
for tool in $tools; do
  command -v "$tool" >/dev/null || { echo "monitoring: needs $tool" >&2; exit 1; }
done
promtool check rules "$mon"/prometheus/rules/*.yml
promtool test rules "$mon"/prometheus/tests/gatehouse-alerts.test.yml
amtool check-config "$mon/alertmanager/alertmanager.yml"
for route in "severity=page:on-call-pager" "severity=warning:team-chat" "severity=ticket:ticket-queue"; do
  amtool config routes test --config.file="$mon/alertmanager/alertmanager.yml" \
    --verify.receivers="${route#*:}" "${route%%:*}" alertname=Probe >/dev/null 2>&1 \
    || { echo "monitoring: ${route%%:*} does not route to ${route#*:}" >&2; exit 1; }
done
echo "monitoring: rules, rule unit tests and routes ok"
[ "${RULES_ONLY:-0}" = 1 ] && exit 0
"$root/gatehouse" --version >/dev/null   # build once, before anything is timed
exec python3 "$root/bench/monitoring/live.py"
