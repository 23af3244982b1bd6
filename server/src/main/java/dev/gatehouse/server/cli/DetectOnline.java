package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.detect.DetectSettings;
import dev.gatehouse.server.detect.Detection;
import dev.gatehouse.server.detect.Evaluation;
import dev.gatehouse.server.detect.LabeledEvent;
import dev.gatehouse.server.detect.Observation;
import dev.gatehouse.server.detect.TrafficSimulator;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The labelled-traffic benchmark against running servers ({@code gatehouse detect online}): the
 * simulator's sign-ins become real hosted sign-ins (authorize, login page, password POST with
 * {@code X-Forwarded-For}, {@code User-Agent}, a cookie jar per simulated device and the event's
 * id as {@code X-Request-Id}), its tokens real client_credentials requests, spread over the
 * nodes in turn and replayed {@code speed} times faster than simulated time. Then it reads the
 * tenant's events back, labels them by request id, and scores the servers' own detections
 * ({@code anomaly.*}, {@code risk.assessed}) exactly as the offline evaluation does; and the
 * same events, at the times the servers wrote them, through one engine: the detectors read only
 * the events' times, which are the servers' uncompressed clock, so this replay, not the offline
 * run at simulated time, is what the servers' detections should match.
 *
 * <p>Not driven online: refresh-token reuse and Cedar decisions (their detectors are covered
 * offline). Needs the servers to trust the driver as a proxy ({@code server.trusted-proxies}).
 */
final class DetectOnline {

  private static final Pattern HIDDEN = Pattern.compile(
      "<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");
  private static final Pattern ACTION = Pattern.compile(
      "<form method=\"post\"[^>]* action=\"([^\"]*)\"");
  private static final String REDIRECT = "https://app.example.com/cb";

  private final AdminClient admin;
  private final List<String> nodes;
  private final String tenant;
  private final double speed;
  /** The detectors' settings on the nodes, for the one-engine replay of what they wrote. */
  private final DetectSettings nodeSettings;
  /**
   * One client for every simulated browser, cookies kept per device by hand: a client of its own
   * per device (thousands of them, each with a selector thread) swamped the machine.
   */
  private final HttpClient client = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final Map<String, CookieManager> jars = new ConcurrentHashMap<>();
  private final Map<String, String> clientSecrets = new ConcurrentHashMap<>();
  private final Map<String, String> nameToUser = new HashMap<>();
  private final Set<String> answered = ConcurrentHashMap.newKeySet();
  private final AtomicInteger stepUps = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private String webClient;

  DetectOnline(AdminClient admin, List<String> nodes, String tenant, double speed,
      DetectSettings nodeSettings) {
    this.admin = admin;
    this.nodes = nodes;
    this.tenant = tenant;
    this.speed = speed;
    this.nodeSettings = nodeSettings;
  }

  String run(TrafficSimulator.Size size) throws Exception {
    TrafficSimulator sim = new TrafficSimulator(size);
    List<LabeledEvent> events = sim.run();
    agents(events);
    setUp(sim, size);
    long latest = admin.call("GET", "/admin/v1/tenants/" + tenant + "/events", null)
        .get("last_id").asLong();
    long simStart = events.get(0).event().time();
    long realStart = System.currentTimeMillis();
    Semaphore inFlight = new Semaphore(16);
    AtomicInteger n = new AtomicInteger();
    // One account's attempts run one after the other, in the simulated order: a typo and the
    // right password a few simulated seconds later are milliseconds apart here, and sent at once
    // the two flows shared one cookie jar (the second login page replaced the first's CSRF
    // cookie: the first was refused and wrote no event) or reached the nodes in reverse order.
    Map<String, CompletableFuture<Void>> accounts = new HashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (LabeledEvent e : events) {
        Observation o = e.event();
        if (!o.type().equals("login.failed") && !o.type().equals("login.succeeded")
            && !o.type().equals("token.issued")) {
          continue;
        }
        long due = realStart + (long) ((o.time() - simStart) * 1000 / speed);
        long wait = due - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        String node = nodes.get(n.getAndIncrement() % nodes.size());
        Runnable task = () -> {
          inFlight.acquireUninterruptibly();
          try {
            drive(node, e);
          } catch (Exception ex) {
            System.err.println("request failed: " + ex);
          } finally {
            inFlight.release();
          }
        };
        if (o.account() == null) {
          pool.submit(task);
        } else {
          CompletableFuture<Void> before = accounts.get(o.account());
          accounts.put(o.account(), before == null ? CompletableFuture.runAsync(task, pool)
              : before.thenRunAsync(task, pool));
        }
      }
      // Before the pool closes: a chained attempt is submitted only when the one before it ends.
      CompletableFuture.allOf(accounts.values().toArray(CompletableFuture[]::new)).join();
    }
    long realEnd = System.currentTimeMillis();
    System.err.printf("drove %d requests in %d s; waiting for incidents to close%n", n.get(),
        (realEnd - realStart) / 1000);
    // Incidents close after detect.quiet-seconds without events; one more failure makes every
    // node look at its open incidents.
    Thread.sleep(Long.getLong("gatehouse.detect.online.settle-ms", 70_000));
    for (String node : nodes) {
      attempt(node, "settle-" + node.hashCode(), "127.0.0.2", "settle", "nobody", "x", true);
    }
    Thread.sleep(3_000);
    return score(events, sim, latest);
  }

  private void setUp(TrafficSimulator sim, TrafficSimulator.Size size) {
    try {
      admin.call("POST", "/admin/v1/tenants", Map.of("name", tenant));
    } catch (IllegalStateException exists) {
      System.err.println("tenant: " + exists.getMessage());
    }
    JsonNode web = admin.call("POST", "/admin/v1/tenants/" + tenant + "/clients", Map.of(
        "name", "Sim web", "grant_types", List.of("authorization_code"),
        "redirect_uris", List.of(REDIRECT)));
    webClient = web.get("client_id").asText();
    for (int c = 0; c < size.clients(); c++) {
      JsonNode cc = admin.call("POST", "/admin/v1/tenants/" + tenant + "/clients", Map.of(
          "name", "client-" + c, "grant_types", List.of("client_credentials")));
      clientSecrets.put("client-" + c, cc.get("client_id").asText() + ":"
          + cc.get("client_secret").asText());
    }
    List<String> names = sim.userNames();
    for (int u = 0; u < names.size(); u++) {
      String username = "sim-user-" + u;
      nameToUser.put(names.get(u), username);
      try {
        admin.call("POST", "/admin/v1/tenants/" + tenant + "/users", Map.of("username", username,
            "password", password(username)));
      } catch (IllegalStateException exists) {
        // a second run on the same tenant
      }
    }
  }

  private static String password(String username) {
    return "correct horse " + username;
  }

  private void drive(String node, LabeledEvent e) throws Exception {
    Observation o = e.event();
    if (o.type().equals("token.issued")) {
      String secret = clientSecrets.get(o.clientId());
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(node + "/t/"
          + tenant + "/oauth2/token")).timeout(Duration.ofSeconds(30))
          .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
              secret.getBytes(StandardCharsets.UTF_8)))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("X-Forwarded-For", o.ip()).header("X-Request-Id", o.id())
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        answered.add(o.id());
      }
      return;
    }
    String user = nameToUser.getOrDefault(o.account(), "nobody-" + o.account().substring(0, 12));
    boolean ok = o.type().equals("login.succeeded");
    attempt(node, o.id(), o.ip(), o.device(), user, ok ? password(user) : "wrong " + o.id(),
        false);
  }

  /** The cookie jar of simulated device {@code device}; a fresh one when there is none. */
  private CookieManager jar(String device) {
    if (device == null) {
      return new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    }
    return jars.computeIfAbsent(device, d -> new CookieManager(null, CookiePolicy.ACCEPT_ALL));
  }

  /** Sends {@code request} with {@code jar}'s cookies and keeps the cookies it sets. */
  private HttpResponse<String> send(CookieManager jar, HttpRequest.Builder request)
      throws Exception {
    URI uri = request.copy().build().uri();
    jar.get(uri, Map.of()).forEach((name, values) -> values.forEach(
        v -> request.header(name, v)));
    HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    jar.put(uri, r.headers().map());
    return r;
  }

  /** One hosted sign-in attempt; records whether it produced an event and what it was owed. */
  private void attempt(String node, String id, String ip, String device, String user,
      String password, boolean quiet) throws Exception {
    CookieManager http = jar(device);
    try {
      signIn(http, node, id, ip, user, password, quiet);
    } finally {
      // Each simulated sign-in starts signed out, as a browser does once the session ended: a
      // session cookie kept from the last one makes authorize answer at once, with no sign-in
      // and no event, and most returning users would drop out of the traffic. The device
      // cookie stays.
      for (HttpCookie c : List.copyOf(http.getCookieStore().getCookies())) {
        if (!c.getName().equals("gh_device")) {
          http.getCookieStore().remove(null, c);
        }
      }
    }
  }

  private void signIn(CookieManager http, String node, String id, String ip, String user,
      String password, boolean quiet) throws Exception {
    String authorize = node + "/t/" + tenant + "/oauth2/authorize?response_type=code&client_id="
        + webClient + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
        + "&scope=openid&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        + "&code_challenge_method=S256";
    HttpResponse<String> r = get(http, authorize);
    String url = authorize;
    for (int i = 0; i < 5 && r.statusCode() / 100 == 3; i++) {
      url = onNode(node, URI.create(url).resolve(r.headers().firstValue("Location").orElseThrow())
          .toString());
      r = get(http, url);
    }
    Matcher action = ACTION.matcher(r.body());
    if (!action.find()) {
      return;
    }
    Map<String, String> form = new LinkedHashMap<>();
    Matcher h = HIDDEN.matcher(r.body());
    while (h.find()) {
      form.put(unescape(h.group(1)), unescape(h.group(2)));
    }
    form.put("username", user);
    form.put("password", password);
    StringBuilder body = new StringBuilder();
    form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
        .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    String ua = "sim";
    HttpResponse<String> posted = send(http, HttpRequest.newBuilder(URI.create(onNode(node,
        URI.create(url).resolve(unescape(action.group(1))).toString())))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Forwarded-For", ip).header("User-Agent", agentOf(id, ua))
        .header("X-Request-Id", id)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    if (quiet) {
      return;
    }
    if (posted.statusCode() == 429) {
      refused.incrementAndGet();
      return;  // a lock or a block: no event, as offline
    }
    answered.add(id);
    if (posted.statusCode() == 303) {
      String next = posted.headers().firstValue("Location").orElse("");
      HttpResponse<String> resumed = get(http, onNode(node, next));
      if (resumed.statusCode() == 302 && resumed.headers().firstValue("Location").orElse("")
          .contains("/mfa")) {
        stepUps.incrementAndGet();
      }
    }
  }

  private final Map<String, String> agents = new ConcurrentHashMap<>();

  /** The simulated event's user agent (set before driving). */
  private String agentOf(String id, String fallback) {
    return agents.getOrDefault(id, fallback);
  }

  void agents(List<LabeledEvent> events) {
    for (LabeledEvent e : events) {
      if (e.event().userAgent() != null) {
        agents.put(e.event().id(), e.event().userAgent());
      }
    }
  }

  private HttpResponse<String> get(CookieManager http, String url) throws Exception {
    return send(http, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .GET());
  }

  /** {@code url} with its scheme, host and port replaced by {@code node}'s. */
  private static String onNode(String node, String url) {
    URI u = URI.create(url);
    String rest = u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    return node + rest;
  }

  private static String unescape(String s) {
    return s.replace("&quot;", "\"").replace("&#34;", "\"").replace("&#39;", "'")
        .replace("&#96;", "`").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  private String score(List<LabeledEvent> simulated, TrafficSimulator sim, long after) {
    Map<String, LabeledEvent> byId = new HashMap<>();
    simulated.forEach(e -> byId.put(e.event().id(), e));
    List<LabeledEvent> labelled = new ArrayList<>();
    List<Detection> found = new ArrayList<>();
    long cursor = after;
    while (true) {
      JsonNode page = admin.call("GET", "/admin/v1/tenants/" + tenant + "/events?after=" + cursor
          + "&limit=1000", null);
      for (JsonNode ev : page.get("items")) {
        String type = ev.get("type").asText();
        JsonNode p = ev.get("payload");
        long t = ev.get("created_at").asLong();
        if (type.startsWith("anomaly.") || type.equals("risk.assessed")) {
          List<String> ids = new ArrayList<>();
          p.path("event_ids").forEach(x -> ids.add(x.asText()));
          Map<String, Object> evidence = new LinkedHashMap<>();
          found.add(new Detection(p.path("detection_id").asText(), tenant,
              p.path("kind").asText(), p.path("status").asText(), p.path("time").asLong(t),
              p.path("subject").asText(), p.path("score").asDouble(), p.path("action").asText(),
              evidence, ids));
        } else {
          LabeledEvent le = byId.get(p.path("request_id").asText(""));
          if (le != null && answered.contains(le.event().id())) {
            Observation o = le.event();
            labelled.add(new LabeledEvent(new Observation(o.id(), o.tenant(), o.type(), t, o.ip(),
                o.userAgent(), o.device(), o.account(), o.userId(), o.clientId(), o.principal(),
                o.resource(), o.deny()), le.campaign(), le.kind(), le.actor()));
          }
        }
      }
      long last = page.get("last_id").asLong();
      if (page.get("items").isEmpty() || last == cursor) {
        break;
      }
      cursor = last;
    }
    labelled.sort(java.util.Comparator.comparingLong(e -> e.event().time()));
    // The evaluation day starts at the server's time of its first event: the driver falls
    // behind the schedule whenever the nodes are slower than the compressed traffic.
    long evalStart = Long.MAX_VALUE;
    for (LabeledEvent e : labelled) {
      if (byId.get(e.event().id()).event().time() >= sim.evalStart()) {
        evalStart = Math.min(evalStart, e.event().time());
      }
    }
    Evaluation.Result r = Evaluation.score(labelled, found, new HashSet<>(), evalStart, 0, 0);
    // The same events at the times the nodes wrote them, through one engine with the nodes'
    // settings: what the detectors make of this stream at this time scale. Where the nodes
    // differ from it, two nodes (the bus, the order, the request path) are why; where both
    // differ from `detect evaluate`, the compressed time is.
    Evaluation.Result one = Evaluation.run(labelled, nodeSettings, evalStart);
    return r.table() + String.format(java.util.Locale.ROOT, "%nonline: %d labelled server"
        + " events, %d detection events, %d sign-ins answered with a second-factor step,"
        + " %d attempts refused (lock or block)%n", labelled.size(), found.size(), stepUps.get(),
        refused.get())
        + "\nThe same server events (their times) through one engine, offline:\n\n"
        + one.table();
  }
}
