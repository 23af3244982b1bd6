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
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The server's meters, exposed at {@code /metrics} in the Prometheus text format: HTTP requests by
 * route, method and status with latency histograms, the JVM, and the connection pool.
 */
public final class Metrics implements AutoCloseable {

  private static final int STATUS_SLOTS = 600;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private static final java.util.Set<String> STANDARD_METHODS = java.util.Set.of("GET", "HEAD",
      "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  /** route → method → timers by status code: nothing is built or boxed per request. */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, AtomicReferenceArray<Timer>>>
      timers = new ConcurrentHashMap<>();
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
    ConcurrentHashMap<String, AtomicReferenceArray<Timer>> byRoute = timers.get(route);
    if (byRoute == null) {
      byRoute = timers.computeIfAbsent(route, r -> new ConcurrentHashMap<>());
    }
    AtomicReferenceArray<Timer> byStatus = byRoute.get(method);
    if (byStatus == null) {
      byStatus = byRoute.computeIfAbsent(method, m -> new AtomicReferenceArray<>(STATUS_SLOTS));
    }
    int slot = status >= 0 && status < STATUS_SLOTS ? status : 0;
    Timer timer = byStatus.get(slot);
    if (timer == null) {
      // Registering twice returns the same meter, so a race here is harmless.
      timer = Timer.builder("http.server.requests")
          .description("HTTP requests by route, method and status")
          .tag("route", route)
          .tag("method", method)
          .tag("status", Integer.toString(status))
          .publishPercentileHistogram()
          // Exact bucket bounds for the latency objectives the alert rules measure
          // (deploy/monitoring, docs/observability.md): 100 ms for tokens, 250 ms overall.
          .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250))
          .minimumExpectedValue(Duration.ofNanos(50_000))
          .maximumExpectedValue(Duration.ofSeconds(10))
          .register(registry);
      byStatus.set(slot, timer);
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
