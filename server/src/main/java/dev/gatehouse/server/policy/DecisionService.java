package dev.gatehouse.server.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.cedar.Authorizer;
import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.Response;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.validation.EntityConformance;
import dev.gatehouse.server.events.EventOutbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  private static final Logger LOG = LoggerFactory.getLogger(DecisionService.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PolicyService policies;
  private final EntityService entities;
  private final DecisionLog log;
  private final Clock clock;
  private final Authorizer authorizer = new Authorizer();
  private final Cache<Key, Decision> cache;
  private final Counter allowed;
  private final Counter denied;
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
      Cache<Key, Decision> c = Caffeine.newBuilder().maximumSize(cacheSize).recordStats().build();
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
  }

  /** Decides one request for {@code callerClientId} (logged with the decision). */
  public Decision decide(String tenantId, DecisionRequest dr, String callerClientId) {
    CompiledPolicies compiled = policies.compiled(tenantId);
    EntityService.Snapshot snap = entities.snapshot(tenantId);
    long pv = compiled.version.version();
    long ev = snap.version();
    Decision d;
    boolean cached = false;
    if (dr.refusal() != null) {
      d = new Decision(false, List.of(), List.of(Problem.of(dr.refusal())), pv, ev);
    } else {
      Key key = cache != null && dr.entities().isEmpty()
          ? new Key(tenantId, pv, ev, dr.request()) : null;
      Decision hit = key == null ? null : cache.getIfPresent(key);
      if (hit != null) {
        d = hit;
        cached = true;
      } else {
        d = evaluate(tenantId, compiled, snap, dr);
        if (key != null) {
          cache.put(key, d);
        }
      }
    }
    (d.allow() ? allowed : denied).increment();
    if (log.sampled()) {
      log.append(event(tenantId, dr, d, cached, callerClientId));
    }
    return d;
  }

  private Decision evaluate(String tenantId, CompiledPolicies compiled,
      EntityService.Snapshot snap, DecisionRequest dr) {
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
      if (!dr.entities().isEmpty()) {
        if (compiled.schema != null) {
          try {
            EntityConformance.check(compiled.schema, dr.entities());
          } catch (CedarException e) {
            return deny(pv, ev, "request entities: " + e.getMessage());
          }
        }
        store = overlay(store, dr.entities());
      }
      Response res = authorizer.isAuthorized(r, compiled.policySet, store);
      List<Decision.Reason> reasons = new ArrayList<>(res.reasons().size());
      for (String id : res.reasons()) {
        reasons.add(new Decision.Reason(id, compiled.annotations.getOrDefault(id, Map.of())));
      }
      List<Problem> errors = new ArrayList<>(res.errors().size());
      for (Response.PolicyError e : res.errors()) {
        errors.add(new Problem(e.policyId(), e.message(), 0, 0));
      }
      return new Decision(res.decision() == dev.gatehouse.cedar.Decision.ALLOW,
          List.copyOf(reasons), List.copyOf(errors), pv, ev);
    } catch (RuntimeException | StackOverflowError e) {
      LOG.warn("decision failed for tenant `{}`; denying: {}", tenantId, e.toString());
      return deny(pv, ev, "the decision could not be evaluated; denied");
    }
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

  /** {@code base} with {@code more} added, replacing entities of the same uid. */
  private static Entities overlay(Entities base, List<Entity> more) {
    Set<EntityUid> replaced = new HashSet<>();
    for (Entity e : more) {
      replaced.add(e.uid());
    }
    List<Entity> all = new ArrayList<>(base.size() + more.size());
    for (Entity e : base.all()) {
      if (!replaced.contains(e.uid())) {
        all.add(e);
      }
    }
    all.addAll(more);
    return Entities.of(all);
  }

  private EventOutbox.Event event(String tenantId, DecisionRequest dr, Decision d, boolean cached,
      String caller) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("request_id", MDC.get("request_id"));
    m.put("caller", caller);
    if (dr.request() != null) {
      m.put("principal", dr.request().principal().toString());
      m.put("action", dr.request().action().toString());
      m.put("resource", dr.request().resource().toString());
    }
    m.put("decision", d.allow() ? "allow" : "deny");
    m.put("reasons", d.reasons().stream().map(Decision.Reason::id).toList());
    m.put("errors", d.errors().stream().map(Problem::message).toList());
    m.put("policy_version", d.policyVersion());
    m.put("entity_version", d.entityVersion());
    m.put("cached", cached);
    try {
      return new EventOutbox.Event(tenantId, DecisionLog.TYPE, JSON.writeValueAsString(m),
          clock.instant().getEpochSecond());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
