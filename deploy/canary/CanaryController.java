import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shifts traffic from a stable node to a canary in nginx weight steps, watches both nodes'
 * {@code /metrics} (management port) at every step, and promotes the canary or rolls it back
 * automatically; a single-file program, JDK only ({@code deploy/canary/canary.sh} runs it).
 *
 * <pre>
 * java CanaryController.java NGINX_PREFIX LISTEN STABLE_ADDR STABLE_METRICS CANARY_ADDR CANARY_METRICS
 * java CanaryController.java ... set PERCENT     # only write nginx.conf and (re)load nginx
 * </pre>
 *
 * A step's verdict compares the canary with the stable node over the same seconds, on the OAuth
 * routes the clients call ({@code /oauth2/}): the canary fails the step when its share of
 * non-2xx answers exceeds the stable node's by more than {@code MAX_ERROR_DELTA} (default 0.01),
 * or when its p99 latency (from the histogram buckets) exceeds both {@code MAX_P99_FACTOR} (2)
 * times the stable node's and {@code MIN_P99_MS} (50 ms): a busy machine slows both nodes alike,
 * a bad release only its own. A step with fewer than {@code MIN_REQUESTS} (20) canary requests is
 * held longer. Steps: {@code STEPS} (default "10 25 50 100" percent), each held
 * {@code STEP_SECONDS} (5).
 *
 * Prints one line per step and ends with {@code promoted in N ms} (exit 0) or
 * {@code rolled back in N ms after ...} (exit 3): the time from the first weight change to the
 * end state, and for a rollback also the time from the breaching scrape to nginx serving the
 * stable node alone ({@code rollback took N ms}).
 */
public final class CanaryController {

  // The label block up to the last brace: route labels hold braces of their own
  // (route="/t/{tenant}/oauth2/token").
  private static final Pattern SAMPLE = Pattern.compile(
      "^http_server_requests_seconds_(count|bucket)\\{(.*)\\} ([0-9.eE+-]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** Counters of one node at one moment: requests by 2xx or not, and the latency buckets. */
  record Snapshot(double ok, double errors, TreeMap<Double, Double> buckets) {
    Snapshot minus(Snapshot before) {
      TreeMap<Double, Double> b = new TreeMap<>();
      buckets.forEach((le, v) -> b.put(le, v - before.buckets.getOrDefault(le, 0.0)));
      return new Snapshot(ok - before.ok, errors - before.errors, b);
    }

    double total() {
      return ok + errors;
    }

    double errorRatio() {
      return total() == 0 ? 0 : errors / total();
    }

    /** The 99th percentile in ms: the upper bound of the bucket holding it. */
    double p99Ms() {
      double total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
      if (total <= 0) {
        return 0;
      }
      for (Map.Entry<Double, Double> e : buckets.entrySet()) {
        if (e.getValue() >= 0.99 * total) {
          return e.getKey().isInfinite() ? Double.POSITIVE_INFINITY : e.getKey() * 1000;
        }
      }
      return Double.POSITIVE_INFINITY;
    }
  }

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static Snapshot scrape(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    double ok = 0;
    double errors = 0;
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (String line : r.body().split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher l = LABEL.matcher(m.group(2));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      if (!labels.getOrDefault("route", "").contains("/oauth2/")) {
        continue;
      }
      double v = Double.parseDouble(m.group(3));
      if (m.group(1).equals("count")) {
        if (labels.getOrDefault("status", "").startsWith("2")) {
          ok += v;
        } else {
          errors += v;
        }
      } else {
        String le = labels.get("le");
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        buckets.merge(bound, v, Double::sum);
      }
    }
    return new Snapshot(ok, errors, buckets);
  }

  static void nginx(Path prefix, String listen, String stable, String canary, int canaryPercent)
      throws IOException, InterruptedException {
    StringBuilder up = new StringBuilder();
    if (canaryPercent < 100) {
      up.append("    server ").append(stable).append(" weight=").append(100 - canaryPercent)
          .append(" max_fails=1 fail_timeout=2s;\n");
    }
    if (canaryPercent > 0) {
      up.append("    server ").append(canary).append(" weight=").append(canaryPercent)
          .append(" max_fails=1 fail_timeout=2s;\n");
    }
    String conf = (ProcessHandle.current().info().user().orElse("").equals("root") ? "user root;\n" : "")
        + "worker_processes 1;\npid " + prefix.resolve("nginx.pid") + ";\n"
        + "error_log " + prefix.resolve("error.log") + " warn;\n"
        + "events { worker_connections 1024; }\nhttp {\n  access_log off;\n"
        + "  client_body_temp_path " + prefix.resolve("tmp/body") + ";\n"
        + "  proxy_temp_path " + prefix.resolve("tmp/proxy") + ";\n"
        + "  upstream gatehouse {\n" + up + "  }\n"
        + "  server {\n    listen " + listen + ";\n    location / {\n"
        + "      proxy_pass http://gatehouse;\n      proxy_http_version 1.1;\n"
        + "      proxy_set_header Host $http_host;\n      proxy_connect_timeout 1s;\n"
        + "      proxy_read_timeout 10s;\n    }\n  }\n}\n";
    Files.writeString(prefix.resolve("nginx.conf"), conf);
    boolean running = Files.exists(prefix.resolve("nginx.pid"));
    List<String> cmd = new ArrayList<>(List.of("nginx", "-p", prefix.toString(), "-c",
        prefix.resolve("nginx.conf").toString()));
    if (running) {
      cmd.addAll(List.of("-s", "reload"));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("nginx: " + out);
    }
  }

  static double env(String name, double dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : Double.parseDouble(v);
  }

  public static void main(String[] args) throws Exception {
    Path prefix = Path.of(args[0]);
    String listen = args[1];
    String stable = args[2];
    String stableMetrics = args[3];
    String canary = args[4];
    String canaryMetrics = args[5];
    if (args.length > 7 && args[6].equals("set")) {
      nginx(prefix, listen, stable, canary, Integer.parseInt(args[7]));
      return;
    }
    String[] steps = System.getenv().getOrDefault("STEPS", "10 25 50 100").trim().split("\\s+");
    long stepMs = (long) (env("STEP_SECONDS", 5) * 1000);
    double maxErrorDelta = env("MAX_ERROR_DELTA", 0.01);
    double maxP99Factor = env("MAX_P99_FACTOR", 2);
    double minP99Ms = env("MIN_P99_MS", 50);
    double minRequests = env("MIN_REQUESTS", 20);

    long start = System.currentTimeMillis();
    for (String step : steps) {
      int percent = Integer.parseInt(step);
      nginx(prefix, listen, stable, canary, percent);
      if (percent == 100) {
        break; // promoted: the stable node gets nothing from now on
      }
      Snapshot s0 = scrape(stableMetrics);
      Snapshot c0 = scrape(canaryMetrics);
      long stepStart = System.currentTimeMillis();
      Snapshot s;
      Snapshot c;
      do {
        Thread.sleep(stepMs / 5);
        s = scrape(stableMetrics).minus(s0);
        c = scrape(canaryMetrics).minus(c0);
        // An early verdict as soon as the canary is clearly failing: rollback should not wait.
        String breach = breach(s, c, maxErrorDelta, maxP99Factor, minP99Ms, minRequests);
        if (breach != null) {
          long detected = System.currentTimeMillis();
          nginx(prefix, listen, stable, canary, 0);
          long now = System.currentTimeMillis();
          System.out.printf("step %d%%: canary %d requests, error ratio %.3f (stable %.3f), p99 %.0f ms"
                  + " (stable %.0f ms): %s%n", percent, (long) c.total(), c.errorRatio(),
              s.errorRatio(), c.p99Ms(), s.p99Ms(), breach);
          System.out.printf("rolled back in %d ms after the first weight change (%s at %d%%);"
              + " rollback took %d ms from detection%n", now - start, breach, percent,
              now - detected);
          System.exit(3);
        }
      } while (System.currentTimeMillis() - stepStart < stepMs || c.total() < minRequests);
      System.out.printf("step %d%%: canary %d requests, error ratio %.3f (stable %.3f), p99 %.0f ms"
              + " (stable %.0f ms): ok%n", percent, (long) c.total(), c.errorRatio(),
          s.errorRatio(), c.p99Ms(), s.p99Ms());
    }
    System.out.printf("promoted in %d ms (%s%% steps of %d s)%n", System.currentTimeMillis() - start,
        String.join("/", steps), stepMs / 1000);
  }

  /** Why the canary fails the comparison, or null while it holds. */
  static String breach(Snapshot s, Snapshot c, double maxErrorDelta, double maxP99Factor,
      double minP99Ms, double minRequests) {
    if (c.total() < minRequests) {
      return null;
    }
    if (c.errorRatio() > s.errorRatio() + maxErrorDelta) {
      return String.format("error ratio %.3f > stable %.3f + %.3f", c.errorRatio(),
          s.errorRatio(), maxErrorDelta);
    }
    double limit = Math.max(minP99Ms, maxP99Factor * s.p99Ms());
    if (c.p99Ms() > limit) {
      return String.format("p99 %.0f ms > %.0f ms", c.p99Ms(), limit);
    }
    return null;
  }

  private CanaryController() {}
}
