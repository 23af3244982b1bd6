package dev.gatehouse.cedar.schema;

import java.util.List;
import java.util.Set;

/**
 * An entity type declared by a schema.
 *
 * @param name fully qualified name, e.g. {@code NS::User}
 * @param memberOfTypes the entity types an entity of this type may be a direct member of
 * @param attributes the attributes entities of this type carry (a closed record)
 * @param tags the type of every tag value, or {@code null} when the type has no tags
 * @param enumIds the only ids an entity of this type may have, or {@code null} when any id is
 *     allowed
 */
public record EntityTypeDef(
    String name,
    Set<String> memberOfTypes,
    SchemaType.Record attributes,
    SchemaType tags,
    List<String> enumIds) {

  /** Creates a declaration; collections are copied. */
  public EntityTypeDef {
    memberOfTypes = Set.copyOf(memberOfTypes);
    enumIds = enumIds == null ? null : List.copyOf(enumIds);
  }

  /** Whether this is an enumerated entity type ({@code entity E enum ["a", "b"]}). */
  public boolean isEnum() {
    return enumIds != null;
  }
}
