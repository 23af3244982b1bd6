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
    return new Entities(Collections.unmodifiableMap(map), Collections.unmodifiableMap(closure(map)));
  }

  /**
   * Computes every entity's transitive ancestors.
   *
   * <p>Entities are visited parents-first (Kahn's algorithm over the parent edges inside the
   * store), so each ancestor set is built from the parents' finished sets; an entity with a single
   * parent in the store shares that parent's "itself plus ancestors" set instead of copying it.
   * Entities on or below a cycle fall back to a breadth-first walk.
   */
  private static Map<EntityUid, Set<EntityUid>> closure(Map<EntityUid, Entity> map) {
    Map<EntityUid, Set<EntityUid>> anc = new HashMap<>(map.size() * 2);
    Map<EntityUid, Set<EntityUid>> incl = new HashMap<>();
    Map<EntityUid, java.util.List<EntityUid>> children = new HashMap<>();
    Map<EntityUid, Integer> pending = new HashMap<>(map.size() * 2);
    ArrayDeque<EntityUid> ready = new ArrayDeque<>();
    for (Entity e : map.values()) {
      int inStore = 0;
      for (EntityUid p : e.parents()) {
        if (map.containsKey(p) && !p.equals(e.uid())) {
          inStore++;
          children.computeIfAbsent(p, k -> new java.util.ArrayList<>(2)).add(e.uid());
        } else if (p.equals(e.uid())) {
          inStore = -1_000_000; // a self-loop is a cycle
        }
      }
      if (inStore == 0) {
        ready.add(e.uid());
      } else {
        pending.put(e.uid(), inStore);
      }
    }
    while (!ready.isEmpty()) {
      EntityUid u = ready.poll();
      Set<EntityUid> parents = map.get(u).parents();
      Set<EntityUid> a;
      if (parents.isEmpty()) {
        a = Set.of();
      } else if (parents.size() == 1 && map.containsKey(parents.iterator().next())) {
        a = inclusive(parents.iterator().next(), anc, incl);
      } else {
        Set<EntityUid> s = new HashSet<>();
        for (EntityUid p : parents) {
          if (map.containsKey(p)) {
            s.addAll(inclusive(p, anc, incl));
          } else {
            s.add(p);
          }
        }
        a = Collections.unmodifiableSet(s);
      }
      anc.put(u, a);
      for (EntityUid c : children.getOrDefault(u, java.util.List.of())) {
        int left = pending.merge(c, -1, Integer::sum);
        if (left == 0) {
          pending.remove(c);
          ready.add(c);
        }
      }
    }
    for (EntityUid u : pending.keySet()) {
      anc.put(u, walk(u, map));
    }
    return anc;
  }

  private static Set<EntityUid> inclusive(EntityUid u, Map<EntityUid, Set<EntityUid>> anc, Map<EntityUid, Set<EntityUid>> incl) {
    Set<EntityUid> s = incl.get(u);
    if (s == null) {
      Set<EntityUid> x = new HashSet<>(anc.get(u));
      x.add(u);
      s = Collections.unmodifiableSet(x);
      incl.put(u, s);
    }
    return s;
  }

  private static Set<EntityUid> walk(EntityUid start, Map<EntityUid, Entity> map) {
    Set<EntityUid> seen = new HashSet<>();
    ArrayDeque<EntityUid> todo = new ArrayDeque<>(map.get(start).parents());
    while (!todo.isEmpty()) {
      EntityUid p = todo.pop();
      if (seen.add(p)) {
        Entity pe = map.get(p);
        if (pe != null) {
          todo.addAll(pe.parents());
        }
      }
    }
    return Collections.unmodifiableSet(seen);

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
