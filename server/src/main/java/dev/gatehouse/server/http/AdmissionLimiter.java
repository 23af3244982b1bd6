package dev.gatehouse.server.http;

import dev.gatehouse.server.config.AdmissionConfig;
import dev.gatehouse.server.store.PoolShare;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Load shedding: a bound on the requests of each endpoint class a node works on at once, so that a
 * flood of one kind (introspection from a misbehaving resource server) is answered 503 with {@code
 * Retry-After} while the others (sign-in, token issuance) keep their share of the node.
 *
 * <p>Every request runs on its own virtual thread, so without a bound a flood turns into tens of
 * thousands of runnable threads, each holding its buffers, and every request's latency grows with
 * the flood. Here a request takes a slot of its class; beyond the class's limit it waits (parked,
 * nearly free) up to {@link AdmissionConfig#queueWait()} for one and is then refused. Classes do
 * not share slots: a full introspection class never delays a sign-in's admission. Discovery, JWKS,
 * health and metrics are not limited (cheap, cached, and the load balancer must always see health).
 *
 * <p>Slots bound the CPU and memory a class takes, not the database connections its requests
 * wait for. Every class but sign-in therefore also gets a {@link PoolShare} that leaves
 * {@link #RESERVED_CONNECTIONS} of the pool to the others: a flood of introspections that each
 * read a revocation holds at most the rest of the pool, and a sign-in, which cannot work without
 * the database, still finds a connection at once.
 *
 * <p>Admitted sign-in pages run on a {@link PlatformLane}: their latency is what people feel, and
 * on virtual threads each of their statements queued behind every runnable request of a flood.
 *
 * <p>Refusals answer like the endpoint would: RFC 6749's {@code temporarily_unavailable} on tenant
 * endpoints, {@code application/problem+json} on the admin API, both 503 with {@code Retry-After:
 * 1}. They are counted as {@code gatehouse_admission_rejected_total{class}}; slots in use are
 * {@code gatehouse_admission_in_flight{class}}.
 */
public final class AdmissionLimiter implements Filter {

  /** The endpoint classes, each with its own slots. */
  public enum EndpointClass { SIGNIN, TOKEN, INTROSPECT, POLICY, ADMIN, UNLIMITED }

  /** Connections of the pool that no class but sign-in can take from the rest. */
  public static final int RESERVED_CONNECTIONS = 2;

  private final Map<EndpointClass, Semaphore> slots = new EnumMap<>(EndpointClass.class);
  private final Map<EndpointClass, PoolShare> shares = new EnumMap<>(EndpointClass.class);
  private final Map<EndpointClass, Counter> rejected = new EnumMap<>(EndpointClass.class);
  private final long waitNanos;
  /** Where sign-in pages run: platform threads, so a flood's virtual threads do not delay them. */
  private final PlatformLane signinLane;

  /**
   * Limits from {@code config}, database shares of a pool of {@code poolSize} connections (0: no
   * shares); metrics go to {@code metrics} (null: none).
   */
  public AdmissionLimiter(AdmissionConfig config, int poolSize, MeterRegistry metrics) {
    this.waitNanos = config.queueWait().toNanos();
    limit(EndpointClass.SIGNIN, config.signin(), metrics);
    limit(EndpointClass.TOKEN, config.token(), metrics);
    limit(EndpointClass.INTROSPECT, config.introspect(), metrics);
    limit(EndpointClass.POLICY, config.policy(), metrics);
    limit(EndpointClass.ADMIN, config.admin(), metrics);
    this.signinLane = config.signin() > 0 ? new PlatformLane("gatehouse-signin", config.signin())
        : null;
    if (poolSize > 0) {
      for (EndpointClass c : new EndpointClass[] {EndpointClass.TOKEN, EndpointClass.INTROSPECT,
          EndpointClass.POLICY, EndpointClass.ADMIN}) {
        shares.put(c, PoolShare.leaving(c.name().toLowerCase(java.util.Locale.ROOT), poolSize,
            RESERVED_CONNECTIONS));
      }
    }
  }

  private void limit(EndpointClass c, int permits, MeterRegistry metrics) {
    if (permits <= 0) {
      return;
    }
    Semaphore s = new Semaphore(permits);
    slots.put(c, s);
    if (metrics != null) {
      String name = c.name().toLowerCase(java.util.Locale.ROOT);
      rejected.put(c, Counter.builder("gatehouse_admission_rejected")
          .description("requests refused with 503 because their endpoint class was full")
          .tag("class", name).register(metrics));
      Gauge.builder("gatehouse_admission_in_flight", s, x -> permits - x.availablePermits())
          .description("requests of the endpoint class being worked on")
          .tag("class", name).register(metrics);
    }
  }

  /**
   * The class of a request path. Decided on the raw path before routing, so it must agree with
   * the routes: {@code /t/{tenant}/...} by the first segments after the tenant, {@code /admin/}.
   */
  public static EndpointClass classify(String path) {
    if (path.startsWith("/admin/")) {
      return EndpointClass.ADMIN;
    }
    if (!path.startsWith("/t/")) {
      return EndpointClass.UNLIMITED;
    }
    int slash = path.indexOf('/', 3);
    if (slash < 0) {
      return EndpointClass.UNLIMITED;
    }
    String rest = path.substring(slash + 1);
    if (rest.equals("oauth2/token") || rest.equals("oauth2/revoke")) {
      return EndpointClass.TOKEN;
    }
    if (rest.equals("oauth2/introspect") || rest.equals("userinfo")) {
      return EndpointClass.INTROSPECT;
    }
    if (rest.startsWith("v1/authorize") || rest.startsWith("access/v1/")) {
      return EndpointClass.POLICY;
    }
    if (rest.startsWith("oauth2/authorize") || segment(rest, "login") || segment(rest, "consent")
        || segment(rest, "logout") || segment(rest, "mfa") || segment(rest, "passkey")
        || segment(rest, "account")) {
      return EndpointClass.SIGNIN;
    }
    return EndpointClass.UNLIMITED;
  }

  private static boolean segment(String rest, String name) {
    return rest.startsWith(name) && (rest.length() == name.length()
        || rest.charAt(name.length()) == '/');
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String path = req.path().rawPath();
    EndpointClass c = classify(path);
    Semaphore s = slots.get(c);
    PoolShare share = shares.get(c);
    if (s == null) {
      proceed(chain, share);
      return;
    }
    if (!admit(s)) {
      Counter counter = rejected.get(c);
      if (counter != null) {
        counter.increment();
      }
      refuse(res, c);
      return;
    }
    try {
      if (c == EndpointClass.SIGNIN && signinLane != null) {
        signinLane.run(() -> proceed(chain, share));
      } else {
        proceed(chain, share);
      }
    } finally {
      s.release();
    }
  }

  private static void proceed(FilterChain chain, PoolShare share) {
    if (share == null) {
      chain.proceed();
    } else {
      share.run(chain::proceed);
    }
  }

  private boolean admit(Semaphore s) {
    if (s.tryAcquire()) {
      return true;
    }
    try {
      return waitNanos > 0 && s.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void refuse(RoutingResponse res, EndpointClass c) {
    res.header(HeaderNames.RETRY_AFTER, "1");
    // The connection is closed after the answer: the request body was not read.
    res.header(HeaderNames.CONNECTION, "close");
    String what = c.name().toLowerCase(java.util.Locale.ROOT);
    if (c == EndpointClass.ADMIN) {
      Handlers.problem(res, 503, "Service Unavailable",
          "too many admin requests in progress; retry later");
    } else {
      Handlers.oauthError(res, 503, "temporarily_unavailable",
          "too many " + what + " requests in progress; retry later");
    }
  }

  /** Slots free now in {@code c}'s class, for tests; -1 when the class is not limited. */
  int available(EndpointClass c) {
    Semaphore s = slots.get(c);
    return s == null ? -1 : s.availablePermits();
  }

  /** The configured wait, for the log line at start-up. */
  public Duration queueWait() {
    return Duration.ofNanos(waitNanos);
  }
}
