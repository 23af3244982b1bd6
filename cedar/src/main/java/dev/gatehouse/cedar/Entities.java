package dev.gatehouse.cedar;

import dev.gatehouse.cedar.ast.EntityUid;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, thread-safe entity store with ancestors indexed transitively, so that {@code in}
 * is a hash lookup after loading.
 *
 * <p>Parents need not exist in the store; a missing entity has no attributes, tags or ancestors.
 */
public final class Entities {
  /** The empty store. */
  public static final Entities EMPTY = new Entities(Map.of(), Map.of());

  private final Map<EntityUid, Entity> byUid;
  // INVARIANT: ancestors.get(u) is the transitive closure of u's parents (u itself excluded unless on a cycle).
  private final Map<EntityUid, Set<EntityUid>> ancestors;

  private Entities(Map<EntityUid, Entity> byUid, Map<EntityUid, Set<EntityUid>> ancestors) {
    this.byUid = byUid;
    this.ancestors = ancestors;
  }

  /**
   * Returns a store of {@code entities}.
   *
   * @throws CedarException if two entities share a uid
   */
  public static Entities of(Collection<Entity> entities) {
    Map<EntityUid, Entity> map = new HashMap<>(entities.size() * 2);
    for (Entity e : entities) {
      if (map.putIfAbsent(e.uid(), e) != null) {
        throw new CedarException("duplicate entity entry `" + e.uid() + "`");
      }
    }
    Map<EntityUid, Set<EntityUid>> anc = new HashMap<>(map.size() * 2);
    for (Entity e : map.values()) {
      if (e.parents().isEmpty()) {
        anc.put(e.uid(), Set.of());
        continue;
      }
      Set<EntityUid> seen = new HashSet<>();
      ArrayDeque<EntityUid> todo = new ArrayDeque<>(e.parents());
      while (!todo.isEmpty()) {
        EntityUid p = todo.pop();
        if (seen.add(p)) {
          Entity pe = map.get(p);
          if (pe != null) {
            todo.addAll(pe.parents());
          }
        }
      }
      anc.put(e.uid(), Collections.unmodifiableSet(seen));
    }
    return new Entities(Collections.unmodifiableMap(map), Collections.unmodifiableMap(anc));
  }

  /** Returns the entity with this uid, or null. */
  public Entity get(EntityUid uid) {
    return byUid.get(uid);
  }

  /** Returns whether {@code descendant in ancestor} holds: equal, or an ancestor. */
  public boolean isIn(EntityUid descendant, EntityUid ancestor) {
    if (descendant.equals(ancestor)) {
      return true;
    }
    Set<EntityUid> a = ancestors.get(descendant);
    return a != null && a.contains(ancestor);
  }

  /** Returns the transitive ancestors of {@code uid} (empty if unknown). */
  public Set<EntityUid> ancestors(EntityUid uid) {
    Set<EntityUid> a = ancestors.get(uid);
    return a == null ? Set.of() : a;
  }

  /** Returns all entities. */
  public Collection<Entity> all() {
    return byUid.values();
  }

  /** Returns the number of entities. */
  public int size() {
    return byUid.size();
  }

  /** Returns a store with {@code more} added; {@code more} must not repeat existing uids. */
  public Entities with(Collection<Entity> more) {
    java.util.List<Entity> all = new java.util.ArrayList<>(byUid.values());
    all.addAll(more);
    return of(all);
  }
}
