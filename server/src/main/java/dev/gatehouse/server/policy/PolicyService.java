package dev.gatehouse.server.policy;

import dev.gatehouse.server.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A tenant's policy store: schema, policies, templates and template links, in immutable versions.
 *
 * <p>Every write makes a new version after parsing, linking and (when there is a schema)
 * validating the whole result in strict mode; a refused write leaves the active version as it
 * was. The active version is the highest. Writers race on the next version number (the primary
 * key); the loser retries on the new state.
 *
 * <p>Compiled versions are kept in memory per tenant. A write on this node replaces them at once;
 * another node's write is seen within {@code refresh}, when a cheap {@code max(version)} query
 * finds the number changed.
 */
public final class PolicyService {

  private static final int WRITE_ATTEMPTS = 3;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      PolicyService.class);

  private final PolicyStore store;
  private final Clock clock;
  private final long refreshNanos;
  private final ConcurrentHashMap<String, Active> active = new ConcurrentHashMap<>();
  private final List<Consumer<String>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private static final class Active {
    final CompiledPolicies compiled;
    final AtomicLong checkedAt;

    Active(CompiledPolicies compiled, long now) {
      this.compiled = compiled;
      this.checkedAt = new AtomicLong(now);
    }
  }

  /** What validation of a text found; nothing is stored. */
  public record Report(boolean valid, boolean schemaChecked, List<Problem> errors,
      List<String> warnings) {}

  /** One change to apply to the active version. */
  @FunctionalInterface
  private interface Change {
    PolicyVersion apply(PolicyVersion current, long next, long now);
  }

  public PolicyService(PolicyStore store, Clock clock, Duration refresh) {
    this.store = store;
    this.clock = clock;
    this.refreshNanos = refresh.toNanos();
  }

  /** Calls {@code listener} with the tenant id whenever its active version changes here. */
  public void onChange(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** Replaces the policy text (static policies and templates); schema and links stay. */
  public PolicyVersion putPolicies(String tenantId, String author, String text, String message) {
    return write(tenantId, (cur, next, now) -> new PolicyVersion(tenantId, next,
        cur.schemaFormat(), cur.schemaText(), text == null ? "" : text, cur.links(), author,
        message(message, "policies updated"), null, now));
  }

  /** Replaces the schema ({@code cedar} or {@code json} format); policies must still validate. */
  public PolicyVersion putSchema(String tenantId, String author, String format, String text,
      String message) {
    String f = format == null ? "cedar" : format;
    if (!f.equals("cedar") && !f.equals("json") && !f.equals("none")) {
      throw new Uids.BadRequest("`format` must be `cedar`, `json` or `none`");
    }
    return write(tenantId, (cur, next, now) -> new PolicyVersion(tenantId, next, f,
        f.equals("none") ? "" : text == null ? "" : text, cur.policies(), cur.links(), author,
        message(message, "schema updated"), null, now));
  }

  /** Adds or replaces the template link {@code link.id()}. */
  public PolicyVersion putLink(String tenantId, String author, TemplateLink link,
      String message) {
    return write(tenantId, (cur, next, now) -> {
      List<TemplateLink> links = new ArrayList<>(TemplateLink.read(cur.links()));
      links.removeIf(l -> l.id().equals(link.id()));
      links.add(link);
      return new PolicyVersion(tenantId, next, cur.schemaFormat(), cur.schemaText(),
          cur.policies(), TemplateLink.write(links), author,
          message(message, "linked `" + link.id() + "`"), null, now);
    });
  }

  /** Removes a template link; empty when there is no such link. */
  public Optional<PolicyVersion> deleteLink(String tenantId, String author, String linkId,
      String message) {
    if (TemplateLink.read(compiled(tenantId).version.links()).stream()
        .noneMatch(l -> l.id().equals(linkId))) {
      return Optional.empty();
    }
    return Optional.of(write(tenantId, (cur, next, now) -> {
      List<TemplateLink> links = new ArrayList<>(TemplateLink.read(cur.links()));
      links.removeIf(l -> l.id().equals(linkId));
      return new PolicyVersion(tenantId, next, cur.schemaFormat(), cur.schemaText(),
          cur.policies(), TemplateLink.write(links), author,
          message(message, "unlinked `" + linkId + "`"), null, now);
    }));
  }

  /** Makes a new version that copies {@code version}; empty when there is no such version. */
  public Optional<PolicyVersion> rollback(String tenantId, String author, long version,
      String message) {
    Optional<PolicyVersion> old = store.find(tenantId, version);
    if (old.isEmpty()) {
      return Optional.empty();
    }
    PolicyVersion o = old.get();
    return Optional.of(write(tenantId, (cur, next, now) -> new PolicyVersion(tenantId, next,
        o.schemaFormat(), o.schemaText(), o.policies(), o.links(), author,
        message(message, "rolled back to version " + version), version, now)));
  }

  /** Validates {@code text} as the tenant's next policy text, against its active schema. */
  public Report validate(String tenantId, String text) {
    PolicyVersion cur = compiled(tenantId).version;
    PolicyVersion candidate = new PolicyVersion(tenantId, cur.version() + 1, cur.schemaFormat(),
        cur.schemaText(), text == null ? "" : text, cur.links(), "", "", null, 0);
    try {
      CompiledPolicies c = CompiledPolicies.compile(candidate, TemplateLink.read(cur.links()));
      return new Report(true, c.schema != null, List.of(), c.warnings);
    } catch (Problem.Refused e) {
      return new Report(false, !candidate.schemaText().isBlank(), e.problems(), List.of());
    }
  }

  /** The active version (version 0, empty, before the first write). */
  public PolicyVersion active(String tenantId) {
    return compiled(tenantId).version;
  }

  /** Warnings the validator gave on the active version. */
  public List<String> warnings(String tenantId) {
    return compiled(tenantId).warnings;
  }

  public Optional<PolicyVersion> version(String tenantId, long version) {
    return store.find(tenantId, version);
  }

  public List<PolicyVersion> history(String tenantId, long before, int limit) {
    return store.history(tenantId, before, limit);
  }

  /** Line diffs of schema, policies and links between two versions, for the parts that differ. */
  public Optional<Map<String, List<String>>> diff(String tenantId, long from, long to) {
    Optional<PolicyVersion> a = from == 0 ? Optional.of(PolicyVersion.empty(tenantId))
        : store.find(tenantId, from);
    Optional<PolicyVersion> b = to == 0 ? Optional.of(PolicyVersion.empty(tenantId))
        : store.find(tenantId, to);
    if (a.isEmpty() || b.isEmpty()) {
      return Optional.empty();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    part(out, "schema", a.get().schemaText(), b.get().schemaText());
    part(out, "policies", a.get().policies(), b.get().policies());
    part(out, "links", prettyLinks(a.get().links()), prettyLinks(b.get().links()));
    return Optional.of(out);
  }

  private static void part(Map<String, List<String>> out, String name, String a, String b) {
    if (!a.equals(b)) {
      out.put(name, LineDiff.diff(a, b));
    }
  }

  private static String prettyLinks(String json) {
    StringBuilder sb = new StringBuilder();
    for (TemplateLink l : TemplateLink.read(json)) {
      sb.append(l.id()).append(" = ").append(l.template()).append(' ')
          .append(l.toJson().get("values")).append('\n');
    }
    return sb.toString();
  }

  /** The compiled active version of a tenant, refreshed from the store when stale. */
  CompiledPolicies compiled(String tenantId) {
    long now = System.nanoTime();
    Active a = active.get(tenantId);
    if (a == null) {
      return load(tenantId).compiled;
    }
    long checked = a.checkedAt.get();
    if (now - checked > refreshNanos && a.checkedAt.compareAndSet(checked, now)) {
      try {
        if (store.latestVersion(tenantId) != a.compiled.version.version()) {
          return load(tenantId).compiled;
        }
      } catch (StoreException e) {
        // The database is down: decide with the version held (checked again next interval). A
        // policy write cannot happen meanwhile, so only a change made just before is missed.
        if (!e.outage()) {
          throw e;
        }
      }
    }
    return a.compiled;
  }

  /** Forgets what is cached of a tenant (it was deleted, or changed elsewhere). */
  public void invalidate(String tenantId) {
    active.remove(tenantId);
  }

  private Active load(String tenantId) {
    PolicyVersion v = store.latest(tenantId).orElse(null);
    CompiledPolicies c;
    if (v == null) {
      c = CompiledPolicies.empty(tenantId);
    } else {
      try {
        c = CompiledPolicies.compile(v, TemplateLink.read(v.links()));
      } catch (Problem.Refused e) {
        // Stored versions were valid when written; if one no longer is, fail closed: no policy
        // applies, so every decision is deny, until an administrator writes a valid version.
        LOG.error("tenant `{}` policy version {} no longer compiles: {}", tenantId, v.version(),
            e.problems());
        c = CompiledPolicies.broken(v);
      }
    }
    Active a = new Active(c, System.nanoTime());
    active.put(tenantId, a);
    return a;
  }

  private PolicyVersion write(String tenantId, Change change) {
    for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      PolicyVersion cur = store.latest(tenantId).orElse(PolicyVersion.empty(tenantId));
      PolicyVersion next = change.apply(cur, cur.version() + 1,
          clock.instant().getEpochSecond());
      CompiledPolicies compiled = CompiledPolicies.compile(next,
          TemplateLink.read(next.links()));
      if (store.insert(next)) {
        active.put(tenantId, new Active(compiled, System.nanoTime()));
        listeners.forEach(l -> l.accept(tenantId));
        return next;
      }
    }
    throw new ConcurrentChange();
  }

  private static String message(String given, String fallback) {
    String m = given == null || given.isBlank() ? fallback : given.strip();
    return m.length() > 1000 ? m.substring(0, 1000) : m;
  }

  /** Thrown when other writers kept changing the tenant's policies during a write. */
  public static final class ConcurrentChange extends RuntimeException {
    public ConcurrentChange() {
      super("the policies changed concurrently; retry", null, false, false);
    }
  }
}
