#!/usr/bin/env python3
"""Live check of deploy/monitoring against real Prometheus and Alertmanager (run by
bench/monitoring.sh, which documents the command and its settings).

Starts its own Redis, two Gatehouse nodes on one PostgreSQL database (one node on H2 without one),
a webhook receiver standing in for a pager, Alertmanager (deploy/monitoring/alertmanager with the
receivers pointed at that receiver and group_wait 0 s) and Prometheus (the rules of
deploy/monitoring/prometheus, scrape and evaluation every SCRAPE seconds). Then:

1. drives a traffic mix (tokens, introspections, good and bad sign-ins) and checks that every
   query of every dashboard panel returns data;
2. stops Redis and measures the time until GatehouseRedisBreakerOpen reaches the receiver;
3. sends a burst of failed sign-ins and measures the time until GatehouseBruteForceWave does.

Standard library only. Prints one line per panel and per fault; exits non-zero on a failure.
"""
import base64
import http.cookiejar
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MON = os.path.join(ROOT, "deploy", "monitoring")
BASE = int(os.environ.get("MONITORING_PORT_BASE", "22100"))
SCRAPE = os.environ.get("SCRAPE", "1s")
TRAFFIC_SECONDS = int(os.environ.get("TRAFFIC_SECONDS", "20"))
PG = os.environ.get("MONITORING_DB", "jdbc:postgresql://127.0.0.1:5432/gh_observe_monitoring?user=postgres")
PORTS = {"redis": BASE + 2, "receiver": BASE + 3, "alertmanager": BASE + 4,
         "alertmanager_cluster": BASE + 5, "prometheus": BASE + 6}
NODES = [(BASE + 10, BASE + 20), (BASE + 11, BASE + 21)]
procs = []
work = tempfile.mkdtemp(prefix="gatehouse-monitoring.")
failures = []


def say(*a):
    print(*a, flush=True)


def start(name, cmd, env=None, **kw):
    log = open(os.path.join(work, name + ".log"), "w")
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
                         start_new_session=True, **kw)
    procs.append((name, p))
    return p


def stop(p):
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)


def cleanup():
    for _, p in reversed(procs):
        stop(p)
    if os.environ.get("KEEP_WORK") != "1":
        shutil.rmtree(work, ignore_errors=True)
    else:
        say("work directory kept:", work)


def wait_for(what, check, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{what} not ready within {timeout}s (logs in {work})")


def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


# --- the pager: records every alert notification with the time it arrived ----------------------
received = []


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        now = time.time()
        for a in body.get("alerts", []):
            received.append((now, self.path, a["status"], a["labels"].get("alertname")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *a):
        pass


def delivered(alertname, after):
    for t, path, status, name in list(received):
        if name == alertname and status == "firing" and t >= after:
            return t, path
    return None


# --- Gatehouse ----------------------------------------------------------------------------------
def node_env(i, db_url, key):
    port, mgmt = NODES[i]
    env = {"GATEHOUSE_MANAGEMENT_PORT": str(mgmt), "GATEHOUSE_MASTER_KEY": key,
           "GATEHOUSE_REDIS_URL": f"redis://127.0.0.1:{PORTS['redis']}",
           "GATEHOUSE_ACCESS_LOG": "OFF", "GATEHOUSE_LOG_FORMAT": "text",
           "GATEHOUSE_SERVER_BASE_URL": f"http://127.0.0.1:{NODES[0][0]}"}
    if db_url:
        env["GATEHOUSE_DB_URL"] = db_url
    return env


def cli(*args, stdin=None):
    out = subprocess.run([os.path.join(ROOT, "gatehouse"), "--data", os.path.join(work, "node0"),
                          "--server", f"http://127.0.0.1:{NODES[0][0]}", *args, "--output", "json"],
                         input=stdin, capture_output=True, text=True, check=True)
    return json.loads(out.stdout) if out.stdout.strip().startswith(("{", "[")) else out.stdout


def post(url, form, auth=None, opener=None):
    data = urllib.parse.urlencode(form).encode()
    req = urllib.request.Request(url, data=data, method="POST")
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with (opener or urllib.request.build_opener()).open(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a):
        return None


def sign_in(issuer, client_id, redirect, username, password):
    """One browser sign-in through the hosted pages; True when a code came back."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    q = urllib.parse.urlencode({"response_type": "code", "client_id": client_id,
                                "redirect_uri": redirect, "scope": "openid", "state": "s1",
                                "nonce": "n1", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                                "code_challenge_method": "S256"})
    url = f"{issuer}/oauth2/authorize?{q}"
    for _ in range(6):
        try:
            r = opener.open(url, timeout=10)
            status, html, loc = r.status, r.read().decode(), None
        except urllib.error.HTTPError as e:
            status, html, loc = e.code, e.read().decode(), e.headers.get("Location")
        if loc:
            url = urllib.parse.urljoin(url, loc)
            if url.startswith(redirect):
                return "code=" in url
            continue
        if status != 200 or 'name="password"' not in html:
            return False
        action = re.search(r'<form method="post"[^>]* action="([^"]*)"', html).group(1)
        fields = dict(re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', html))
        fields = {k.replace("&amp;", "&"): v.replace("&amp;", "&") for k, v in fields.items()}
        fields.update(username=username, password=password)
        url = urllib.parse.urljoin(url, action.replace("&amp;", "&"))
        try:
            r = opener.open(urllib.request.Request(url, urllib.parse.urlencode(fields).encode()),
                            timeout=10)
            return False  # a page again: the password was refused
        except urllib.error.HTTPError as e:
            loc = e.headers.get("Location")
            if not loc:
                return False
            url = urllib.parse.urljoin(url, loc)
            if url.startswith(redirect):
                return "code=" in url
    return False


def traffic(stop_at, issuer, app, api, web, redirect, bad_share=0.0, threads=3):
    def worker(n):
        i = 0
        while time.time() < stop_at:
            i += 1
            s, body = post(f"{issuer}/oauth2/token", {"grant_type": "client_credentials"},
                           auth=f"{app['client_id']}:{app['client_secret']}")
            if s == 200:
                tok = json.loads(body)["access_token"]
                post(f"{issuer}/oauth2/introspect", {"token": tok},
                     auth=f"{api['client_id']}:{api['client_secret']}")
            post(f"{issuer}/oauth2/token", {"grant_type": "client_credentials"},
                 auth=f"{app['client_id']}:wrong")
            if i % 5 == n % 5:
                sign_in(issuer, web["client_id"], redirect, "alice", "correct horse battery 0123")
    ts = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)]
    for t in ts:
        t.start()
    return ts


def prom_query(expr):
    s, body = get(f"http://127.0.0.1:{PORTS['prometheus']}/api/v1/query?"
                  + urllib.parse.urlencode({"query": expr}))
    return json.loads(body)["data"]["result"]


def main():
    for tool in ("prometheus", "prometheus-alertmanager", "promtool", "redis-server"):
        if not shutil.which(tool):
            raise SystemExit(f"needs {tool} (Debian: prometheus, prometheus-alertmanager, redis-server)")
    say(f"# monitoring live check {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}, "
        f"scrape and rule evaluation every {SCRAPE}, ports {BASE}-{BASE + 21}, work {work}")
    db_url = PG
    if subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c",
                       "drop database if exists gh_observe_monitoring"],
                      capture_output=True).returncode != 0 or subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "gh_observe_monitoring"],
            capture_output=True).returncode != 0:
        say("# no PostgreSQL on 127.0.0.1:5432: one node on H2")
        db_url = None
    nodes = 2 if db_url else 1

    redis = start("redis", ["redis-server", "--port", str(PORTS["redis"]), "--save", "",
                            "--appendonly", "no", "--bind", "127.0.0.1"])
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", PORTS["receiver"]), Receiver)
    threading.Thread(target=srv.serve_forever, daemon=True).start()

    key = base64.b64encode(os.urandom(32)).decode()
    for i in range(nodes):
        port, _ = NODES[i]
        start(f"node{i}", [os.path.join(ROOT, "gatehouse"), "serve", "--port", str(port), "--data",
                           os.path.join(work, f"node{i}")], env=node_env(i, db_url, key))
        wait_for(f"node {i}", lambda p=port: get(f"http://127.0.0.1:{p}/health/ready")[0] == 200,
                 240)

    # Alertmanager: the shipped routing, receivers pointed here, no waiting to group.
    am = open(os.path.join(MON, "alertmanager", "alertmanager.yml")).read()
    am = am.replace("http://127.0.0.1:9095", f"http://127.0.0.1:{PORTS['receiver']}")
    am = re.sub(r"group_wait: \S+", "group_wait: 0s", am)
    os.makedirs(os.path.join(work, "am"))
    open(os.path.join(work, "am", "alertmanager.yml"), "w").write(am)
    start("alertmanager", ["prometheus-alertmanager", "--config.file", os.path.join(work, "am", "alertmanager.yml"),
                           "--storage.path", os.path.join(work, "am"),
                           "--web.listen-address", f"127.0.0.1:{PORTS['alertmanager']}",
                           "--cluster.listen-address", ""])
    # Prometheus: the shipped rules, this run's targets and intervals.
    shutil.copytree(os.path.join(MON, "prometheus", "rules"), os.path.join(work, "prom", "rules"))
    targets = ", ".join(f"'127.0.0.1:{NODES[i][1]}'" for i in range(nodes))
    open(os.path.join(work, "prom", "prometheus.yml"), "w").write(f"""
global: {{scrape_interval: {SCRAPE}, evaluation_interval: {SCRAPE}}}
rule_files: [rules/gatehouse-recording.yml, rules/gatehouse-alerts.yml]
alerting:
  alertmanagers: [{{static_configs: [{{targets: ['127.0.0.1:{PORTS['alertmanager']}']}}]}}]
scrape_configs:
  - job_name: gatehouse
    static_configs: [{{targets: [{targets}]}}]
""")
    start("prometheus", ["prometheus", "--config.file", os.path.join(work, "prom", "prometheus.yml"),
                         "--storage.tsdb.path", os.path.join(work, "prom", "data"),
                         "--web.listen-address", f"127.0.0.1:{PORTS['prometheus']}"])
    wait_for("alertmanager", lambda: get(f"http://127.0.0.1:{PORTS['alertmanager']}/-/ready")[0] == 200)
    wait_for("prometheus", lambda: get(f"http://127.0.0.1:{PORTS['prometheus']}/-/ready")[0] == 200)

    # Tenant, clients (a service, the API it calls, a web app) and a user.
    issuer = f"http://127.0.0.1:{NODES[0][0]}/t/mon"
    redirect = "https://app.example.com/cb"
    cli("tenant", "create", "mon")
    api = cli("client", "create", "--tenant", "mon", "--name", "api")
    app = cli("client", "create", "--tenant", "mon", "--name", "svc", "--audience", api["client_id"])
    web = cli("client", "create", "--tenant", "mon", "--name", "web", "--grant", "authorization_code",
              "--redirect-uri", redirect)
    cli("user", "create", "--tenant", "mon", "--username", "alice", "--password-stdin",
        stdin="correct horse battery 0123")
    # A policy decision or two, so that the decision panels have data.
    admin = json.load(open(os.path.join(work, "node0", "bootstrap-admin.json")))
    issuers = [f"http://127.0.0.1:{NODES[i][0]}/t/mon" for i in range(nodes)]

    # 1. traffic, then every panel query.
    say(f"# traffic: {TRAFFIC_SECONDS}s of tokens, introspections, failed client auth and sign-ins"
        f" on {nodes} node(s)")
    stop_at = time.time() + TRAFFIC_SECONDS
    threads = [t for iss in issuers for t in traffic(stop_at, iss, app, api, web, redirect)]
    for t in threads:
        t.join()
    time.sleep(3)
    panels = 0
    for name in sorted(os.listdir(os.path.join(MON, "grafana", "dashboards"))):
        d = json.load(open(os.path.join(MON, "grafana", "dashboards", name)))
        for p in d["panels"]:
            for t in p["targets"]:
                panels += 1
                result = prom_query(t["expr"])
                ok = bool(result)
                say(f"panel {'ok  ' if ok else 'FAIL'} {d['uid']} / {p['title']} / {t['refId']}:"
                    f" {len(result)} series")
                if not ok:
                    failures.append(f"no data: {d['uid']} / {p['title']}: {t['expr']}")
    say(f"# {panels} panel queries checked, {panels - len(failures)} with data")

    # 2. Redis stops.
    keep = time.time() + 120
    background = [t for iss in issuers for t in traffic(keep, iss, app, api, web, redirect, threads=1)]
    time.sleep(2)
    t0 = time.time()
    stop(redis)
    measure("GatehouseRedisBreakerOpen", t0, "Redis stopped")

    # 3. a burst of failed sign-ins (wrong passwords for many accounts, from 8 browsers).
    burst_until = time.time() + 60
    t0 = time.time()
    def guesser():
        while time.time() < burst_until and not delivered("GatehouseBruteForceWave", t0):
            # Many accounts, as credential stuffing does: one account alone is slowed down by
            # the lockout's growing delay (up to 4 s a guess) to below the alert's 1/s.
            sign_in(issuers[0], web["client_id"], redirect, "user-" + os.urandom(3).hex(),
                    "guess-" + os.urandom(4).hex())
    for _ in range(8):
        threading.Thread(target=guesser, daemon=True).start()
    measure("GatehouseBruteForceWave", t0, "failed sign-in burst")
    keep = 0


def measure(alertname, t0, fault, timeout=90):
    deadline = t0 + timeout
    while time.time() < deadline:
        d = delivered(alertname, t0)
        if d:
            say(f"fault '{fault}' -> {alertname} delivered to {d[1]} in {d[0] - t0:.1f}s"
                f" (scrape/evaluation interval {SCRAPE})")
            return
        time.sleep(0.05)
    failures.append(f"{alertname} not delivered within {timeout}s of '{fault}'")
    say(f"fault '{fault}' -> {alertname} NOT delivered within {timeout}s")


if __name__ == "__main__":
    try:
        main()
    finally:
        cleanup()
    if failures:
        say("FAILED:")
        for f in failures:
            say("  " + f)
        sys.exit(1)
    say("ok")
