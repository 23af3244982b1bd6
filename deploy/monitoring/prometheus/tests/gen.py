#!/usr/bin/env python3
"""Writes gatehouse-alerts.test.yml: promtool unit tests, one firing and at least one silent case
per alert. The expected annotations are read from the rule file (promtool compares them whole), so
that a wording change needs no edit here; the cases themselves are written out below.

    python3 deploy/monitoring/prometheus/tests/gen.py && promtool test rules deploy/monitoring/prometheus/tests/gatehouse-alerts.test.yml
"""
import os
import yaml

here = os.path.dirname(os.path.abspath(__file__))
rules = yaml.safe_load(open(os.path.join(here, "../rules/gatehouse-alerts.yml")))
alerts = {r["alert"]: r for g in rules["groups"] for r in g["rules"] if "alert" in r}


def expect(name, **labels):
    rule = alerts[name]
    ann = {k: v.replace("{{ $labels.instance }}", labels.get("instance", ""))
           for k, v in rule.get("annotations", {}).items()}
    return {"exp_labels": {**rule["labels"], **labels}, "exp_annotations": ann}


def http(instance, status, per_step, steps, route="/t/{tenant}/oauth2/token", le=None):
    labels = f'job="gatehouse",instance="{instance}",method="POST",route="{route}",status="{status}"'
    name = "http_server_requests_seconds_count"
    if le is not None:
        name = "http_server_requests_seconds_bucket"
        labels += f',le="{le}"'
    return {"series": f"{name}{{{labels}}}", "values": f"0+{per_step}x{steps}"}


def case(name, series, checks, interval="1m"):
    return {"name": name, "interval": interval, "input_series": series,
            "alert_rule_test": checks}


def check(alert, at, *expected):
    return {"eval_time": at, "alertname": alert, "exp_alerts": list(expected)}


tests = []
# --- availability SLO -------------------------------------------------------------------------
A = "GatehouseAvailabilityBudgetBurnFast"
tests.append(case("availability: 2% errors for 70 minutes page (1h and 5m above 14.4x)",
    [http("a", 200, 600, 80), http("a", 500, 12, 80)],
    [check(A, "70m", expect(A, slo="availability")),
     check(A, "2m")]))  # before `for` has passed: pending, not firing
tests.append(case("availability: 0.5% errors stay below both fast thresholds",
    [http("a", 200, 600, 400), http("a", 503, 3, 400)],
    [check(A, "70m"), check(A, "390m")]))
tests.append(case("availability: a 5-minute error spike alone does not page (1h window low)",
    [http("a", 200, 600, 400),
     {"series": 'http_server_requests_seconds_count{job="gatehouse",instance="a",method="POST",route="/t/{tenant}/oauth2/token",status="500"}',
      "values": "0x390 0+50x8"}],
    [check(A, "397m")]))
tests.append(case("availability: 0.8% errors for 7 hours page through the 6h/30m pair",
    [http("a", 200, 600, 430), http("a", 500, 5, 430)],
    [check(A, "425m", expect(A, slo="availability"))]))
tests.append(case("availability: health probe 5xx do not count",
    [http("a", 200, 600, 80), http("a", 503, 600, 80, route="/health/ready")],
    [check(A, "70m")]))
S = "GatehouseAvailabilityBudgetBurnSlow"
tests.append(case("availability: 0.5% errors for a day open a ticket (1d and 2h above 3x)",
    [http("a", 200, 3000, 300), http("a", 500, 15, 300)],
    [check(S, "1460m", expect(S, slo="availability"))], interval="5m"))
tests.append(case("availability: 0.05% errors stay within budget",
    [http("a", 200, 30000, 300), http("a", 500, 15, 300)],
    [check(S, "1460m")], interval="5m"))

# --- token latency SLO ------------------------------------------------------------------------
L = "GatehouseTokenLatencyBudgetBurnFast"
tests.append(case("token latency: 20% of tokens over 100 ms for 70 minutes page",
    [http("a", 200, 600, 80), http("a", 200, 480, 80, le="0.1")],
    [check(L, "70m", expect(L, slo="token-latency"))]))
tests.append(case("token latency: 0.5% slow tokens stay silent",
    [http("a", 200, 600, 80), http("a", 200, 597, 80, le="0.1")],
    [check(L, "70m")]))
tests.append(case("token latency: slow requests of other routes do not count",
    [http("a", 200, 600, 80), http("a", 200, 600, 80, le="0.1"),
     http("a", 200, 600, 80, route="/t/{tenant}/login"),
     http("a", 200, 0, 80, route="/t/{tenant}/login", le="0.1")],
    [check(L, "70m")]))
LS = "GatehouseTokenLatencyBudgetBurnSlow"
tests.append(case("token latency: 5% slow tokens for a day open a ticket",
    [http("a", 200, 3000, 300), http("a", 200, 2850, 300, le="0.1")],
    [check(LS, "1460m", expect(LS, slo="token-latency")),
     check(L, "1460m")], interval="5m"))  # and 5% is below every fast threshold
tests.append(case("token latency: 0.5% slow tokens for a day stay silent",
    [http("a", 200, 3000, 300), http("a", 200, 2985, 300, le="0.1")],
    [check(LS, "1460m")], interval="5m"))


# --- breakers ---------------------------------------------------------------------------------
def breaker(instance, name, state, values):
    return {"series": f'resilience4j_circuitbreaker_state{{job="gatehouse",instance="{instance}",name="{name}",state="{state}"}}',
            "values": values}


for alert, name in (("GatehouseDatabaseBreakerOpen", "database"),
                    ("GatehouseRedisBreakerOpen", "redis")):
    tests.append(case(f"{name} breaker: open on one node fires for that node",
        [breaker("a", name, "closed", "1 1 0 0 0"), breaker("a", name, "open", "0 0 1 1 0"),
         breaker("a", name, "half_open", "0 0 0 0 1"),
         breaker("b", name, "closed", "1 1 1 1 1"), breaker("b", name, "open", "0 0 0 0 0")],
        [check(alert, "1m"), check(alert, "2m", expect(alert, instance="a")),
         check(alert, "4m", expect(alert, instance="a"))]))  # half-open: still probing
    other = "redis" if name == "database" else "database"
    tests.append(case(f"{name} breaker: the other breaker open does not fire it",
        [breaker("a", name, "closed", "1 1 1"), breaker("a", name, "open", "0 0 0"),
         breaker("a", other, "open", "1 1 1")],
        [check(alert, "2m")]))

# --- outbox, webhooks -------------------------------------------------------------------------
O = "GatehouseOutboxLag"
lag = lambda values: {"series": 'gatehouse_outbox_lag_seconds{job="gatehouse",instance="a"}', "values": values}
tests.append(case("outbox: events waiting over 5 minutes for 5 minutes fire",
    [lag("0 60 120 180 240 300 360 420 480 540 600 660 720")],
    [check(O, "7m"), check(O, "12m", expect(O))]))
tests.append(case("outbox: a lag that clears within minutes stays silent",
    [lag("0 120 240 360 0 0 0 0 0 0 0 0")],
    [check(O, "10m")]))
W = "GatehouseWebhookDeadLetters"
dead = lambda values: {"series": 'gatehouse_webhook_deliveries_total{job="gatehouse",instance="a",result="dead"}', "values": values}
delivered = {"series": 'gatehouse_webhook_deliveries_total{job="gatehouse",instance="a",result="delivered"}', "values": "0+10x30"}
tests.append(case("webhooks: a dead-lettered delivery fires, and clears after 15 minutes",
    [dead("0 0 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"), delivered],
    [check(W, "2m"), check(W, "5m", expect(W)), check(W, "22m")]))
tests.append(case("webhooks: failures that are retried are no dead letters",
    [dead("0x20"), delivered,
     {"series": 'gatehouse_webhook_deliveries_total{job="gatehouse",instance="a",result="failed"}', "values": "0+5x20"}],
    [check(W, "10m")]))


# --- sign-ins ---------------------------------------------------------------------------------
def signins(result, values, instance="a"):
    return {"series": f'gatehouse_signins_total{{job="gatehouse",instance="{instance}",result="{result}"}}',
            "values": values}


B = "GatehouseBruteForceWave"
tests.append(case("brute force: 5 failures/s against 1 success/s fire at once",
    [signins("failed", "0+75x20"), signins("succeeded", "0+15x20"), signins("locked", "0x20"),
     signins("throttled", "0x20")],
    [check(B, "2m", expect(B))], interval="15s"))
tests.append(case("brute force: failures spread over two nodes add up",
    [signins("failed", "0+10x20", "a"), signins("failed", "0+10x20", "b"),
     signins("succeeded", "0x20", "a")],
    [check(B, "2m", expect(B))], interval="15s"))
tests.append(case("brute force: 2 failures/s among 10 successes/s are people mistyping",
    [signins("failed", "0+30x20"), signins("succeeded", "0+150x20")],
    [check(B, "2m")], interval="15s"))
tests.append(case("brute force: a trickle of failures (0.5/s) stays silent",
    [signins("failed", "0+7.5x20"), signins("succeeded", "0x20")],
    [check(B, "2m")], interval="15s"))
K = "GatehouseAccountLockouts"
tests.append(case("lockouts: 30 accounts locked in 10 minutes fire",
    [signins("locked", "0+3x20")], [check(K, "12m", expect(K))]))
tests.append(case("lockouts: 10 accounts locked in 10 minutes stay silent",
    [signins("locked", "0+1x20")], [check(K, "12m")]))

# --- keys -------------------------------------------------------------------------------------
R = "GatehouseSigningKeyRotationOverdue"
overdue = lambda values: {"series": 'gatehouse_keys_rotation_overdue_tenants{job="gatehouse",instance="a"}', "values": values}
tests.append(case("keys: a tenant overdue for over an hour opens a ticket",
    [overdue("1x90")], [check(R, "30m"), check(R, "70m", expect(R))]))
tests.append(case("keys: no tenant overdue stays silent",
    [overdue("0x90")], [check(R, "70m")]))

# --- nodes ------------------------------------------------------------------------------------
N, ALL = "GatehouseNodeDown", "GatehouseAllNodesDown"
up = lambda instance, values: {"series": f'up{{job="gatehouse",instance="{instance}"}}', "values": values}
tests.append(case("nodes: one node down for a minute warns; the installation is not down",
    [up("a", "1 1 0 0 0 0 0"), up("b", "1 1 1 1 1 1 1")],
    [check(N, "2m"), check(N, "4m", expect(N, instance="a", job="gatehouse")),
     check(ALL, "4m")]))
tests.append(case("nodes: every node down pages",
    [up("a", "1 0 0 0 0"), up("b", "1 0 0 0 0")],
    [check(ALL, "3m", expect(ALL)),
     check(N, "3m", expect(N, instance="a", job="gatehouse"),
           expect(N, instance="b", job="gatehouse"))]))
tests.append(case("nodes: no target at all pages (absent)",
    [{"series": 'up{job="other",instance="x"}', "values": "1x5"}],
    [check(ALL, "3m", expect(ALL, job="gatehouse"))]))
tests.append(case("nodes: a node back within the minute stays silent",
    [up("a", "1 0 1 1 1"), up("b", "1 1 1 1 1")],
    [check(N, "3m"), check(ALL, "3m")]))

covered = {c["alertname"] for t in tests for c in t["alert_rule_test"] if c["exp_alerts"]}
silent = {c["alertname"] for t in tests for c in t["alert_rule_test"] if not c["exp_alerts"]}
missing = (set(alerts) - covered) | (set(alerts) - silent)
if missing:
    raise SystemExit(f"alerts without a firing and a silent case: {sorted(missing)}")

doc = {"rule_files": ["../rules/gatehouse-recording.yml", "../rules/gatehouse-alerts.yml"],
       "evaluation_interval": "1m", "tests": tests}
with open(os.path.join(here, "gatehouse-alerts.test.yml"), "w") as f:
    f.write("# Generated by gen.py (edit the cases there); run: promtool test rules"
            " gatehouse-alerts.test.yml\n")
    yaml.safe_dump(doc, f, sort_keys=False, width=100)
print(f"{len(tests)} cases, {len(alerts)} alerts covered")
