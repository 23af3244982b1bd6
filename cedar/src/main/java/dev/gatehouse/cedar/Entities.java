package dev.gatehouse.cedar;

import dev.gatehouse.cedar.ast.EntityUid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An immutable, thread-safe entity store whose ancestor sets are computed on first use and
 * remembered, so that {@code in} is a hash lookup from the second time on.
 *
 * <p>Parents need not exist in the store; a missing entity has no attributes, tags or ancestors.
 *
 * <p>Why lazily: the transitive closure of every entity costs the sum of all ancestor-set sizes,
 * which is quadratic in the length of a parent chain (a 9,000-long chain is 40 million set
 * entries). One decision only asks for the ancestors of a few entities; each costs a walk over
 * what it can reach. Remembered sets are bounded in total ({@link #memoBudget}); past the budget
 * an answer is computed and not kept. An {@link #overlay} shares its base's remembered sets for
 * every entity whose ancestry the overlay does not touch, so a request's few entities on top of a
 * tenant's many cost only their own walks.
 */
public final class Entities {
  /** The empty store. */
  public static final Entities EMPTY = new Entities(Map.of(), null);

  private final Map<EntityUid, Entity> own;
  private final Entities base;
  private final int size;
  private final long memoBudget;
  // INVARIANT: memo.get(u) is the transitive closure of u's parents (u itself excluded unless on
  // a cycle); memoized counts the elements of all sets held, and stays near memoBudget at most.
  private final ConcurrentHashMap<EntityUid, Set<EntityUid>> memo = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<EntityUid, Integer> depths = new ConcurrentHashMap<>();
  private final AtomicLong memoized = new AtomicLong();

  private Entities(Map<EntityUid, Entity> own, Entities base) {
    this.own = own;
    this.base = base;
    int n = own.size();
    if (base != null) {
      n += base.size;
      for (EntityUid u : own.keySet()) {
        if (base.get(u) != null) {
          n--;
        }
      }
    }
    this.size = n;
    this.memoBudget = Math.max(1L << 20, 16L * n);
  }

  /**
   * Returns a store of {@code entities}.
   *
   * @throws CedarException if two entities share a uid
   */
  public static Entities of(Collection<Entity> entities) {
    return new Entities(index(entities), null);
  }

  /**
   * Returns a store holding this store's entities and {@code more}, where an entity of
   * {@code more} replaces one of this store with the same uid. Costs O(|more|): this store is
   * shared, not copied.
   *
   * @throws CedarException if two entities of {@code more} share a uid
   */
  public Entities overlay(Collection<Entity> more) {
    if (more.isEmpty()) {
      return this;
    }
    return new Entities(index(more), this);
  }

  private static Map<EntityUid, Entity> index(Collection<Entity> entities) {
    Map<EntityUid, Entity> map = new HashMap<>(entities.size() * 2);
    for (Entity e : entities) {
      if (map.putIfAbsent(e.uid(), e) != null) {
        throw new CedarException("duplicate entity entry `" + e.uid() + "`");
      }
    }
    return Collections.unmodifiableMap(map);
  }

  /** Returns the entity with this uid, or null. */
  public Entity get(EntityUid uid) {
    Entity e = own.get(uid);
    return e != null || base == null ? e : base.get(uid);
  }

  /** Returns whether {@code descendant in ancestor} holds: equal, or an ancestor. */
  public boolean isIn(EntityUid descendant, EntityUid ancestor) {
    return descendant.equals(ancestor) || ancestors(descendant).contains(ancestor);
  }

  /** Returns the transitive ancestors of {@code uid} (empty if unknown). */
  public Set<EntityUid> ancestors(EntityUid uid) {
    Set<EntityUid> a = memo.get(uid);
    if (a != null) {
      return a;
    }
    Entity e = get(uid);
    if (e == null || e.parents().isEmpty()) {
      return Set.of();
    }
    a = walk(e);
    if (memoized.get() + a.size() <= memoBudget) {
      Set<EntityUid> prev = memo.putIfAbsent(uid, a);
      if (prev != null) {
        return prev;
      }
      memoized.addAndGet(a.size());
    }
    return a;
  }

  /** Whether this overlay leaves the ancestry of base entity {@code u} as the base has it. */
  private boolean untouched(EntityUid u, Set<EntityUid> baseAncestors) {
    if (own.containsKey(u)) {
      return false;
    }
    if (own.size() <= baseAncestors.size()) {
      for (EntityUid k : own.keySet()) {
        if (baseAncestors.contains(k)) {
          return false;
        }
      }
      return true;
    }
    for (EntityUid k : baseAncestors) {
      if (own.containsKey(k)) {
        return false;
      }
    }
    return true;
  }

  /** A breadth-first walk up the parent edges: O(what {@code start} can reach). */
  private Set<EntityUid> walk(Entity start) {
    Set<EntityUid> seen = new HashSet<>();
    ArrayDeque<EntityUid> todo = new ArrayDeque<>(start.parents());
    while (!todo.isEmpty()) {
      EntityUid p = todo.poll();
      if (!seen.add(p)) {
        continue;
      }
      if (base != null && !own.containsKey(p)) {
        Set<EntityUid> fromBase = base.ancestors(p);
        if (untouched(p, fromBase)) {
          seen.addAll(fromBase);
          continue;
        }
      }
      Entity pe = get(p);
      if (pe != null) {
        todo.addAll(pe.parents());
      }
    }
    return Collections.unmodifiableSet(seen);
  }

  /**
   * Returns the length of the longest chain of parent edges above {@code uid} (0 for an entity
   * without parents or unknown). An edge that closes a cycle is not followed, so a cycle of n
   * entities counts n - 1. Iterative: any depth is safe for the stack.
   */
  public int depth(EntityUid uid) {
    Integer known = depths.get(uid);
    if (known != null) {
      return known;
    }
    Map<EntityUid, Integer> done = new HashMap<>();
    Set<EntityUid> onPath = new HashSet<>();
    ArrayDeque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {uid, null});
    onPath.add(uid);
    int result = 0;
    while (!stack.isEmpty()) {
      Object[] top = stack.peek();
      EntityUid u = (EntityUid) top[0];
      @SuppressWarnings("unchecked")
      java.util.Iterator<EntityUid> it = (java.util.Iterator<EntityUid>) top[1];
      if (it == null) {
        Integer d = shortcut(u);
        if (d != null) {
          stack.pop();
          onPath.remove(u);
          done.put(u, d);
          result = d;
          continue;
        }
        Entity e = get(u);
        it = e == null ? List.<EntityUid>of().iterator() : e.parents().iterator();
        top[1] = it;
      }
      boolean descended = false;
      while (it.hasNext()) {
        EntityUid p = it.next();
        if (!done.containsKey(p) && !onPath.contains(p)) {
          onPath.add(p);
          stack.push(new Object[] {p, null});
          descended = true;
          break;
        }
      }
      if (descended) {
        continue;
      }
      int d = 0;
      Entity e = get(u);
      if (e != null) {
        for (EntityUid p : e.parents()) {
          Integer pd = done.get(p);
          if (pd != null) {
            d = Math.max(d, pd + 1);
          }
        }
      }
      stack.pop();
      onPath.remove(u);
      done.put(u, d);
      result = d;
    }
    if (depths.size() < memoBudget) {
      depths.put(uid, result);
    }
    return result;
  }

  /** The depth of {@code u} without a walk, when it is known here or to an untouched base. */
  private Integer shortcut(EntityUid u) {
    Integer d = depths.get(u);
    if (d != null) {
      return d;
    }
    if (base != null && !own.containsKey(u) && untouched(u, base.ancestors(u))) {
      return base.depth(u);
    }
    return null;
  }

  /** Returns all entities. */
  public Collection<Entity> all() {
    if (base == null) {
      return own.values();
    }
    List<Entity> out = new ArrayList<>(size);
    for (Entity e : base.all()) {
      if (!own.containsKey(e.uid())) {
        out.add(e);
      }
    }
    out.addAll(own.values());
    return Collections.unmodifiableList(out);
  }

  /** Returns the number of entities. */
  public int size() {
    return size;
  }

  /** Returns a store with {@code more} added; {@code more} must not repeat existing uids. */
  public Entities with(Collection<Entity> more) {
    List<Entity> all = new ArrayList<>(all());
    all.addAll(more);
    return of(all);
  }
}
