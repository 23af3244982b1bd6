package dev.gatehouse.server.webhook;

import dev.gatehouse.server.observe.Spans;
import dev.gatehouse.server.observe.Tracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.server.outbound.OutboundHttp;
import dev.gatehouse.server.events.EventIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhooks: fans out new outbox events to the matching subscriptions' deliveries, then
 * POSTs each due delivery, signed, and records the outcome.
 *
 * <p>At least once, with retries: a delivery answered other than 2xx (or not answered within the
 * timeout) is retried after an exponential backoff with jitter (half the delay fixed, half random,
 * so that a receiver coming back is not hit by every node at the same instant), and dead-lettered
 * after the configured number of attempts. A delivery is claimed for the length of one attempt plus
 * a margin (a lease): a node that dies mid-attempt leaves it to be retried when the lease ends, so
 * a receiver may see a message twice and should deduplicate by {@code webhook-id}, which stays the
 * same over retries (the outbox event id, as on the Redis Stream).
 *
 * <p>Every POST goes through {@link OutboundHttp}: targets are judged after DNS resolution, on
 * the address actually connected to, and no redirect is followed. What a delivery records for the
 * tenant ({@code last_error}) is the receiver's HTTP status, "refused" when the target is not
 * allowed, or only "delivery failed": connection refused, reset, timeout and TLS failure read the
 * same, so that the deliveries list cannot map which ports answer. The detail goes to the log.
 */
public final class WebhookWorker implements AutoCloseable {

  /** How the worker paces itself. */
  public record Settings(Duration timeout, int maxAttempts, Duration backoff, Duration maxBackoff,
      Duration poll) {}

  private static final Logger LOG = LoggerFactory.getLogger(WebhookWorker.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DISPATCH_BATCH = 500;
  private static final int DELIVERY_BATCH = 32;
  private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

  private final WebhookStore store;
  private final WebhookService service;
  private final Clock clock;
  private final Settings settings;
  private final OutboundHttp http;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gatehouse-webhooks");
    t.setDaemon(true);
    return t;
  });
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private long lastWarning;
  private final String installation;
  /** Set by {@link #close}: a round interrupted by the shutdown is not worth a warning. */
  private volatile boolean closed;

  /** A worker for the installation {@code installation} (its id names the events it sends). */
  public WebhookWorker(WebhookStore store, WebhookService service, String installation,
      Clock clock, Settings settings, OutboundHttp http) {
    this.installation = installation;
    this.store = store;
    this.service = service;
    this.clock = clock;
    this.settings = settings;
    this.http = http;
  }

  /**
   * Traces every delivery with {@code tracing} (a client span whose context the request carries
   * as {@code traceparent}) and counts outcomes into {@code gatehouse.webhook.deliveries} by
   * result: {@code delivered}, {@code failed} (to be retried), {@code dead} (dead-lettered).
   */
  public WebhookWorker observe(Tracing tracing, MeterRegistry registry) {
    this.tracing = tracing;
    for (String result : new String[] {"delivered", "failed", "dead"}) {
      outcomes.put(result, Counter.builder("gatehouse.webhook.deliveries").tag("result", result)
          .description("webhook delivery attempts by outcome").register(registry));
    }
    return this;
  }

  private volatile Tracing tracing = Tracing.off();
  private final Map<String, Counter> outcomes = new java.util.concurrent.ConcurrentHashMap<>();

  private void count(String result) {
    Counter c = outcomes.get(result);
    if (c != null) {
      c.increment();
    }
  }

  /** Starts polling for work in the background. */
  public WebhookWorker start() {
    long ms = settings.poll().toMillis();
    loop.scheduleWithFixedDelay(this::runOnce, ms, ms, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One round: dispatch what is new, deliver what is due. Returns deliveries attempted. */
  int runOnce() {
    try {
      dispatch();
      return deliverDue();
    } catch (RuntimeException e) {
      long now = System.nanoTime();
      // One warning every 10 s at most: a database outage must not flood the log.
      if (!closed && now - lastWarning > 10_000_000_000L) {
        lastWarning = now;
        LOG.warn("webhook delivery paused: {}", e.toString());
      }
      return 0;
    }
  }

  private void dispatch() {
    long snapshot = clock.instant().getEpochSecond();
    Map<String, List<Subscription>> byTenant = new HashMap<>();
    for (Subscription s : store.all()) {
      byTenant.computeIfAbsent(s.tenantId(), t -> new ArrayList<>()).add(s);
    }
    if (byTenant.isEmpty()) {
      // No subscriptions: nothing to fan out. Only events older than the look at the
      // subscriptions: one created since takes events from its creation second on.
      store.dispatchNone(snapshot, clock.millis());
      return;
    }
    for (int i = 0; i < 20; i++) {
      int n = store.dispatch(DISPATCH_BATCH, e -> {
        List<Subscription> subs = byTenant.get(e.tenantId());
        if (subs == null) {
          return List.of();
        }
        List<Subscription> out = new ArrayList<>(1);
        for (Subscription s : subs) {
          // Only events after the subscription existed (created_at is whole seconds: same second
          // counts as after).
          if (s.matches(e.type()) && e.createdAt() >= s.createdAt()) {
            out.add(s);
          }
        }
        return out;
      }, clock.millis());
      if (n < DISPATCH_BATCH) {
        return;
      }
    }
  }

  private int deliverDue() {
    long now = clock.millis();
    long lease = now + settings.timeout().plus(LEASE_MARGIN).toMillis();
    List<WebhookStore.Delivery> claimed = store.claim(DELIVERY_BATCH, now, lease);
    List<Future<?>> running = new ArrayList<>(claimed.size());
    for (WebhookStore.Delivery d : claimed) {
      running.add(senders.submit(() -> deliver(d)));
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (java.util.concurrent.ExecutionException e) {
        LOG.warn("webhook delivery failed: {}", e.getCause().toString());
      }
    }
    return claimed.size();
  }

  private void deliver(WebhookStore.Delivery d) {
    Span span = tracing.background("POST", SpanKind.CLIENT);
    try (Scope scope = tracing.enter(span)) {
      deliver(d, span);
    } catch (RuntimeException e) {
      throw Spans.failed(span, e);
    } finally {
      span.end();
    }
  }

  private void deliver(WebhookStore.Delivery d, Span span) {
    Subscription sub = store.find(d.tenantId(), d.subscriptionId()).orElse(null);
    if (sub == null) {
      return;  // deleted meanwhile: its deliveries went with it
    }
    WebhookStore.Event event = store.event(d.tenantId(), d.eventId()).orElse(null);
    if (event == null) {
      store.dead(d.id(), null, "the event is no longer in the outbox", clock.millis());
      return;
    }
    Integer status = null;
    String error;
    try {
      String id = EventIds.of(installation, event.id());
      byte[] body = body(event, id);
      long timestamp = clock.instant().getEpochSecond();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", "application/json");
      headers.put("User-Agent", "Gatehouse-Webhooks/1");
      headers.put("webhook-id", id);
      headers.put("webhook-timestamp", Long.toString(timestamp));
      headers.put("webhook-signature", WebhookSignature.sign(service.key(sub), id, timestamp,
          body));
      if (span.isRecording()) {
        describe(span, sub.url(), d.attempts());
      }
      // The receiver continues this delivery's trace (W3C Trace Context).
      Tracing.inject(headers);
      OutboundHttp.Outcome outcome = http.post(sub.url(), headers, body, settings.timeout());
      if (outcome instanceof OutboundHttp.Answered a) {
        status = a.status();
        if (span.isRecording()) {
          span.setAttribute(HTTP_STATUS, (long) a.status());
        }
        if (a.ok()) {
          store.delivered(d.id(), status, clock.millis());
          count("delivered");
          return;
        }
      } else {
        LOG.info("webhook {} of tenant {}: event {} attempt {} not delivered: {}", sub.id(),
            sub.tenantId(), event.id(), d.attempts(), outcome);
      }
      error = OutboundHttp.publicError(outcome);
    } catch (IOException e) {
      error = "the event cannot be read";
    }
    long now = clock.millis();
    if (d.attempts() >= settings.maxAttempts()) {
      LOG.warn("webhook {} of tenant {}: event {} dead-lettered after {} attempts ({})",
          sub.id(), sub.tenantId(), event.id(), d.attempts(), error);
      store.dead(d.id(), status, error, now);
      count("dead");
    } else {
      store.retryAt(d.id(), now + backoff(d.attempts()), status, error, now);
      count("failed");
    }
    if (span.isRecording()) {
      span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR);
      span.setAttribute(ERROR_TYPE, status != null ? Integer.toString(status) : "unreachable");
    }
  }

  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ADDRESS = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<Long> HTTP_STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<Long> RESEND = AttributeKey.longKey("http.request.resend_count");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /**
   * The receiver's host and port, never the full URL: a tenant may have put a secret into its
   * path or query.
   */
  private static void describe(Span span, String url, int attempts) {
    span.setAttribute(METHOD, "POST");
    try {
      java.net.URI u = java.net.URI.create(url);
      if (u.getHost() != null) {
        span.setAttribute(ADDRESS, u.getHost());
        span.setAttribute(PORT, (long) (u.getPort() > 0 ? u.getPort()
            : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80));
      }
    } catch (IllegalArgumentException e) {
      // Not a URI: no address attributes.
    }
    if (attempts > 1) {
      span.setAttribute(RESEND, (long) attempts - 1);
    }
  }

  /** The delay before attempt {@code attempts + 1}: exponential, capped, half of it random. */
  long backoff(int attempts) {
    long base = settings.backoff().toMillis();
    long cap = settings.maxBackoff().toMillis();
    long delay = attempts >= 30 ? cap : Math.min(cap, base << Math.max(0, attempts - 1));
    return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
  }

  /** The message: {@code type}, {@code timestamp} and {@code data} as Standard Webhooks shapes it. */
  private static byte[] body(WebhookStore.Event e, String id) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", e.type());
    n.put("timestamp", Instant.ofEpochSecond(e.createdAt()).toString());
    n.put("event_id", id);
    n.put("tenant", e.tenantId());
    n.set("data", JSON.readTree(e.payload()));
    return JSON.writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    closed = true;
    loop.shutdownNow();
    try {
      loop.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    senders.shutdownNow();
  }
}
