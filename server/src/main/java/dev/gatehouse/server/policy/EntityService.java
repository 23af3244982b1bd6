package dev.gatehouse.server.policy;

import dev.gatehouse.server.config.PolicyConfig;
import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.DeepStack;
import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.json.EntitiesJson;
import dev.gatehouse.cedar.json.Json;
import dev.gatehouse.cedar.json.JsonWriter;
import dev.gatehouse.cedar.json.SchemaHints;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.validation.EntityConformance;
import dev.gatehouse.server.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tenant's entities: those the application stores through the admin API plus those projected
 * from identity data ({@link EntitySource}), as one in-memory {@link Entities} per tenant with
 * ancestors indexed, tagged with the tenant's entity version.
 *
 * <p>Every change (stored or projected) bumps the entity version in the store; the snapshot is
 * rebuilt at once on this node and within {@code refresh} on others.
 */
public final class EntityService {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(EntityService.class);

  /** Most stored entities per tenant. */
  public static final int MAX_ENTITIES = 100_000;
  /** Most entities in one upsert, delete or bulk load. */
  public static final int MAX_BATCH = PolicyConfig.MAX_ENTITIES_AT_ONCE;

  private final PolicyStore store;
  private final List<EntitySource> sources;
  private final String namespace;
  private final PolicyService policies;
  private final EntityLimits limits;
  private final Clock clock;
  private final long refreshNanos;
  private final ConcurrentHashMap<String, Held> snapshots = new ConcurrentHashMap<>();
  private final dev.gatehouse.server.cache.ChangeListeners changes =
      new dev.gatehouse.server.cache.ChangeListeners();

  /** A tenant's entities at one entity version. */
  record Snapshot(long version, Entities entities) {}

  private static final class Held {
    final Snapshot snapshot;
    final AtomicLong checkedAt;

    Held(Snapshot snapshot) {
      this.snapshot = snapshot;
      this.checkedAt = new AtomicLong(System.nanoTime());
    }
  }

  public EntityService(PolicyStore store, List<EntitySource> sources, String namespace,
      PolicyService policies, Clock clock, Duration refresh) {
    this(store, sources, namespace, policies, clock, refresh, EntityLimits.DEFAULT);
  }

  public EntityService(PolicyStore store, List<EntitySource> sources, String namespace,
      PolicyService policies, Clock clock, Duration refresh, EntityLimits limits) {
    this.store = store;
    this.sources = List.copyOf(sources);
    this.namespace = namespace;
    this.policies = policies;
    this.limits = limits;
    this.clock = clock;
    this.refreshNanos = refresh.toNanos();
  }

  /** The limits on the entities of requests and writes. */
  public EntityLimits limits() {
    return limits;
  }

  /** The namespace projected entities live in, e.g. {@code Gatehouse}. */
  public String namespace() {
    return namespace;
  }

  /** Parses a Cedar entities JSON array; upserts it. Returns the new entity version. */
  public long upsert(String tenantId, String entitiesJson) {
    return upsert(tenantId, parse(entitiesJson, tenantId));
  }

  /** Parses NDJSON, one entity object a line; upserts them. Returns the new entity version. */
  public long upsertNdjson(String tenantId, String ndjson) {
    StringBuilder array = new StringBuilder("[");
    int n = 0;
    int lineNo = 0;
    for (String line : ndjson.split("\r?\n")) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      try {
        if (!(dev.gatehouse.cedar.json.JsonReader.parse(line) instanceof Json.Obj)) {
          throw new Uids.BadRequest("line " + lineNo + ": each line must be one entity object");
        }
      } catch (ParseException e) {
        throw new Uids.BadRequest("line " + lineNo + ": " + e.getMessage());
      }
      array.append(n++ == 0 ? "" : ",").append(line);
    }
    return upsert(tenantId, parse(array.append(']').toString(), tenantId));
  }

  /** Deletes stored entities; returns the new entity version. */
  public long delete(String tenantId, List<EntityUid> uids) {
    if (uids.size() > MAX_BATCH) {
      throw new Uids.BadRequest("at most " + MAX_BATCH + " entities at once");
    }
    long v = store.changeEntities(tenantId, List.of(),
        uids.stream().map(EntityUid::toString).toList(), clock.instant().getEpochSecond());
    snapshots.remove(tenantId);
    changes.fire(tenantId);
    return v;
  }

  public List<PolicyStore.StoredEntity> list(String tenantId, String after, int limit) {
    return store.listEntities(tenantId, after, limit);
  }

  /** A projected source changed for this tenant: bump its entity version. */
  public void changed(String tenantId) {
    try {
      store.bumpEntityVersion(tenantId);
    } catch (RuntimeException e) {
      // The change itself succeeded; this node still rebuilds, others within the refresh time
      // only if a later change bumps the version.
      LOG.warn("tenant `{}`: bumping the entity version failed: {}", tenantId, e.getMessage());
    }
    snapshots.remove(tenantId);
    changes.fire(tenantId);
  }

  /** Calls {@code listener} with the tenant id after its entities change through this node. */
  public void onChange(java.util.function.Consumer<String> listener) {
    changes.add(listener);
  }

  /** Forgets what is cached of a tenant. */
  public void invalidate(String tenantId) {
    snapshots.remove(tenantId);
  }

  /** The current entity version of a tenant. */
  public long version(String tenantId) {
    return snapshot(tenantId).version();
  }

  /** The tenant's entities, stored and projected, refreshed from the store when stale. */
  Snapshot snapshot(String tenantId) {
    Held h = snapshots.get(tenantId);
    if (h == null) {
      return load(tenantId);
    }
    long now = System.nanoTime();
    long checked = h.checkedAt.get();
    if (now - checked > refreshNanos && h.checkedAt.compareAndSet(checked, now)) {
      try {
        if (store.entityVersion(tenantId) != h.snapshot.version()) {
          return load(tenantId);
        }
      } catch (StoreException e) {
        // The database is down: decide with the entities held (checked again next interval).
        if (!e.outage()) {
          throw e;
        }
      }
    }
    return h.snapshot;
  }

  private Snapshot load(String tenantId) {
    PolicyStore.StoredEntities stored = store.entities(tenantId);
    // Attribute values recurse as deep as they nest (to the JSON reader's limit): deep stack.
    List<Entity> all = new ArrayList<>(DeepStack.call(() -> EntitiesJson.parseList(
        "[" + String.join(",", stored.bodies()) + "]", SchemaHints.NONE)));
    for (EntitySource s : sources) {
      all.addAll(s.entities(tenantId, namespace));
    }
    Snapshot snap = new Snapshot(stored.version(), Entities.of(all));
    snapshots.put(tenantId, new Held(snap));
    return snap;
  }

  private long upsert(String tenantId, List<Entity> entities) {
    if (entities.size() > MAX_BATCH) {
      throw new Uids.BadRequest("at most " + MAX_BATCH + " entities at once");
    }
    List<PolicyStore.StoredEntity> rows = new ArrayList<>(entities.size());
    for (Entity e : entities) {
      String uid = e.uid().toString();
      if (uid.length() > Uids.MAX_LENGTH) {
        throw new Uids.BadRequest("entity uid `" + uid.substring(0, 50) + "...` is longer than "
            + Uids.MAX_LENGTH + " characters");
      }
      rows.add(new PolicyStore.StoredEntity(uid,
          JsonWriter.write(((Json.Arr) EntitiesJson.toJson(List.of(e))).items().get(0))));
    }
    if (store.countEntities(tenantId) + rows.size() > MAX_ENTITIES) {
      throw new Uids.BadRequest("a tenant may store at most " + MAX_ENTITIES + " entities");
    }
    // Counted through the entities already stored (and projected): a chain may grow from both.
    limits.checkDepth(snapshot(tenantId).entities().overlay(entities), entities, "entities");
    long v = store.changeEntities(tenantId, rows, List.of(), clock.instant().getEpochSecond());
    snapshots.remove(tenantId);
    changes.fire(tenantId);
    return v;
  }

  /**
   * Parses entities JSON, refusing the projected namespace and, when the tenant has a schema,
   * entities that do not conform to it.
   */
  List<Entity> parse(String json, String tenantId) {
    return DeepStack.call(() -> parseHere(json, tenantId));
  }

  private List<Entity> parseHere(String json, String tenantId) {
    List<Entity> entities;
    try {
      entities = EntitiesJson.parseList(json, SchemaHints.NONE);
    } catch (ParseException e) {
      throw new Uids.BadRequest("entities JSON: " + e.getMessage());
    } catch (CedarException e) {
      throw new Uids.BadRequest("entities JSON: " + e.getMessage());
    }
    ProjectedNamespace.refuse(namespace, entities, "entities");
    for (Entity e : entities) {
      if (e.uid().type().isAction()) {
        throw new Uids.BadRequest("entity `" + e.uid() + "`: actions come from the schema");
      }
    }
    Schema schema = tenantId == null ? null : policies.compiled(tenantId).schema;
    if (schema != null) {
      try {
        EntityConformance.check(schema, entities);
      } catch (CedarException e) {
        throw new Uids.BadRequest(e.getMessage());
      }
    }
    return entities;
  }
}
