package dev.gatehouse.server.policy;

import dev.gatehouse.server.observe.Spans;
import io.opentelemetry.api.trace.Span;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.cedar.Authorizer;
import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.Response;
import dev.gatehouse.cedar.validation.EntityConformance;
import dev.gatehouse.cedar.value.EntityValue;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.SetValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import dev.gatehouse.server.events.EventOutbox;
import dev.gatehouse.server.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Decides requests with a tenant's active policies and entities: fail closed, cached, logged.
 *
 * <p>Fail closed: a request the schema rejects, per-request entities that do not conform, a
 * policy that errors, or anything unexpected inside the evaluation, decides deny and says why in
 * {@code errors}; nothing here throws to the caller for a well-formed request.
 *
 * <p>The cache (Caffeine, L1 on this node) is keyed by the tenant, its policy version, its entity
 * version and the request (principal, action, resource and context, compared by value); a change
 * of either version makes old entries unreachable, and they age out. Requests with per-request
 * entities are not cached.
 */
public final class DecisionService {

  private static final io.opentelemetry.api.common.AttributeKey<String> DECISION =
      Spans.key("gatehouse.policy.decision");
  private static final io.opentelemetry.api.common.AttributeKey<Long> POLICY_COUNT =
      Spans.longKey("gatehouse.policy.count");
  private static final io.opentelemetry.api.common.AttributeKey<Boolean> CACHED =
      io.opentelemetry.api.common.AttributeKey.booleanKey("gatehouse.policy.cached");

  private static final Logger LOG = LoggerFactory.getLogger(DecisionService.class);
  /** Larger contexts are decided without the cache, so that its memory stays bounded. */
  private static final int MAX_CACHED_CONTEXT = 2_048;

  private final PolicyService policies;
  private final EntityService entities;
  private final DecisionLog log;
  private final Clock clock;
  private final Authorizer authorizer = new Authorizer();
  private final Cache<Key, Decision> cache;
  private final Counter allowed;
  private final Counter denied;
  private final Counter failed;
  private final io.micrometer.core.instrument.Timer latency;
  private final Map<String, Store> stores = new java.util.concurrent.ConcurrentHashMap<>();

  private record Key(String tenantId, long policyVersion, long entityVersion, Request request) {}

  /** The entity store one decision runs on: tenant entities plus the schema's actions. */
  private record Store(long policyVersion, long entityVersion, Entities entities) {}

  public DecisionService(PolicyService policies, EntityService entities, DecisionLog log,
      Clock clock, int cacheSize, MeterRegistry registry) {
    this.policies = policies;
    this.entities = entities;
    this.log = log;
    this.clock = clock;
    if (cacheSize > 0) {
      // Versions key the entries, so they never go stale while the tenant lives; the expiry only
      // bounds what a deleted (and re-created) tenant could leave on other nodes.
      Cache<Key, Decision> c = Caffeine.newBuilder().maximumSize(cacheSize)
          .expireAfterWrite(java.time.Duration.ofMinutes(10)).recordStats().build();
      CaffeineCacheMetrics.monitor(registry, c, "policy_decisions");
      Gauge.builder("gatehouse.policy.decision.cache.hit.ratio", c, x -> x.stats().hitRate())
          .description("share of decisions answered from the decision cache")
          .register(registry);
      this.cache = c;
    } else {
      this.cache = null;
    }
    this.allowed = Counter.builder("gatehouse.policy.decisions").tag("decision", "allow")
        .description("policy decisions made").register(registry);
    this.denied = Counter.builder("gatehouse.policy.decisions").tag("decision", "deny")
        .description("policy decisions made").register(registry);
    this.failed = Counter.builder("gatehouse.policy.decision.errors")
        .description("decisions that met an error: policies or entities that could not be"
            + " loaded, a policy that failed to evaluate (the decision is then a deny), a store"
            + " outage")
        .register(registry);
    this.latency = io.micrometer.core.instrument.Timer.builder("gatehouse.policy.decision")
        .description("time to decide one request, from the cache or by evaluation")
        .serviceLevelObjectives(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5),
            java.time.Duration.ofMillis(25))
        .register(registry);
  }

  /**
   * Forgets everything this node holds of a tenant: its policies, entities and cached decisions
   * (it was deleted, or recreated under the same name, when its versions may start again from the
   * same numbers).
   */
  public void forgetTenant(String tenantId) {
    policies.invalidate(tenantId);
    entities.invalidate(tenantId);
    stores.remove(tenantId);
    if (cache != null) {
      cache.asMap().keySet().removeIf(k -> k.tenantId().equals(tenantId));
    }
  }

  /** The limits every request's entities are held to. */
  public EntityLimits limits() {
    return entities.limits();
  }

  /**
   * Decides one request for {@code callerClientId} (logged with the decision).
   *
   * @throws Uids.BadRequest when the request's entities exceed a limit of {@link #limits()} or
   *     lie in the projected namespace: not a decision, a request to correct
   */
  public Decision decide(String tenantId, DecisionRequest dr, String callerClientId) {
    long start = System.nanoTime();
    Span span = Spans.start("cedar.authorize");
    try {
      Decision d = decide(tenantId, dr, callerClientId, span);
      if (!d.errors().isEmpty()) {
        failed.increment();
      }
      if (span.isRecording()) {
        span.setAttribute(DECISION, d.allow() ? "allow" : "deny");
      }
      return d;
    } catch (StoreException e) {
      failed.increment();
      throw Spans.failed(span, e);
    } catch (RuntimeException e) {
      throw Spans.failed(span, e);
    } finally {
      latency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      span.end();
    }
  }

  private Decision decide(String tenantId, DecisionRequest dr, String callerClientId, Span span) {
    CompiledPolicies compiled;
    EntityService.Snapshot snap;
    try {
      compiled = policies.compiled(tenantId);
      snap = entities.snapshot(tenantId);
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("tenant `{}`: policies or entities could not be loaded; denying", tenantId, e);
      Decision d = deny(0, 0, "the tenant's policies or entities could not be loaded; denied");
      denied.increment();
      return d;
    }
    if (span.isRecording()) {
      span.setAttribute(POLICY_COUNT, (long) compiled.policySet.policies().size());
    }
    long pv = compiled.version.version();
    long ev = snap.version();
    Entities store = null;
    if (dr.refusal() == null && !dr.entities().isEmpty()) {
      // Every caller checked these already; checked again here, where all paths meet.
      ProjectedNamespace.refuse(entities.namespace(), dr.entities(), "`entities`");
      entities.limits().checkCount(dr.entities().size());
      Entities base = store(tenantId, compiled, snap);
      store = overlay(base, dr.merge() ? mergedOnto(base, dr.entities()) : dr.entities());
      entities.limits().checkDepth(store, dr.entities(), "`entities`");
    }
    Decision d;
    boolean cached = false;
    if (dr.refusal() != null) {
      d = new Decision(false, List.of(), List.of(Problem.of(dr.refusal())), pv, ev);
    } else {
      Key key = cache != null && dr.entities().isEmpty()
          && weight(dr.request().context(), 0) <= MAX_CACHED_CONTEXT
          ? new Key(tenantId, pv, ev, dr.request()) : null;
      Decision hit = key == null ? null : cache.getIfPresent(key);
      if (hit != null) {
        d = hit;
        cached = true;
      } else {
        d = evaluate(tenantId, compiled, snap, dr, store);
        if (key != null) {
          cache.put(key, d);
        }
      }
    }
    (d.allow() ? allowed : denied).increment();
    if (span.isRecording()) {
      span.setAttribute(CACHED, cached);
    }
    if (log.sampled()) {
      log.append(event(tenantId, dr, d, cached, callerClientId));
    }
    return d;
  }

  /** Evaluates; {@code withRequestEntities} is the store with the request's entities, if any. */
  private Decision evaluate(String tenantId, CompiledPolicies compiled,
      EntityService.Snapshot snap, DecisionRequest dr, Entities withRequestEntities) {
    long pv = compiled.version.version();
    long ev = snap.version();
    Request r = dr.request();
    try {
      if (compiled.requestValidator != null) {
        try {
          compiled.requestValidator.validate(r);
        } catch (CedarException e) {
          return deny(pv, ev, "the request does not conform to the schema: " + e.getMessage());
        }
      }
      Entities store = store(tenantId, compiled, snap);
      if (withRequestEntities != null) {
        if (compiled.schema != null) {
          try {
            EntityConformance.check(compiled.schema, dr.entities());
          } catch (CedarException e) {
            return deny(pv, ev, "request entities: " + e.getMessage());
          }
        }
        store = withRequestEntities;
      }
      Response res = authorizer.isAuthorized(r, compiled.policySet, store);
      List<Decision.Reason> reasons = new ArrayList<>(res.reasons().size());
      for (String id : res.reasons()) {
        reasons.add(new Decision.Reason(id, compiled.annotations.getOrDefault(id, Map.of())));
      }
      List<Problem> errors = new ArrayList<>(res.errors().size());
      for (Response.PolicyError e : res.errors()) {
        errors.add(new Problem(e.policyId(), e.message(),
            e.span() == null ? 0 : e.span().line(), e.span() == null ? 0 : e.span().column()));
      }
      return new Decision(res.decision() == dev.gatehouse.cedar.Decision.ALLOW,
          List.copyOf(reasons), List.copyOf(errors), pv, ev);
    } catch (RuntimeException | StackOverflowError e) {
      LOG.warn("decision failed for tenant `{}`; denying: {}", tenantId, e.toString());
      return deny(pv, ev, "the decision could not be evaluated; denied");
    }
  }

  /** About how many characters {@code v} holds, counting no further than the limit. */
  static int weight(Value v, int sofar) {
    if (sofar > MAX_CACHED_CONTEXT) {
      return sofar;
    }
    return switch (v) {
      case StringValue s -> sofar + 4 + s.value().length();
      case RecordValue r -> {
        int w = sofar + 4;
        for (Map.Entry<String, Value> e : r.fields().entrySet()) {
          w = weight(e.getValue(), w + e.getKey().length());
          if (w > MAX_CACHED_CONTEXT) {
            break;
          }
        }
        yield w;
      }
      case SetValue set -> {
        int w = sofar + 4;
        for (Value e : set.elements()) {
          w = weight(e, w);
          if (w > MAX_CACHED_CONTEXT) {
            break;
          }
        }
        yield w;
      }
      case EntityValue e -> sofar + 8 + e.uid().id().length() + e.uid().type().name().length();
      default -> sofar + 16;
    };
  }

  private static Decision deny(long pv, long ev, String why) {
    return new Decision(false, List.of(), List.of(Problem.of(why)), pv, ev);
  }

  private Entities store(String tenantId, CompiledPolicies compiled, EntityService.Snapshot snap) {
    long pv = compiled.version.version();
    Store s = stores.get(tenantId);
    if (s != null && s.policyVersion() == pv && s.entityVersion() == snap.version()) {
      return s.entities();
    }
    Entities e = compiled.actionEntities.isEmpty() ? snap.entities()
        : overlay(snap.entities(), compiled.actionEntities);
    stores.put(tenantId, new Store(pv, snap.version(), e));
    return e;
  }

  /**
   * {@code base} with {@code more} added, replacing entities of the same uid: O(|more|), the
   * tenant's entities are shared, not copied, and ancestors are found on demand.
   */
  /**
   * AuthZEN properties add to what is stored (Authorization API 1.0 §5.1, §5.3: properties are
   * "additional attributes"): a stored entity keeps its parents, tags and other attributes; a
   * property of the same name wins for this decision.
   */
  private static List<Entity> mergedOnto(Entities base, List<Entity> more) {
    List<Entity> out = new java.util.ArrayList<>(more.size());
    for (Entity e : more) {
      Entity stored = base.get(e.uid());
      if (stored == null) {
        out.add(e);
      } else {
        Map<String, dev.gatehouse.cedar.value.Value> attrs =
            new java.util.LinkedHashMap<>(stored.attrs());
        attrs.putAll(e.attrs());
        out.add(new Entity(e.uid(), attrs, stored.parents(), stored.tags()));
      }
    }
    return out;
  }

  private static Entities overlay(Entities base, List<Entity> more) {
    try {
      return base.overlay(more);
    } catch (CedarException e) {
      throw new Uids.BadRequest("`entities`: " + e.getMessage());
    }
  }

  private EventOutbox.Event event(String tenantId, DecisionRequest dr, Decision d, boolean cached,
      String caller) {
    // Written by hand: this runs for every logged decision, and a Map through Jackson costs more.
    StringBuilder b = new StringBuilder(256);
    b.append("{\"request_id\":");
    str(b, MDC.get("request_id"));
    b.append(",\"caller\":");
    str(b, caller);
    if (dr.request() != null) {
      b.append(",\"principal\":");
      str(b, dr.request().principal().toString());
      b.append(",\"action\":");
      str(b, dr.request().action().toString());
      b.append(",\"resource\":");
      str(b, dr.request().resource().toString());
    }
    b.append(",\"decision\":\"").append(d.allow() ? "allow" : "deny").append("\",\"reasons\":[");
    for (int i = 0; i < d.reasons().size(); i++) {
      b.append(i == 0 ? "" : ",");
      str(b, d.reasons().get(i).id());
    }
    b.append("],\"errors\":[");
    for (int i = 0; i < d.errors().size(); i++) {
      b.append(i == 0 ? "" : ",");
      str(b, d.errors().get(i).message());
    }
    b.append("],\"policy_version\":").append(d.policyVersion())
        .append(",\"entity_version\":").append(d.entityVersion())
        .append(",\"cached\":").append(cached).append('}');
    return new EventOutbox.Event(tenantId, DecisionLog.TYPE, b.toString(),
        clock.instant().getEpochSecond());
  }

  private static void str(StringBuilder b, String s) {
    if (s == null) {
      b.append("null");
      return;
    }
    b.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, b);
    b.append('"');
  }
}
