import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * An open-loop HTTP load driver: sends requests at a fixed arrival rate, whether or not earlier
 * ones have been answered, and measures each response time from the moment the request was due
 * (not from when it was sent), so that a stall shows in the latencies instead of slowing the load
 * down (no coordinated omission). Latencies go to an HdrHistogram (1 µs to 60 s, 3 digits).
 *
 * <p>Run by bench/latency.sh (which starts the server, makes the clients and finds the rates);
 * by hand:
 * <pre>
 * java -cp HdrHistogram-2.2.2.jar bench/latency/OpenLoop.java URL RATE SECONDS WARMUP_SECONDS \
 *     BASIC_AUTH FORM_BODY HISTOGRAM_OUT
 * </pre>
 * Prints one {@code OPENLOOP} line (rate, requests, errors, percentiles in ms) and writes the
 * percentile distribution (HdrHistogram's table, ms) to HISTOGRAM_OUT.
 */
public final class OpenLoop {

  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0]);
    double rate = Double.parseDouble(args[1]);
    int seconds = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    String basic = args[4];
    String body = args[5];
    Path out = Path.of(args[6]);

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    HttpRequest request = HttpRequest.newBuilder(uri)
        .header("Authorization", "Basic " + basic)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();

    if (warmup > 0) {
      run(client, request, rate, warmup, new Recorder(60_000_000L, 3), new AtomicLong());
    }
    Recorder recorder = new Recorder(60_000_000L, 3);
    AtomicLong errors = new AtomicLong();
    long sent = run(client, request, rate, seconds, recorder, errors);
    Histogram h = recorder.getIntervalHistogram();
    try (PrintStream ps = new PrintStream(Files.newOutputStream(out))) {
      h.outputPercentileDistribution(ps, 5, 1000.0);  // µs recorded, ms printed
    }
    System.out.printf(java.util.Locale.ROOT, "OPENLOOP rate=%.0f requests=%d answered=%d errors=%d"
        + " p50_ms=%.3f p90_ms=%.3f p95_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f%n", rate,
        sent, h.getTotalCount(), errors.get(), ms(h, 50), ms(h, 90), ms(h, 95), ms(h, 99),
        ms(h, 99.9), h.getMaxValue() / 1000.0);
    System.exit(0);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  /** Sends {@code rate} requests a second for {@code seconds}; waits for the answers. */
  private static long run(HttpClient client, HttpRequest request, double rate, int seconds,
      Recorder recorder, AtomicLong errors) throws Exception {
    long interval = (long) (1_000_000_000L / rate);
    long total = (long) (rate * seconds);
    long start = System.nanoTime();
    ConcurrentLinkedQueue<CompletableFuture<?>> pending = new ConcurrentLinkedQueue<>();
    for (long i = 0; i < total; i++) {
      long due = start + i * interval;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .whenComplete((r, e) -> {
            // Measured from when the request was due, not when it was sent.
            recorder.recordValue(Math.max(1, (System.nanoTime() - due) / 1_000));
            if (e != null || r.statusCode() != 200) {
              errors.incrementAndGet();
            }
          }));
      if (pending.size() > 10_000) {
        pending.removeIf(CompletableFuture::isDone);
      }
    }
    CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
        .exceptionally(e -> null).get(60, TimeUnit.SECONDS);
    return total;
  }
}
