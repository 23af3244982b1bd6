package dev.gatehouse.cedar.ast;

import java.util.Objects;

/**
 * An entity's unique identifier: its type and its id, written {@code Type::"id"}.
 *
 * @param type the entity type
 * @param id the entity id; any string, including the empty string
 */
public record EntityUid(EntityType type, String id) implements EntityRef {
  public EntityUid {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
  }

  /** Returns the uid {@code type::"id"}. */
  public static EntityUid of(String type, String id) {
    return new EntityUid(EntityType.of(type), id);
  }

  @Override
  public String toString() {
    return type.name() + "::" + Names.quote(id);
  }
}
