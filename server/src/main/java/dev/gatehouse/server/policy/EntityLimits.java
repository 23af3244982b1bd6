package dev.gatehouse.server.policy;

import dev.gatehouse.server.config.PolicyConfig;
import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.Entity;
import java.util.Collection;

/**
 * The work one request (or one write of stored entities) may cause through its entities: how
 * many, how many bytes of entities JSON, and how deep a parent chain may reach. Every path that
 * brings entities checks the same limits and names the one exceeded.
 *
 * @param maxRequestEntities most per-request entities in one decision request
 *     ({@code policy.max-request-entities})
 * @param maxRequestEntityBytes most characters of a request's {@code entities} JSON
 *     ({@code policy.max-request-entity-bytes})
 * @param maxDepth longest chain of parent edges above any entity a request or write brings,
 *     counted through the tenant's stored entities ({@code policy.max-entity-depth})
 */
public record EntityLimits(int maxRequestEntities, int maxRequestEntityBytes, int maxDepth) {

  public static final EntityLimits DEFAULT = of(PolicyConfig.DEFAULT);

  /** The limits the {@code policy.*} settings name. */
  public static EntityLimits of(PolicyConfig config) {
    return new EntityLimits(config.maxRequestEntities(), config.maxRequestEntityBytes(),
        config.maxEntityDepth());
  }

  /** Refuses more than {@link #maxRequestEntities} entities. */
  void checkCount(int count) {
    if (count > maxRequestEntities) {
      throw new Uids.BadRequest("`entities`: " + count + " entities exceed the limit of "
          + maxRequestEntities + " per request (policy.max-request-entities)");
    }
  }

  /** Refuses entities JSON longer than {@link #maxRequestEntityBytes}. */
  void checkBytes(int chars) {
    if (chars > maxRequestEntityBytes) {
      throw new Uids.BadRequest("`entities`: " + chars + " bytes of entities JSON exceed the"
          + " limit of " + maxRequestEntityBytes + " (policy.max-request-entity-bytes)");
    }
  }

  /** Refuses any of {@code added} whose parent chain in {@code store} is deeper than allowed. */
  void checkDepth(Entities store, Collection<Entity> added, String what) {
    for (Entity e : added) {
      int d = store.depth(e.uid());
      if (d > maxDepth) {
        throw new Uids.BadRequest(what + ": `" + e.uid() + "` has a chain of " + d
            + " parents, deeper than the limit of " + maxDepth + " (policy.max-entity-depth)");
      }
    }
  }
}
