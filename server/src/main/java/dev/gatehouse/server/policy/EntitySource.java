package dev.gatehouse.server.policy;

import dev.gatehouse.cedar.Entity;
import java.util.List;

/**
 * Entities projected from Gatehouse's own identity data into a tenant's decisions, under the
 * configured namespace ({@code Gatehouse} by default): clients ({@link ClientEntitySource}) and
 * users with their groups ({@link IdentityEntitySource}), each one source. A source tells
 * {@link EntityService#changed} when its data changes, so that the entity version moves and
 * caches are invalidated.
 */
public interface EntitySource {

  /** The projected entities of a tenant; their types must be in the namespace. */
  List<Entity> entities(String tenantId, String namespace);
}
