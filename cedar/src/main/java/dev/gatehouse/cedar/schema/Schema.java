package dev.gatehouse.cedar.schema;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A well-formed Cedar schema: entity types, actions and the hierarchy between them, with every
 * name resolved and every common type inlined.
 *
 * <p>Instances are immutable. Build one with {@link #parseCedar(String)} (the {@code
 * .cedarschema} syntax) or {@link #parseJson(String)} (the JSON schema format).
 *
 * @see <a href="https://docs.cedarpolicy.com/schema/schema.html">Cedar schema</a>
 */
public final class Schema {
  private final Map<String, EntityTypeDef> entityTypes;
  private final Map<ActionId, ActionDef> actions;
  private final Map<String, Set<String>> descendantTypes;
  private final Map<ActionId, Set<ActionId>> actionAncestors;
  private final Set<String> actionTypes;

  Schema(Map<String, EntityTypeDef> entityTypes, Map<ActionId, ActionDef> actions) {
    this.entityTypes = Collections.unmodifiableMap(new LinkedHashMap<>(entityTypes));
    this.actions = Collections.unmodifiableMap(new LinkedHashMap<>(actions));
    this.descendantTypes = computeDescendantTypes(entityTypes);
    this.actionAncestors = computeActionAncestors(actions);
    Set<String> types = new HashSet<>();
    for (ActionId id : actions.keySet()) {
      types.add(id.type());
    }
    this.actionTypes = Collections.unmodifiableSet(types);
  }

  /** Parses the Cedar schema syntax, or throws {@link SchemaException} with a line and column. */
  public static Schema parseCedar(String text) {
    return SchemaResolver.resolve(CedarSchemaParser.parse(text));
  }

  /** Parses the JSON schema format, or throws {@link SchemaException}. */
  public static Schema parseJson(String json) {
    return SchemaResolver.resolve(JsonSchemaParser.parse(json));
  }

  /** All declared entity types by fully qualified name, in declaration order. */
  public Map<String, EntityTypeDef> entityTypes() {
    return entityTypes;
  }

  /** The entity type with this fully qualified name, or {@code null}. */
  public EntityTypeDef entityType(String name) {
    return entityTypes.get(name);
  }

  /** All declared actions, in declaration order. */
  public Map<ActionId, ActionDef> actions() {
    return actions;
  }

  /** The action with this uid, or {@code null}. */
  public ActionDef action(ActionId id) {
    return actions.get(id);
  }

  /** Whether this is the type of some declared action (e.g. {@code Action}, {@code NS::Action}). */
  public boolean isActionType(String typeName) {
    return actionTypes.contains(typeName);
  }

  /** The action entity types, e.g. {@code Action} and {@code NS::Action}. */
  public Set<String> actionTypes() {
    return actionTypes;
  }

  /**
   * The entity types whose entities may be (transitively) members of an entity of type {@code
   * name}, not counting {@code name} itself unless the hierarchy has a cycle.
   */
  public Set<String> descendantTypes(String name) {
    return descendantTypes.getOrDefault(name, Set.of());
  }

  /** The action groups this action is transitively a member of, not counting itself. */
  public Set<ActionId> actionAncestors(ActionId id) {
    return actionAncestors.getOrDefault(id, Set.of());
  }

  private static Map<String, Set<String>> computeDescendantTypes(Map<String, EntityTypeDef> types) {
    Map<String, Set<String>> children = new HashMap<>();
    for (EntityTypeDef t : types.values()) {
      for (String parent : t.memberOfTypes()) {
        children.computeIfAbsent(parent, k -> new LinkedHashSet<>()).add(t.name());
      }
    }
    Map<String, Set<String>> result = new HashMap<>();
    for (String root : types.keySet()) {
      result.put(root, Collections.unmodifiableSet(reach(root, children)));
    }
    return Collections.unmodifiableMap(result);
  }

  private static Map<ActionId, Set<ActionId>> computeActionAncestors(Map<ActionId, ActionDef> actions) {
    Map<ActionId, Set<ActionId>> parents = new HashMap<>();
    for (ActionDef a : actions.values()) {
      parents.put(a.id(), a.memberOf());
    }
    Map<ActionId, Set<ActionId>> result = new HashMap<>();
    for (ActionId id : actions.keySet()) {
      result.put(id, Collections.unmodifiableSet(reach(id, parents)));
    }
    return Collections.unmodifiableMap(result);
  }

  /** Everything reachable from {@code start} by one or more steps of {@code edges}. */
  private static <T> Set<T> reach(T start, Map<T, Set<T>> edges) {
    Set<T> seen = new LinkedHashSet<>();
    Deque<T> todo = new ArrayDeque<>(edges.getOrDefault(start, Set.of()));
    while (!todo.isEmpty()) {
      T t = todo.pop();
      if (seen.add(t)) {
        todo.addAll(edges.getOrDefault(t, Set.of()));
      }
    }
    return seen;
  }
}
