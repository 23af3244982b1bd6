package dev.gatehouse.cedar.ast;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An entity type name such as {@code User} or {@code Photos::Album}, fully qualified.
 *
 * <p>Instances are interned by {@link #of(String)} so equality is usually a reference check.
 *
 * @param name the fully qualified name, components joined by {@code ::}
 */
public record EntityType(String name) {
  private static final ConcurrentHashMap<String, EntityType> INTERNED = new ConcurrentHashMap<>();
  private static final int MAX_INTERNED = 100_000;

  public EntityType {
    Objects.requireNonNull(name, "name");
  }

  /** Returns the interned type for a fully qualified name (not checked for syntax). */
  public static EntityType of(String name) {
    EntityType t = INTERNED.get(name);
    if (t != null) {
      return t;
    }
    t = new EntityType(name);
    // Bound the intern table: fuzzed input must not grow it without limit.
    if (INTERNED.size() < MAX_INTERNED) {
      EntityType prev = INTERNED.putIfAbsent(name, t);
      return prev != null ? prev : t;
    }
    return t;
  }

  /** Returns whether this is an action type: its last name component is {@code Action}. */
  public boolean isAction() {
    return name.equals("Action") || name.endsWith("::Action");
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof EntityType t && name.equals(t.name));
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
