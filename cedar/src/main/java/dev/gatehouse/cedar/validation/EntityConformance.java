package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.schema.ActionDef;
import dev.gatehouse.cedar.schema.ActionId;
import dev.gatehouse.cedar.schema.EntityTypeDef;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.value.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entities as a schema sees them: checks that parsed entities conform to the schema, and builds
 * the action entities the schema declares.
 *
 * <p>Upstream adds the schema's action entities, with their action-group parents, whenever
 * entities are parsed with a schema; authorization decisions such as {@code action in
 * Action::"group"} depend on them.
 */
public final class EntityConformance {
  private EntityConformance() {}

  /**
   * Checks entities against a schema: declared types, declared enumerated ids, attribute and tag
   * values of the declared types, and parents of the types the schema allows.
   *
   * @throws CedarException describing the first entity that does not conform
   */
  public static void check(Schema schema, Iterable<Entity> entities) {
    Map<EntityUid, Entity> byUid = new HashMap<>();
    entities.forEach(e -> byUid.put(e.uid(), e));
    for (Entity e : entities) {
      String err = e.uid().type().isAction() ? actionProblem(schema, e, byUid) : problem(schema, e);
      if (err != null) {
        throw new CedarException("entity `" + e.uid() + "` does not conform to the schema: " + err);
      }
    }
  }

  /**
   * An action entity given in the entities file must be exactly the schema's: no attributes or
   * tags, only actions as parents, and the same ancestors once the file's hierarchy is closed
   * transitively (upstream compares it, after computing the closure, with the schema's action
   * entity).
   */
  private static String actionProblem(Schema schema, Entity e, Map<EntityUid, Entity> byUid) {
    ActionId id = new ActionId(e.uid().type().name(), e.uid().id());
    if (schema.action(id) == null) {
      return "action `" + e.uid() + "` is not declared in the schema";
    }
    for (EntityUid p : e.parents()) {
      if (!p.type().isAction()) {
        return "action `" + e.uid() + "` has a non-action parent `" + p + "`";
      }
    }
    Set<ActionId> closure = new HashSet<>();
    Deque<EntityUid> todo = new ArrayDeque<>(e.parents());
    while (!todo.isEmpty()) {
      EntityUid p = todo.pop();
      if (closure.add(new ActionId(p.type().name(), p.id()))) {
        Entity pe = byUid.get(p);
        if (pe != null) {
          todo.addAll(pe.parents());
        }
      }
    }
    if (!e.attrs().isEmpty() || !e.tags().isEmpty() || !closure.equals(schema.actionAncestors(id))) {
      return "definition of action `" + e.uid() + "` does not match its schema declaration";
    }
    return null;
  }

  private static String problem(Schema schema, Entity e) {
    String type = e.uid().type().name();
    EntityTypeDef d = schema.entityType(type);
    if (d == null) {
      return "entity type `" + type + "` is not declared in the schema";
    }
    if (d.isEnum() && !d.enumIds().contains(e.uid().id())) {
      return "`" + e.uid() + "` is of an enumerated entity type, but its id is not declared";
    }
    String err = ValueConformance.record(e.attrs(), d.attributes(), "");
    if (err != null) {
      return err;
    }
    if (!e.tags().isEmpty()) {
      if (d.tags() == null) {
        return "entity type `" + type + "` does not allow tags";
      }
      for (Map.Entry<String, Value> t : e.tags().entrySet()) {
        err = ValueConformance.check(t.getValue(), d.tags(), "tag `" + t.getKey() + "`");
        if (err != null) {
          return err;
        }
      }
    }
    for (EntityUid p : e.parents()) {
      if (!d.memberOfTypes().contains(p.type().name())) {
        return "`" + e.uid() + "` is not allowed to have an ancestor of type `" + p.type().name() + "`";
      }
    }
    return null;
  }

  /** The action entities the schema declares, each with its action groups (transitively) as parents. */
  public static List<Entity> actionEntities(Schema schema) {
    List<Entity> out = new ArrayList<>();
    for (ActionDef a : schema.actions().values()) {
      Set<EntityUid> parents = new LinkedHashSet<>();
      for (ActionId p : schema.actionAncestors(a.id())) {
        parents.add(EntityUid.of(p.type(), p.id()));
      }
      out.add(Entity.of(EntityUid.of(a.id().type(), a.id().id()), parents));
    }
    return out;
  }
}
