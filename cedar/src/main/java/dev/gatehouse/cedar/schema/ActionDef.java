package dev.gatehouse.cedar.schema;

import java.util.List;
import java.util.Set;

/**
 * An action declared by a schema.
 *
 * <p>An action declared without {@code appliesTo} applies to no request at all (Cedar 4), so
 * {@link #principalTypes()} and {@link #resourceTypes()} are then empty.
 *
 * @param id the action's uid
 * @param memberOf the action groups this action is a direct member of
 * @param principalTypes entity types allowed as principal, fully qualified
 * @param resourceTypes entity types allowed as resource, fully qualified
 * @param context the type of the request context
 */
public record ActionDef(
    ActionId id,
    Set<ActionId> memberOf,
    List<String> principalTypes,
    List<String> resourceTypes,
    SchemaType.Record context) {

  /** Creates a declaration; collections are copied. */
  public ActionDef {
    memberOf = Set.copyOf(memberOf);
    principalTypes = List.copyOf(principalTypes);
    resourceTypes = List.copyOf(resourceTypes);
  }

  /** Whether a request with this action can exist at all. */
  public boolean appliesToSomething() {
    return !principalTypes.isEmpty() && !resourceTypes.isEmpty();
  }
}
