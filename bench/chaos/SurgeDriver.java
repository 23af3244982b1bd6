import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chaos suite's driver for people and floods ({@code bench/chaos/9-shed.sh},
 * {@code 10-users.sh}, {@code 11-exhaustion.sh}); one file, JDK only, run with {@code java SurgeDriver.java <mode> ...}.
 *
 * <p>Each virtual user is a virtual thread holding its own keep-alive HTTP/1.1 connection (a plain
 * socket: the JDK's HttpClient shares a pool and would not hold one connection per user), so
 * {@code users} really has that many connections open at the balancer.
 *
 * <ul>
 *   <li>{@code setup <base> <bootstrap-admin.json> <tenant>}: a web client (authorization code,
 *       refresh), a user, a policy-enforcement client and a policy; prints them as shell lines.
 *   <li>{@code signin <base> <count> <concurrency>}: hosted-page sign-ins (authorize, login with the
 *       password: Argon2id, consent, code exchange with PKCE); prints {@code ok failed}.
 *   <li>{@code flood <node> <seconds> <flooders>}: {@code flooders} connections introspecting back
 *       to back at one node while 4 issue tokens and 2 sign in there; one line per kind.
 *   <li>{@code users <base> <seconds> <users> <ramp-seconds> <think-ms>}: the mixed profile, users
 *       started evenly over the ramp, each one kind of caller (app users signed in before the
 *       ramp), each waiting about think-ms between requests; one line per kind, a total, and
 *       {@code measured_ms N node_cpu_ticks N} (the nodes named by SURGE_NODE_PIDS).
 * </ul>
 * Lines per kind: {@code kind ok shed503 failed p50_ms p95_ms p99_ms}. Credentials from the
 * environment: CHAOS_TENANT, CHAOS_JWT_ID/SECRET, SURGE_WEB_ID/SECRET, SURGE_PEP_ID/SECRET,
 * SURGE_USER, SURGE_PASSWORD.
 */
public final class SurgeDriver {

  static final String REDIRECT = "https://app.example.com/callback";
  static final Pattern FORM = Pattern.compile("<form method=\"post\"[^>]* action=\"([^\"]*)\"");
  static final Pattern HIDDEN =
      Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");
  static final Pattern FIELD = Pattern.compile("\"([a-z_]+)\"\\s*:\\s*\"([^\"]*)\"");
  static final SecureRandom RANDOM = new SecureRandom();
  static final String[] KINDS = {"signin", "refresh", "client_credentials", "introspect",
      "policy"};
  /** Percent of a user's requests of each kind, in the order of KINDS. */
  static final int[] WEIGHTS = {1, 9, 20, 40, 30};

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "setup" -> setup(args[1], Path.of(args[2]), args[3]);
      case "signin" -> signinMode(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "flood" -> flood(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "users" -> users(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  // ---- a keep-alive HTTP/1.1 connection ----

  record Resp(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> v = headers.get(name);
      return v == null ? null : v.get(0);
    }
  }

  static final AtomicInteger OPEN = new AtomicInteger();
  static final AtomicInteger PEAK = new AtomicInteger();

  static final class Conn implements AutoCloseable {
    final String host;
    final int port;
    Socket socket;
    InputStream in;
    OutputStream out;
    boolean reused;

    Conn(String base) {
      URI u = URI.create(base);
      host = u.getHost();
      port = u.getPort();
    }

    Resp send(String method, String target, Map<String, String> headers, String body)
        throws IOException {
      for (int attempt = 0; ; attempt++) {
        if (socket == null) {
          open();
        }
        try {
          write(method, target, headers, body);
          Resp r = read();
          reused = true;
          if ("close".equalsIgnoreCase(r.header("connection"))) {
            close();
          }
          return r;
        } catch (StaleConnection e) {
          // The server closed an idle keep-alive connection before reading: nothing was done.
          close();
          if (attempt > 0) {
            throw e;
          }
        } catch (IOException e) {
          close();
          throw e;
        }
      }
    }

    void open() throws IOException {
      socket = new Socket();
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(30_000);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 8192);
      out = socket.getOutputStream();
      reused = false;
      int now = OPEN.incrementAndGet();
      PEAK.accumulateAndGet(now, Math::max);
    }

    void write(String method, String target, Map<String, String> headers, String body)
        throws IOException {
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      StringBuilder sb = new StringBuilder(256).append(method).append(' ').append(target)
          .append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port).append("\r\n");
      headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
      if (body != null) {
        sb.append("Content-Length: ").append(b.length).append("\r\n");
      }
      sb.append("\r\n");
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      out.write(b);
      out.flush();
    }

    Resp read() throws IOException {
      String status = line(true);
      int code = Integer.parseInt(status.substring(9, 12));
      Map<String, List<String>> h = new LinkedHashMap<>();
      for (String l = line(false); !l.isEmpty(); l = line(false)) {
        int colon = l.indexOf(':');
        h.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            k -> new ArrayList<>()).add(l.substring(colon + 1).trim());
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      List<String> te = h.get("transfer-encoding");
      if (te != null && te.get(0).equalsIgnoreCase("chunked")) {
        for (int n = Integer.parseInt(line(false).split(";")[0].trim(), 16); n > 0;
            n = Integer.parseInt(line(false).split(";")[0].trim(), 16)) {
          body.write(in.readNBytes(n));
          line(false);
        }
        line(false);
      } else if (h.containsKey("content-length")) {
        body.write(in.readNBytes(Integer.parseInt(h.get("content-length").get(0))));
      }
      return new Resp(code, h, body.toString(StandardCharsets.UTF_8));
    }

    String line(boolean first) throws IOException {
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          if (first && sb.isEmpty() && reused) {
            throw new StaleConnection();
          }
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          sb.append((char) c);
        }
      }
      return sb.toString();
    }

    @Override
    public void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closed either way.
        }
        socket = null;
        OPEN.decrementAndGet();
      }
    }
  }

  static final class StaleConnection extends IOException {}

  // ---- helpers ----

  static String env(String name) {
    String v = System.getenv(name);
    if (v == null) {
      throw new IllegalStateException("missing " + name);
    }
    return v;
  }

  static String field(String json, String name) {
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(2);
      }
    }
    return null;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String basic(String id, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret))
        .getBytes(StandardCharsets.UTF_8));
  }

  static String b64url(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String unescape(String s) {
    return s.replace("&quot;", "\"").replace("&#34;", "\"").replace("&#39;", "'")
        .replace("&lt;", "<").replace("&gt;", ">").replace("&#96;", "`").replace("&amp;", "&");
  }

  static Map<String, String> form(String auth) {
    Map<String, String> h = new LinkedHashMap<>();
    if (auth != null) {
      h.put("Authorization", auth);
    }
    h.put("Content-Type", "application/x-www-form-urlencoded");
    return h;
  }

  static String tenantPath() {
    return "/t/" + env("CHAOS_TENANT");
  }

  static Resp post(Conn c, String path, String auth, String body) throws IOException {
    return c.send("POST", path, form(auth), body);
  }

  // ---- setup ----

  static void setup(String base, Path adminFile, String tenant) throws Exception {
    String admin = Files.readString(adminFile);
    try (Conn c = new Conn(base)) {
      Resp t = post(c, "/t/system/oauth2/token", basic(field(admin, "client_id"),
          field(admin, "client_secret")), "grant_type=client_credentials&scope=admin");
      String bearer = "Bearer " + field(t.body(), "access_token");
      Map<String, String> json = Map.of("Authorization", bearer, "Content-Type",
          "application/json");
      String clients = "/admin/v1/tenants/" + tenant + "/clients";
      Resp web = c.send("POST", clients, json, "{\"name\":\"surge-web\",\"grant_types\":"
          + "[\"authorization_code\",\"refresh_token\"],\"redirect_uris\":[\"" + REDIRECT
          + "\"],\"scope\":\"openid offline_access\"}");
      Resp pep = c.send("POST", clients, json, "{\"name\":\"surge-pep\",\"scope\":\"authorize\"}");
      String password = "surge password " + b64url(RANDOM.generateSeed(9));
      Resp user = c.send("POST", "/admin/v1/tenants/" + tenant + "/users", json,
          "{\"username\":\"alice\",\"password\":\"" + password + "\"}");
      Resp policy = c.send("PUT", "/admin/v1/tenants/" + tenant + "/policies", json,
          "{\"policies\":\"permit(principal, action == Action::\\\"view\\\", resource);\","
          + "\"message\":\"surge\"}");
      for (Resp r : List.of(web, pep, user, policy)) {
        if (r.status() / 100 != 2) {
          throw new IllegalStateException("setup: " + r.status() + " " + r.body());
        }
      }
      System.out.println("SURGE_WEB_ID=" + field(web.body(), "client_id"));
      System.out.println("SURGE_WEB_SECRET=" + field(web.body(), "client_secret"));
      System.out.println("SURGE_PEP_ID=" + field(pep.body(), "client_id"));
      System.out.println("SURGE_PEP_SECRET=" + field(pep.body(), "client_secret"));
      System.out.println("SURGE_USER=alice");
      System.out.println("SURGE_PASSWORD='" + password + "'");
    }
  }

  // ---- one sign-in through the hosted pages; returns the refresh token, null on failure ----

  /** Why this thread's last {@link #signIn} returned null: the status and the start of the page. */
  static final ThreadLocal<String> SIGN_IN_FAILURE = new ThreadLocal<>();
  /** The status of this thread's last failed {@link #signIn} (0: not an HTTP answer). */
  static final ThreadLocal<Integer> SIGN_IN_STATUS = ThreadLocal.withInitial(() -> 0);

  static String failed(String step, Resp r) {
    SIGN_IN_STATUS.set(r == null ? 0 : r.status());
    SIGN_IN_FAILURE.set(step + (r == null ? "" : ": " + r.status() + " "
        + r.body().substring(0, Math.min(160, r.body().length())).replaceAll("\\s+", " ")));
    return null;
  }

  static String signIn(Conn c) throws IOException {
    byte[] v = new byte[32];
    ThreadLocalRandom.current().nextBytes(v);
    String verifier = b64url(v);
    String challenge;
    try {
      challenge = b64url(MessageDigest.getInstance("SHA-256")
          .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String state = b64url(verifier.substring(0, 9).getBytes(StandardCharsets.US_ASCII));
    String target = tenantPath() + "/oauth2/authorize?response_type=code&client_id="
        + enc(env("SURGE_WEB_ID")) + "&redirect_uri=" + enc(REDIRECT)
        + "&scope=openid%20offline_access&state=" + state + "&nonce=" + state
        + "&code_challenge=" + challenge + "&code_challenge_method=S256";
    Map<String, String> jar = new LinkedHashMap<>();
    Resp r = browse(c, "GET", target, jar, null);
    for (int step = 0; step < 10; step++) {
      if (r.status() >= 300 && r.status() < 400) {
        String next = URI.create("http://x").resolve(r.header("location")).toString();
        if (next.startsWith(REDIRECT)) {
          Matcher m = Pattern.compile("[?&]code=([^&]+)").matcher(next);
          if (!m.find()) {
            return failed("redirect without a code " + next, null);
          }
          Resp t = post(c, tenantPath() + "/oauth2/token", basic(env("SURGE_WEB_ID"),
              env("SURGE_WEB_SECRET")), "grant_type=authorization_code&code=" + m.group(1)
              + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier=" + verifier);
          return t.status() == 200 ? field(t.body(), "refresh_token") : failed("code exchange", t);
        }
        r = browse(c, "GET", pathOf(next), jar, null);
        continue;
      }
      if (r.status() != 200) {
        return failed("page", r);
      }
      Matcher action = FORM.matcher(r.body());
      if (!action.find()) {
        return failed("no form on the page", r);
      }
      // The first form's fields only: the login page carries a passkey form too.
      int end = r.body().indexOf("</form>", action.end());
      String first = r.body().substring(action.end(), end < 0 ? r.body().length() : end);
      StringBuilder body = new StringBuilder();
      Matcher hidden = HIDDEN.matcher(first);
      while (hidden.find()) {
        body.append(body.isEmpty() ? "" : "&").append(enc(unescape(hidden.group(1)))).append('=')
            .append(enc(unescape(hidden.group(2))));
      }
      if (first.contains("name=\"password\"")) {
        body.append("&username=").append(enc(env("SURGE_USER"))).append("&password=")
            .append(enc(env("SURGE_PASSWORD")));
      } else {
        body.append("&decision=allow");
      }
      r = browse(c, "POST", pathOf(unescape(action.group(1))), jar, body.toString());
    }
    return failed("more than 10 steps", r);
  }

  static String pathOf(String url) {
    URI u = URI.create(url);
    return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }

  static Resp browse(Conn c, String method, String target, Map<String, String> jar, String body)
      throws IOException {
    Map<String, String> h = body == null ? new LinkedHashMap<>() : form(null);
    if (!jar.isEmpty()) {
      StringBuilder cookie = new StringBuilder();
      jar.forEach((k, v) -> cookie.append(cookie.isEmpty() ? "" : "; ").append(k).append('=')
          .append(v));
      h.put("Cookie", cookie.toString());
    }
    Resp r = c.send(method, target, h, body);
    for (String set : r.headers().getOrDefault("set-cookie", List.of())) {
      String pair = set.split(";", 2)[0];
      int eq = pair.indexOf('=');
      jar.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
    }
    return r;
  }

  static void signinMode(String base, int count, int concurrency) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      threads.add(Thread.ofVirtual().start(() -> {
        try (Conn c = new Conn(base)) {
          while (next.getAndIncrement() < count) {
            try {
              if (signIn(c) != null) {
                ok.incrementAndGet();
              }
            } catch (IOException e) {
              c.close();
            }
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    System.out.println(ok.get() + " " + (count - ok.get()));
  }

  // ---- measurements ----

  /** Per kind: outcome counts and a latency histogram in ms (last bucket: 60 s and over). */
  static final class Stats {
    final AtomicLongArray counts = new AtomicLongArray(KINDS.length * 3);
    final AtomicLongArray hist = new AtomicLongArray(KINDS.length * 60_001);
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

    void record(int kind, int outcome, long nanos) {
      counts.incrementAndGet(kind * 3 + outcome);
      if (outcome == 0) {
        hist.incrementAndGet(kind * 60_001 + (int) Math.min(nanos / 1_000_000, 60_000));
      }
    }

    final java.util.concurrent.atomic.AtomicIntegerArray errorsOfKind =
        new java.util.concurrent.atomic.AtomicIntegerArray(KINDS.length);

    void error(int kind, String what) {
      // A few of each kind: a flood's errors must not hide the others'.
      if (errorsOfKind.incrementAndGet(kind) <= 5) {
        errors.add(KINDS[kind] + " " + what);
      }
    }

    long percentile(int kind, double p) {
      long total = 0;
      for (int i = 0; i < 60_001; i++) {
        total += hist.get(kind * 60_001 + i);
      }
      long want = (long) Math.ceil(total * p);
      long seen = 0;
      for (int i = 0; i < 60_001; i++) {
        seen += hist.get(kind * 60_001 + i);
        if (seen >= want && want > 0) {
          return i;
        }
      }
      return -1;
    }

    void print(int[] kinds) {
      long ok = 0;
      long shed = 0;
      long failed = 0;
      for (int k : kinds) {
        long o = counts.get(k * 3);
        long s = counts.get(k * 3 + 1);
        long f = counts.get(k * 3 + 2);
        ok += o;
        shed += s;
        failed += f;
        System.out.printf("%s %d %d %d %d %d %d%n", KINDS[k], o, s, f, percentile(k, 0.5),
            percentile(k, 0.95), percentile(k, 0.99));
      }
      System.out.printf("total %d %d %d peak_connections %d%n", ok, shed, failed, PEAK.get());
      errors.forEach(e -> System.err.println("error: " + e));
    }
  }

  /** One request of {@code kind} on the user's connection; records its outcome. */
  static final class User {
    final Conn c;
    final Stats stats;
    String accessToken;
    String refreshToken;
    String pepToken;

    User(Conn c, Stats stats) {
      this.c = c;
      this.stats = stats;
    }

    void run(int kind) {
      long t0 = System.nanoTime();
      int outcome;
      try {
        outcome = switch (kind) {
          case 0 -> {
            String rt = signIn(c);
            if (rt != null) {
              refreshToken = rt;
              yield 0;
            }
            stats.error(0, SIGN_IN_FAILURE.get());
            yield SIGN_IN_STATUS.get() == 503 ? 1 : 2;
          }
          case 1 -> refresh();
          case 2 -> clientCredentials();
          case 3 -> introspect();
          default -> decide();
        };
      } catch (IOException e) {
        c.close();
        stats.error(kind, e.toString());
        outcome = 2;
      }
      stats.record(kind, outcome, System.nanoTime() - t0);
    }

    int judge(int kind, Resp r, boolean ok) {
      if (ok) {
        return 0;
      }
      stats.error(kind, r.status() + " " + r.body().substring(0, Math.min(120, r.body().length())));
      return r.status() == 503 ? 1 : 2;
    }

    int refresh() throws IOException {
      if (refreshToken == null) {
        refreshToken = signIn(c);
        if (refreshToken == null) {
          return 2;
        }
      }
      Resp r = post(c, tenantPath() + "/oauth2/token", basic(env("SURGE_WEB_ID"),
          env("SURGE_WEB_SECRET")), "grant_type=refresh_token&refresh_token=" + refreshToken);
      if (r.status() == 200) {
        refreshToken = field(r.body(), "refresh_token");
      }
      return judge(1, r, r.status() == 200);
    }

    int clientCredentials() throws IOException {
      Resp r = post(c, tenantPath() + "/oauth2/token", basic(env("CHAOS_JWT_ID"),
          env("CHAOS_JWT_SECRET")), "grant_type=client_credentials");
      if (r.status() == 200) {
        accessToken = field(r.body(), "access_token");
      }
      return judge(2, r, r.status() == 200);
    }

    int introspect() throws IOException {
      if (accessToken == null && clientCredentials() != 0) {
        return 2;
      }
      Resp r = post(c, tenantPath() + "/oauth2/introspect", basic(env("CHAOS_JWT_ID"),
          env("CHAOS_JWT_SECRET")), "token=" + accessToken);
      return judge(3, r, r.status() == 200 && r.body().contains("\"active\":true"));
    }

    int decide() throws IOException {
      if (pepToken == null) {
        Resp t = post(c, tenantPath() + "/oauth2/token", basic(env("SURGE_PEP_ID"),
            env("SURGE_PEP_SECRET")), "grant_type=client_credentials&scope=authorize");
        if (t.status() != 200) {
          return judge(4, t, false);
        }
        pepToken = field(t.body(), "access_token");
      }
      Resp r = c.send("POST", tenantPath() + "/v1/authorize", Map.of("Authorization",
          "Bearer " + pepToken, "Content-Type", "application/json"),
          "{\"principal\":\"User::\\\"alice\\\"\",\"action\":\"Action::\\\"view\\\"\","
          + "\"resource\":\"Doc::\\\"d1\\\"\"}");
      return judge(4, r, r.status() == 200 && r.body().contains("allow"));
    }
  }

  static int pick() {
    int x = ThreadLocalRandom.current().nextInt(100);
    for (int k = 0; k < WEIGHTS.length; k++) {
      x -= WEIGHTS[k];
      if (x < 0) {
        return k;
      }
    }
    return WEIGHTS.length - 1;
  }

  static void users(String base, int seconds, int users, int ramp, int thinkMs)
      throws Exception {
    Stats stats = new Stats();
    // Each user is one kind of caller for the whole run, drawn by WEIGHTS: a person signing in,
    // a browser app refreshing its tokens, a service, a resource server, a policy enforcement
    // point. An app refreshes a token it got when its user signed in earlier, so those sign-ins
    // happen before the ramp (not measured); drawing a kind per request instead made every user
    // that once drew "refresh" sign in first, and turned 1% sign-ins into about 7% Argon2id.
    int[] persona = new int[users];
    for (int i = 0; i < users; i++) {
      persona[i] = pick();
    }
    String[] refreshTokens = signInAppUsers(base, persona);
    long cpuBefore = nodeCpuTicks();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>(users);
    for (int i = 0; i < users; i++) {
      long startAt = start + (long) i * ramp * 1_000_000_000L / users;
      int kind = persona[i];
      String refreshToken = refreshTokens[i];
      threads.add(Thread.ofVirtual().start(() -> {
        try (Conn c = new Conn(base)) {
          sleepUntil(startAt);
          User u = new User(c, stats);
          u.refreshToken = refreshToken;
          while (System.nanoTime() < end) {
            u.run(kind);
            // Think time: exponential around thinkMs, so users do not march in step.
            double think = -Math.log(1 - ThreadLocalRandom.current().nextDouble()) * thinkMs;
            sleepUntil(Math.min(end, System.nanoTime() + (long) (think * 1_000_000)));
          }
        }
      }));
    }
    Thread reporter = Thread.ofVirtual().start(() -> {
      while (System.nanoTime() < end) {
        sleepUntil(System.nanoTime() + 5_000_000_000L);
        long done = 0;
        for (int i = 0; i < stats.counts.length(); i++) {
          done += stats.counts.get(i);
        }
        System.err.printf("[users] t=%ds open=%d requests=%d%n",
            (System.nanoTime() - start) / 1_000_000_000L, OPEN.get(), done);
      }
    });
    for (Thread t : threads) {
      t.join();
    }
    reporter.interrupt();
    stats.print(new int[] {0, 1, 2, 3, 4});
    // The measured run alone, without the sign-ins before it: its length and the nodes' CPU.
    System.out.printf("measured_ms %d node_cpu_ticks %d%n", (System.nanoTime() - start) / 1_000_000,
        nodeCpuTicks() - cpuBefore);
  }

  /**
   * Signs in, before the measured run, every user whose persona is a browser app (kind 1), four
   * at a time, retrying a shed or failed sign-in up to five times; their refresh tokens by user.
   */
  static String[] signInAppUsers(String base, int[] persona) throws Exception {
    String[] tokens = new String[persona.length];
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger retries =
        new java.util.concurrent.atomic.AtomicInteger();
    long t0 = System.nanoTime();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      workers.add(Thread.ofPlatform().start(() -> {
        for (int i = next.getAndIncrement(); i < persona.length; i = next.getAndIncrement()) {
          if (persona[i] != 1) {
            continue;
          }
          for (int attempt = 0; attempt < 5 && tokens[i] == null; attempt++) {
            try (Conn c = new Conn(base)) {
              tokens[i] = signIn(c);
            } catch (IOException e) {
              tokens[i] = null;
            }
            if (tokens[i] == null) {
              retries.incrementAndGet();
              sleepUntil(System.nanoTime() + 1_000_000_000L);
            }
          }
        }
      }));
    }
    for (Thread t : workers) {
      t.join();
    }
    long apps = java.util.Arrays.stream(persona).filter(k -> k == 1).count();
    long signedIn = java.util.Arrays.stream(tokens).filter(java.util.Objects::nonNull).count();
    System.err.printf("[users] before the ramp: %d of %d app users signed in in %d s (%d retries)%n",
        signedIn, apps, (System.nanoTime() - t0) / 1_000_000_000L, retries.get());
    return tokens;
  }

  /** User plus system CPU ticks of the processes named in SURGE_NODE_PIDS (0 without it). */
  static long nodeCpuTicks() {
    long ticks = 0;
    for (String pid : System.getenv().getOrDefault("SURGE_NODE_PIDS", "").trim().split("\\s+")) {
      if (pid.isEmpty()) {
        continue;
      }
      try {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 14 and 15 of /proc/PID/stat (utime, stime), counted after the command name.
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    }
    return ticks;
  }

  static void flood(String node, int seconds, int flooders) throws Exception {
    Stats stats = new Stats();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    // Measured kinds first, each with its own connection, on platform threads: on virtual ones
    // they waited in this driver's scheduler queue behind the 800 flooders, and their latency was
    // the driver's (people signing in do not share a process with the flood).
    for (int i = 0; i < 6; i++) {
      int kind = i < 4 ? 2 : 0;
      threads.add(Thread.ofPlatform().start(() -> {
        try (Conn c = new Conn(node)) {
          User u = new User(c, stats);
          while (System.nanoTime() < end) {
            u.run(kind);
          }
        }
      }));
    }
    for (int i = 0; i < flooders; i++) {
      threads.add(Thread.ofVirtual().start(() -> {
        try (Conn c = new Conn(node)) {
          User u = new User(c, stats);
          while (System.nanoTime() < end) {
            u.run(3);
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    stats.print(new int[] {0, 2, 3});
  }

  static void sleepUntil(long nanoTime) {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
