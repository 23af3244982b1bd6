package dev.gatehouse.server.policy;

import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.ast.EntityUid;
import java.util.Collection;

/**
 * The namespace of entities projected from identity data ({@code Gatehouse} by default): read-only
 * on every path that brings entities, so that no caller can replace a user, group, role or client
 * entity (its parents, its attributes) for a decision. Stored entities, {@code /v1/authorize}
 * {@code entities}, AuthZEN {@code subject.properties} / {@code resource.properties} and every
 * item of a batch go through {@link #refuse}; {@link DecisionService} checks again before it
 * decides.
 */
final class ProjectedNamespace {

  private ProjectedNamespace() {}

  /** Whether {@code uid}'s type lies in {@code namespace}. */
  static boolean contains(String namespace, EntityUid uid) {
    String type = uid.type().name();
    return type.equals(namespace) || type.startsWith(namespace + "::");
  }

  /** Refuses (400) any of {@code entities} in {@code namespace}; {@code what} names the field. */
  static void refuse(String namespace, Collection<Entity> entities, String what) {
    for (Entity e : entities) {
      if (contains(namespace, e.uid())) {
        throw new Uids.BadRequest(what + ": `" + e.uid() + "` is in the namespace `" + namespace
            + "`, which is projected from identity data and read-only");
      }
    }
  }
}
