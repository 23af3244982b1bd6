package dev.gatehouse.server.observe;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's meters, exposed at {@code /metrics} in the Prometheus text format: HTTP requests by
 * route, method and status with latency histograms, the JVM, and the connection pool.
 */
public final class Metrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private static final java.util.Set<String> STANDARD_METHODS = java.util.Set.of("GET", "HEAD",
      "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Metrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Records one HTTP request. Timers are cached: building one per request would dominate. */
  public void request(String route, String requestMethod, int status, long nanos) {
    // HTTP allows any token as a method: a label taken as sent would let clients create timers
    // without bound. Routes are patterns and statuses are three digits, so both are bounded.
    String method = STANDARD_METHODS.contains(requestMethod) ? requestMethod : "OTHER";
    String key = route + ' ' + method + ' ' + status;
    Timer timer = timers.get(key);
    if (timer == null) {
      timer = timers.computeIfAbsent(key, k -> Timer.builder("http.server.requests")
          .description("HTTP requests by route, method and status")
          .tag("route", route)
          .tag("method", method)
          .tag("status", Integer.toString(status))
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofNanos(50_000))
          .maximumExpectedValue(Duration.ofSeconds(10))
          .register(registry));
    }
    timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
