import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load driver and probes of the chaos suite ({@code bench/chaos.sh}); a single-file program
 * run with {@code java bench/chaos/ChaosDriver.java <mode> ...}, JDK only.
 *
 * <ul>
 *   <li>{@code setup <base> <bootstrap-admin.json> <tenant>}: creates the tenant, a JWT client and
 *       an opaque-token client through the admin API; prints their credentials as shell lines.
 *   <li>{@code load <base> <out-dir> <iterations/s> <workers>}: steady load until killed. Each
 *       iteration issues a client_credentials JWT, introspects it, and every third one issues an
 *       opaque token (a database write). A failed request (anything but a 200 with the expected
 *       body, including {@code "active":false} for a fresh token) is retried once at once: the one
 *       client retry. Writes {@code buckets} (every 100 ms: epoch ms, then per kind token,
 *       introspect, opaque: ok, failed first attempts, failed after the retry) and {@code failures}
 *       (one line per failed attempt: epoch ms, kind, attempt, status or exception).
 *   <li>{@code revoke <issue-node> <revoke-node> <check-node> <trials>}: per trial, issues a JWT at
 *       one node, introspects it at the check node (active), revokes it at another, then polls the
 *       check node (four pollers) until it answers inactive. Prints the worst and median time from the
 *       revocation's answer to the first inactive answer at the check node, in ms, the number of
 *       trials over 2 s, and the median time the revocation call took.
 *   <li>{@code propagation <issue-node> <revoke-node> <check-node> <since-epoch-ms> <timeout-s>}:
 *       repeats such trials until one is within 1 s again; prints the ms since the given time.
 * </ul>
 * Credentials come from the environment: CHAOS_TENANT, CHAOS_JWT_ID, CHAOS_JWT_SECRET,
 * CHAOS_OPQ_ID, CHAOS_OPQ_SECRET.
 */
public final class ChaosDriver {

  private static final Pattern STRING_FIELD = Pattern.compile("\"([a-z_]+)\"\\s*:\\s*\"([^\"]*)\"");
  static final String[] KINDS = {"token", "introspect", "opaque"};
  /** Set-up is not measured: on a machine that busy, a first request may take this long. */
  static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "setup" -> setup(args[1], Path.of(args[2]), args[3]);
      case "load" -> load(args[1], Path.of(args[2]), Integer.parseInt(args[3]),
          Integer.parseInt(args[4]));
      case "revoke" -> System.exit(revoke(args[1], args[2], args[3], Integer.parseInt(args[4])));
      case "propagation" -> System.exit(propagation(args[1], args[2], args[3],
          Long.parseLong(args[4]), Integer.parseInt(args[5])));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  static String field(String json, String name) {
    Matcher m = STRING_FIELD.matcher(json);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(2);
      }
    }
    return null;
  }

  static String basic(String id, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret))
        .getBytes(StandardCharsets.UTF_8));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static HttpRequest.Builder form(String url, String auth, String body) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
        .header("Authorization", auth)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  // ---- setup ----

  static void setup(String base, Path adminFile, String tenant) throws Exception {
    String admin = Files.readString(adminFile);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> t = http.send(form(base + "/t/system/oauth2/token",
        basic(field(admin, "client_id"), field(admin, "client_secret")),
        "grant_type=client_credentials&scope=admin").timeout(SETUP_TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
    String token = field(t.body(), "access_token");
    if (token == null) {
      throw new IllegalStateException("no admin token: " + t.statusCode() + " " + t.body());
    }
    HttpResponse<String> created = post(http, base + "/admin/v1/tenants", token,
        "{\"name\":\"" + tenant + "\"}");
    if (created.statusCode() != 201 && created.statusCode() != 409) {
      throw new IllegalStateException("tenant: " + created.statusCode() + " " + created.body());
    }
    String[] jwt = client(http, base, token, tenant, "chaos-jwt", "jwt");
    String[] opq = client(http, base, token, tenant, "chaos-opaque", "opaque");
    System.out.println("CHAOS_TENANT=" + tenant);
    System.out.println("CHAOS_JWT_ID=" + jwt[0]);
    System.out.println("CHAOS_JWT_SECRET=" + jwt[1]);
    System.out.println("CHAOS_OPQ_ID=" + opq[0]);
    System.out.println("CHAOS_OPQ_SECRET=" + opq[1]);
  }

  static String[] client(HttpClient http, String base, String token, String tenant, String name,
      String format) throws Exception {
    HttpResponse<String> r = post(http, base + "/admin/v1/tenants/" + tenant + "/clients", token,
        "{\"name\":\"" + name + "\",\"token_format\":\"" + format + "\"}");
    if (r.statusCode() != 201) {
      throw new IllegalStateException("client: " + r.statusCode() + " " + r.body());
    }
    return new String[] {field(r.body(), "client_id"), field(r.body(), "client_secret")};
  }

  static HttpResponse<String> post(HttpClient http, String url, String bearer, String json)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(SETUP_TIMEOUT)
        .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // ---- load ----

  /** Counters per kind: ok, failed first attempt, failed after the retry. */
  static final AtomicLongArray COUNTS = new AtomicLongArray(9);
  static PrintWriter failures;

  static void load(String base, Path out, int rate, int workers) throws Exception {
    Files.createDirectories(out);
    failures = new PrintWriter(Files.newBufferedWriter(out.resolve("failures")), true);
    PrintWriter buckets = new PrintWriter(Files.newBufferedWriter(out.resolve("buckets")), true);
    // One TCP connection per request (Connection: close): a load balancer reload or a node going
    // away must show up as a failed request, never as a reused connection closed under us.
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "connection");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    String tenant = System.getenv("CHAOS_TENANT");
    String token = base + "/t/" + tenant + "/oauth2/token";
    String introspect = base + "/t/" + tenant + "/oauth2/introspect";
    String jwtAuth = basic(System.getenv("CHAOS_JWT_ID"), System.getenv("CHAOS_JWT_SECRET"));
    String opqAuth = basic(System.getenv("CHAOS_OPQ_ID"), System.getenv("CHAOS_OPQ_SECRET"));
    long intervalNanos = 1_000_000_000L / rate;
    AtomicLong next = new AtomicLong(System.nanoTime());
    var pool = Executors.newVirtualThreadPerTaskExecutor();
    for (int w = 0; w < workers; w++) {
      pool.submit(() -> {
        long i = 0;
        while (true) {
          // A shared schedule: a steady rate whatever the latency, unless every worker is stuck.
          long slot = next.getAndAdd(intervalNanos);
          long wait = slot - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } else if (wait < -1_000_000_000L) {
            next.compareAndSet(next.get(), System.nanoTime());
          }
          String body = call(http, 0, form(token, jwtAuth, "grant_type=client_credentials")
              .header("Connection", "close").build(), "\"access_token\"");
          if (body != null) {
            String at = field(body, "access_token");
            call(http, 1, form(introspect, jwtAuth, "token=" + enc(at))
                .header("Connection", "close").build(), "\"active\":true");
          }
          if (i++ % 3 == 0) {
            call(http, 2, form(token, opqAuth, "grant_type=client_credentials")
                .header("Connection", "close").build(), "\"access_token\"");
          }
        }
      });
    }
    long[] last = new long[9];
    long tick = System.currentTimeMillis() / 100 * 100 + 100;
    while (true) {
      long sleep = tick - System.currentTimeMillis();
      if (sleep > 0) {
        Thread.sleep(sleep);
      }
      StringBuilder line = new StringBuilder().append(tick);
      for (int k = 0; k < 9; k++) {
        long v = COUNTS.get(k);
        line.append(' ').append(v - last[k]);
        last[k] = v;
      }
      buckets.println(line);
      tick += 100;
    }
  }

  /** One request with one client retry; the body of the successful answer, or null. */
  static String call(HttpClient http, int kind, HttpRequest req, String expect) {
    for (int attempt = 1; attempt <= 2; attempt++) {
      String detail;
      try {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains(expect)) {
          COUNTS.incrementAndGet(kind * 3);
          return r.body();
        }
        detail = r.statusCode() + " " + r.body().replaceAll("\\s+", " ");
        if (detail.length() > 160) {
          detail = detail.substring(0, 160);
        }
      } catch (IOException e) {
        detail = e.getClass().getSimpleName() + " " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      COUNTS.incrementAndGet(kind * 3 + attempt);
      failures.println(System.currentTimeMillis() + " " + KINDS[kind] + " " + attempt + " "
          + detail);
    }
    return null;
  }

  // ---- revocation across nodes ----

  /** The issue's target: inactive at the check node within this many ms of the revocation. */
  static final long DEADLINE_MS = 100;

  static int revoke(String issueNode, String revokeNode, String checkNode, int trials)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<Double> times = new ArrayList<>();
    List<Double> calls = new ArrayList<>();
    int failed = 0;
    int lateProbes = 0;
    for (int t = 0; t < trials; t++) {
      double[] ms = trial(http, issueNode, revokeNode, checkNode);
      if (ms[0] < 0) {
        failed++;
        ms[0] = 2000;
      }
      if (ms[2] == 0) {
        lateProbes++;
      }
      times.add(ms[0]);
      calls.add(ms[1]);
    }
    Collections.sort(times);
    Collections.sort(calls);
    System.out.printf("%.1f %.1f %d %.1f %d%n", times.get(times.size() - 1),
        times.get(times.size() / 2), failed, calls.get(calls.size() / 2), lateProbes);
    return failed == 0 && lateProbes == 0 ? 0 : 1;
  }

  /**
   * Repeats revocation trials until one is seen at the check node within 1 s again (through the
   * invalidation bus, or the next poll of the node's copy of the revocation list, every second).
   * Prints the ms from {@code sinceEpochMs} to then, or -1.
   */
  static int propagation(String issueNode, String revokeNode, String checkNode, long sinceEpochMs,
      int timeoutSeconds) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      double ms;
      try {
        ms = trial(http, issueNode, revokeNode, checkNode)[0];
      } catch (IllegalStateException | IOException e) {
        ms = -1;
      }
      if (ms >= 0 && ms <= 1000) {
        System.out.println(System.currentTimeMillis() - sinceEpochMs);
        return 0;
      }
    }
    System.out.println(-1);
    return 1;
  }

  /**
   * One revocation trial: ms from the revocation's answer (the revocation is done) to the first
   * inactive answer at the check node (-1 after 2 s), ms the revocation call took, and whether a
   * check sent to the check node {@value #DEADLINE_MS} ms after the revocation's answer said
   * inactive (1) or not (0).
   *
   * <p>The first figure includes the check request's own time in the node's queue under load, so
   * it is an upper bound on how long the change took to reach the node; the probe tests the
   * requirement itself: a check made at node 3 100 ms after the revocation finds the token
   * inactive, however long that check then waits to be served.
   */
  static double[] trial(HttpClient http, String issueNode, String revokeNode, String checkNode)
      throws Exception {
    String tenant = System.getenv("CHAOS_TENANT");
    String auth = basic(System.getenv("CHAOS_JWT_ID"), System.getenv("CHAOS_JWT_SECRET"));
    String body = http.send(form(issueNode + "/t/" + tenant + "/oauth2/token", auth,
        "grant_type=client_credentials").build(), HttpResponse.BodyHandlers.ofString()).body();
    String at = field(body, "access_token");
    if (at == null) {
      throw new IllegalStateException("no token: " + body);
    }
    HttpRequest check = form(checkNode + "/t/" + tenant + "/oauth2/introspect", auth,
        "token=" + enc(at)).build();
    // Warm the check node: it has verified the token and cached "not revoked".
    if (!http.send(check, HttpResponse.BodyHandlers.ofString()).body()
        .contains("\"active\":true")) {
      throw new IllegalStateException("fresh token inactive at the check node");
    }
    long t0 = System.nanoTime();
    HttpResponse<String> r = http.send(form(revokeNode + "/t/" + tenant + "/oauth2/revoke",
        auth, "token=" + enc(at)).build(), HttpResponse.BodyHandlers.ofString());
    long t1 = System.nanoTime();
    if (r.statusCode() != 200) {
      throw new IllegalStateException("revoke: " + r.statusCode() + " " + r.body());
    }
    double call = (t1 - t0) / 1e6;
    // Four pollers, back to back: the first inactive answer comes within a quarter of a round
    // trip of the change, not a whole one. The time taken is when that answer arrived.
    java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong(-1);
    List<Thread> pollers = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      pollers.add(Thread.ofVirtual().start(() -> {
        try {
          while (seen.get() < 0 && System.nanoTime() - t1 < 2_000_000_000L) {
            String answer = http.send(check, HttpResponse.BodyHandlers.ofString()).body();
            if (answer.contains("\"active\":false")) {
              seen.compareAndSet(-1, System.nanoTime());
              return;
            }
            Thread.sleep(0, 250_000);
          }
        } catch (IOException | InterruptedException e) {
          // Counted as not seen.
        }
      }));
      Thread.sleep(0, 250_000);
    }
    long wait = t1 + DEADLINE_MS * 1_000_000L - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
    }
    boolean probeInactive = http.send(check, HttpResponse.BodyHandlers.ofString()).body()
        .contains("\"active\":false");
    for (Thread p : pollers) {
      p.join();
    }
    return new double[] {seen.get() < 0 ? -1 : (seen.get() - t1) / 1e6, call,
        probeInactive ? 1 : 0};
  }
}
