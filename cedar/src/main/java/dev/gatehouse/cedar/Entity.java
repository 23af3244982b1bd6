package dev.gatehouse.cedar;

import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.value.Value;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An entity: uid, attributes, direct parents and tags.
 *
 * @param uid the entity's unique id
 * @param attrs attribute values by name
 * @param parents the direct parents; ancestors are computed by {@link Entities}
 * @param tags tag values by key
 */
public record Entity(EntityUid uid, Map<String, Value> attrs, Set<EntityUid> parents, Map<String, Value> tags) {
  public Entity {
    Objects.requireNonNull(uid, "uid");
    attrs = Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
    parents = Collections.unmodifiableSet(new LinkedHashSet<>(parents));
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /** Returns an entity without attributes and tags. */
  public static Entity of(EntityUid uid, Set<EntityUid> parents) {
    return new Entity(uid, Map.of(), parents, Map.of());
  }
}
