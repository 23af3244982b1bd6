#!/usr/bin/env python3
"""Writes the Grafana dashboards (dashboards/*.json) from the panel lists below: one place to read
every query, and JSON that Grafana's file provisioning loads as is.

    python3 deploy/monitoring/grafana/build.py

bench/monitoring.sh runs every `expr` of the written JSON against a live Prometheus and fails when
one returns no data. Queries select job="gatehouse" (the scrape job of prometheus/prometheus.yml)
and use fixed windows ([5m]) rather than Grafana variables, so that the same text runs in
Prometheus' own API.
"""
import json
import os

DS = {"type": "prometheus", "uid": "gatehouse-prometheus"}
J = 'job="gatehouse"'


def sel(metric, extra=""):
    """The selector metric{job="gatehouse",extra}."""
    return metric + "{" + J + ("," + extra if extra else "") + "}"


HIT = 'result="hit"'
OPEN = 'state=~"open|half_open|forced_open"'
HEAP = 'area="heap"'


def panel(title, kind, targets, unit="short", w=8, h=7, description="", **options):
    return {"title": title, "type": kind, "description": description, "datasource": DS,
            "gridPos": {"w": w, "h": h},
            "fieldConfig": {"defaults": {"unit": unit, **options.get("defaults", {})},
                            "overrides": []},
            "options": options.get("options", {}),
            "targets": [{"datasource": DS, "refId": chr(65 + i), "expr": e,
                         "legendFormat": legend} for i, (e, legend) in enumerate(targets)]}


def stat(title, expr, unit="short", description="", w=4, thresholds=None):
    defaults = {}
    if thresholds:
        defaults["thresholds"] = {"mode": "absolute", "steps": thresholds}
    return panel(title, "stat", [(expr, "")], unit, w=w, h=4, description=description,
                 defaults=defaults, options={"reduceOptions": {"calcs": ["lastNotNull"]},
                                             "colorMode": "background"})


def graph(title, targets, unit="short", description="", w=8):
    return panel(title, "timeseries", targets, unit, w=w, description=description)


EXECUTIVE = [
    stat("Availability (1h)", f"1 - gatehouse:availability_errors:ratio_rate1h", "percentunit",
         "Share of requests (health probes aside) not answered 5xx. Objective: 99.9% over 30 days.",
         thresholds=[{"color": "red", "value": None}, {"color": "orange", "value": 0.99},
                     {"color": "green", "value": 0.999}]),
    stat("Error budget burn (1h)", "gatehouse:availability_errors:ratio_rate1h / 0.001", "x",
         "How fast the 30-day availability budget is spent: 1 = exactly on budget; 14.4 sustained "
         "for an hour pages.",
         thresholds=[{"color": "green", "value": None}, {"color": "orange", "value": 1},
                     {"color": "red", "value": 6}]),
    stat("Token latency SLI (1h)", "1 - gatehouse:token_latency_errors:ratio_rate1h",
         "percentunit", "Share of token requests answered within 100 ms. Objective: 99%."),
    stat("Nodes up", f"sum(up{{{J}}})", description="Nodes answering Prometheus' scrapes."),
    stat("Tenants", f"max(gatehouse_tenants{{{J}}})", description="Tenants in the installation."),
    stat("Days to next key rotation", f"min(gatehouse_keys_next_rotation_days{{{J}}})", "d",
         "Days until the oldest active signing key reaches keys.rotation-days; negative: overdue.",
         thresholds=[{"color": "red", "value": None}, {"color": "orange", "value": 0},
                     {"color": "green", "value": 7}]),
    graph("Sign-ins", [(f"sum by (result) (rate(gatehouse_signins_total{{{J}}}[5m]))",
                        "{{result}}")], "ops", "Password sign-ins per second by result."),
    graph("Tokens issued", [(f"sum by (grant, format) (rate(gatehouse_tokens_issued_total{{{J}}}[5m]))",
                             "{{grant}} {{format}}")], "ops",
          "Token responses per second by grant type and access token format."),
    graph("Token errors", [(f"sum by (error) (rate(gatehouse_token_errors_total{{{J}}}[5m]))",
                            "{{error}}")], "ops", "Token endpoint errors per second by OAuth error code."),
    graph("Second factors", [(f"sum by (factor, result) (rate(gatehouse_mfa_challenges_total{{{J}}}[5m]))",
                              "{{factor}} {{result}}")], "ops", "MFA checks per second."),
    graph("Policy decisions", [
        (f"sum by (decision) (rate(gatehouse_policy_decisions_total{{{J}}}[5m]))", "{{decision}}"),
        (f"sum(rate(gatehouse_policy_decision_errors_total{{{J}}}[5m]))", "error")], "ops",
        "Cedar decisions per second: allow, deny, and those that met an error."),
    graph("Introspections", [(f"sum by (result) (rate(gatehouse_introspections_total{{{J}}}[5m]))",
                              "{{result}}")], "ops", "Introspection answers per second, active or not."),
    graph("Error budget burn rate", [
        ("gatehouse:availability_errors:ratio_rate5m / 0.001", "availability 5m"),
        ("gatehouse:availability_errors:ratio_rate1h / 0.001", "availability 1h"),
        ("gatehouse:token_latency_errors:ratio_rate1h / 0.01", "token latency 1h")], "x",
        "Budget burn rates the SLO alerts compare (14.4 and 6 page; 3 and 1 open tickets).", w=16),
]

TECH = [
    graph("Latency p50 by endpoint", [
        (f"histogram_quantile(0.5, sum by (le, route) (rate(http_server_requests_seconds_bucket{{{J}}}[5m])))",
         "{{route}}")], "s"),
    graph("Latency p95 by endpoint", [
        (f"histogram_quantile(0.95, sum by (le, route) (rate(http_server_requests_seconds_bucket{{{J}}}[5m])))",
         "{{route}}")], "s"),
    graph("Latency p99 by endpoint", [
        (f"histogram_quantile(0.99, sum by (le, route) (rate(http_server_requests_seconds_bucket{{{J}}}[5m])))",
         "{{route}}")], "s"),
    graph("Requests by endpoint and status", [
        (f"sum by (route, status) (rate(http_server_requests_seconds_count{{{J}}}[5m]))",
         "{{route}} {{status}}")], "reqps", w=16),
    graph("5xx ratio", [("gatehouse:availability_errors:ratio_rate5m", "5xx share")], "percentunit"),
    graph("CPU (saturation)", [
        (f"process_cpu_usage{{{J}}}", "process {{instance}}"),
        (f"system_cpu_usage{{{J}}}", "machine {{instance}}")], "percentunit",
        "CPU use of each node's JVM and of its machine; 2 cores bound a node here."),
    graph("Load average", [(f"system_load_average_1m{{{J}}} / system_cpu_count{{{J}}}",
                            "{{instance}}")], "short", "Run queue per core; above 1 the node queues."),
    graph("Database pool", [
        (f"sum by (instance) (hikaricp_connections_active{{{J}}})", "active {{instance}}"),
        (f"sum by (instance) (hikaricp_connections_pending{{{J}}})", "waiting {{instance}}"),
        (f"sum by (instance) (hikaricp_connections_max{{{J}}})", "max {{instance}}")], "short",
        "Connections in use, requests waiting for one, and the pool size."),
    graph("Database connection wait (max)", [
        (f"max by (instance) (hikaricp_connections_acquire_seconds_max{{{J}}})", "{{instance}}")],
        "s"),
    graph("L1 cache hit ratio", [("gatehouse:l1_cache_hit:ratio_rate5m", "{{cache}}")],
          "percentunit", "Caffeine caches of each node: tenants, clients, signing keys, decisions."),
    graph("L2 (Redis) cache hit ratio", [
        (f"sum(rate({sel('gatehouse_cache_l2_gets_total', HIT)}[5m]))"
         f" / sum(rate({sel('gatehouse_cache_l2_gets_total')}[5m]))", "hit ratio")], "percentunit",
        "Authentic, current entries found in Redis; misses are loaded from the database."),
    graph("Decision cache hit ratio", [
        (f"max by (instance) (gatehouse_policy_decision_cache_hit_ratio{{{J}}})", "{{instance}}")],
        "percentunit"),
    graph("Circuit breakers (1 = open or probing)", [
        (f"max by (name, instance) ({sel('resilience4j_circuitbreaker_state', OPEN)})",
         "{{name}} {{instance}}")], "short",
        "Database and Redis breakers; open means the node has stopped calling that dependency."),
    graph("Outbox lag", [(f"max by (instance) (gatehouse_outbox_lag_seconds{{{J}}})", "{{instance}}")],
          "s", "Age of the oldest security event not yet on the Redis Stream."),
    graph("Webhook deliveries", [
        (f"sum by (result) (rate(gatehouse_webhook_deliveries_total{{{J}}}[5m]))", "{{result}}")],
        "ops", "Attempts by outcome: delivered, failed (retried later), dead (given up)."),
    graph("Policy decision latency", [
        (f"histogram_quantile(0.99, sum by (le) (rate(gatehouse_policy_decision_seconds_bucket{{{J}}}[5m])))",
         "p99"),
        (f"sum(rate(gatehouse_policy_decision_seconds_sum{{{J}}}[5m])) / sum(rate(gatehouse_policy_decision_seconds_count{{{J}}}[5m]))",
         "mean")], "s"),
    graph("JVM heap", [
        (f"sum by (instance) ({sel('jvm_memory_used_bytes', HEAP)})",
         "used {{instance}}"),
        (f"sum by (instance) ({sel('jvm_memory_max_bytes', HEAP)})",
         "max {{instance}}")], "bytes"),
    graph("GC pause time", [
        (f"sum by (instance) (rate(jvm_gc_pause_seconds_sum{{{J}}}[5m]))", "{{instance}}")],
        "percentunit", "Share of time spent in GC pauses."),
    graph("Threads", [(f"sum by (instance) (jvm_threads_live_threads{{{J}}})", "{{instance}}")]),
    graph("Signing key age (oldest tenants)", [
        (f"topk(10, max by (tenant) (gatehouse_tenant_key_age_seconds{{{J}}}))", "{{tenant}}")],
        "s", "Age of the active signing key of the tenants with the oldest keys."),
]


def layout(panels):
    x = y = row_h = 0
    for i, p in enumerate(panels):
        w, h = p["gridPos"]["w"], p["gridPos"]["h"]
        if x + w > 24:
            x, y, row_h = 0, y + row_h, 0
        p["gridPos"].update({"x": x, "y": y})
        p["id"] = i + 1
        x += w
        row_h = max(row_h, h)
    return panels


def dashboard(uid, title, description, panels):
    return {"uid": uid, "title": title, "description": description, "tags": ["gatehouse"],
            "timezone": "utc", "schemaVersion": 39, "version": 1, "editable": False,
            "refresh": "30s", "time": {"from": "now-6h", "to": "now"},
            "templating": {"list": []}, "annotations": {"list": []}, "panels": layout(panels)}


here = os.path.dirname(os.path.abspath(__file__))
for name, d in {
    "gatehouse-executive.json": dashboard(
        "gatehouse-executive", "Gatehouse - executive",
        "Availability, error budget, sign-ins, tokens and tenants: is the service doing its job?",
        EXECUTIVE),
    "gatehouse-technical.json": dashboard(
        "gatehouse-technical", "Gatehouse - technical",
        "Latency by endpoint, saturation, caches, breakers, outbox, webhooks, JVM and database.",
        TECH),
}.items():
    with open(os.path.join(here, "dashboards", name), "w") as f:
        json.dump(d, f, indent=2)
        f.write("\n")
    print(name, len(d["panels"]), "panels")
