package dev.gatehouse.cedar.schema;

import dev.gatehouse.cedar.schema.RawSchema.ActionDecl;
import dev.gatehouse.cedar.schema.RawSchema.ActionRef;
import dev.gatehouse.cedar.schema.RawSchema.Attr;
import dev.gatehouse.cedar.schema.RawSchema.CommonDecl;
import dev.gatehouse.cedar.schema.RawSchema.EntityDecl;
import dev.gatehouse.cedar.schema.RawSchema.Named;
import dev.gatehouse.cedar.schema.RawSchema.TypeExpr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns raw declarations into a {@link Schema}: qualifies and resolves every name, inlines
 * common types, and rejects schemas that are not well formed.
 *
 * <p>An unqualified type name {@code T} written in namespace {@code N} resolves, as upstream
 * does (Cedar 4, {@code json_schema.rs} "EntityOrCommon"), to the first of: common type
 * {@code N::T}, entity type {@code N::T}, common type {@code T}, entity type {@code T}, builtin
 * {@code __cedar::T}. A qualified name is a common or entity type with exactly that name, and
 * {@code __cedar::T} is always the builtin. Names that must be entity types ({@code in}, {@code
 * appliesTo}) skip the common types and builtins.
 */
final class SchemaResolver {
  private static final Set<String> RESERVED_COMMON =
      Set.of("Bool", "Boolean", "Entity", "Extension", "Long", "Record", "Set", "String");

  private final Map<String, CommonDecl> commons = new HashMap<>();
  private final Map<String, SchemaType> resolvedCommons = new HashMap<>();
  private final Set<String> resolving = new HashSet<>();
  private final Map<String, EntityDecl> entities = new LinkedHashMap<>();
  private final Map<ActionId, ActionDecl> actions = new LinkedHashMap<>();
  private static final int MAX_TYPE_DEPTH = 256;
  private int typeDepth;

  private SchemaResolver() {}

  static Schema resolve(RawSchema raw) {
    return new SchemaResolver().run(raw);
  }

  private Schema run(RawSchema raw) {
    for (CommonDecl c : raw.commons) {
      if (RESERVED_COMMON.contains(c.name()) || c.name().startsWith("__cedar")) {
        throw c.pos().error("common type name `" + c.name() + "` is reserved");
      }
      String q = RawSchema.qualify(c.namespace(), c.name());
      if (commons.putIfAbsent(q, c) != null) {
        throw c.pos().error("duplicate common type `" + q + "`");
      }
    }
    for (EntityDecl e : raw.entities) {
      if (e.name().equals("Action")) {
        // Action entity types are declared implicitly by declaring actions.
        throw e.pos().error("entity type `Action` declared in `entityTypes` list");
      }
      String q = RawSchema.qualify(e.namespace(), e.name());
      if (entities.putIfAbsent(q, e) != null) {
        throw e.pos().error("duplicate entity type `" + q + "`");
      }
    }
    for (ActionDecl a : raw.actions) {
      ActionId id = new ActionId(RawSchema.qualify(a.namespace(), "Action"), a.id());
      if (actions.putIfAbsent(id, a) != null) {
        throw a.pos().error("duplicate action `" + id + "`");
      }
    }
    checkNoShadowing(raw);
    for (String q : commons.keySet()) {
      resolveCommon(q);
    }
    Map<String, EntityTypeDef> entityDefs = new LinkedHashMap<>();
    for (Map.Entry<String, EntityDecl> en : entities.entrySet()) {
      entityDefs.put(en.getKey(), entity(en.getKey(), en.getValue()));
    }
    Map<ActionId, ActionDef> actionDefs = new LinkedHashMap<>();
    for (Map.Entry<ActionId, ActionDecl> en : actions.entrySet()) {
      actionDefs.put(en.getKey(), action(en.getKey(), en.getValue()));
    }
    checkNoActionCycle(actionDefs);
    return new Schema(entityDefs, actionDefs);
  }

  /**
   * Rejects a declaration in a namespace whose base name is also declared in the empty namespace
   * (RFC 70): {@code N::User} next to {@code User} would make {@code User} inside {@code N} mean
   * something surprising.
   *
   * @see <a href="https://github.com/cedar-policy/rfcs/blob/main/text/0070-disallow-empty-namespace-shadowing.md">RFC 70</a>
   */
  private void checkNoShadowing(RawSchema raw) {
    Set<String> bareTypes = new HashSet<>();
    raw.entities.stream().filter(e -> e.namespace().isEmpty()).forEach(e -> bareTypes.add(e.name()));
    raw.commons.stream().filter(c -> c.namespace().isEmpty()).forEach(c -> bareTypes.add(c.name()));
    for (EntityDecl e : raw.entities) {
      if (!e.namespace().isEmpty() && bareTypes.contains(e.name())) {
        throw e.pos().error(shadowing(RawSchema.qualify(e.namespace(), e.name()), e.name()));
      }
    }
    for (CommonDecl c : raw.commons) {
      if (!c.namespace().isEmpty() && bareTypes.contains(c.name())) {
        throw c.pos().error(shadowing(RawSchema.qualify(c.namespace(), c.name()), c.name()));
      }
    }
    Set<String> bareActions = new HashSet<>();
    raw.actions.stream().filter(a -> a.namespace().isEmpty()).forEach(a -> bareActions.add(a.id()));
    for (ActionDecl a : raw.actions) {
      if (!a.namespace().isEmpty() && bareActions.contains(a.id())) {
        throw a.pos().error(shadowing(new ActionId(a.namespace() + "::Action", a.id()).toString(),
            new ActionId("Action", a.id()).toString()));
      }
    }
  }

  private static String shadowing(String def, String shadowed) {
    return "definition of `" + def + "` illegally shadows the existing definition of `" + shadowed + "`";
  }

  private EntityTypeDef entity(String name, EntityDecl e) {
    Set<String> memberOf = new LinkedHashSet<>();
    for (Named n : e.memberOf()) {
      memberOf.add(entityName(n, e.namespace()));
    }
    SchemaType.Record shape = SchemaType.Record.empty();
    if (e.shape() != null) {
      SchemaType t = type(e.shape(), e.namespace());
      if (!(t instanceof SchemaType.Record r)) {
        throw e.pos().error("the shape of entity type `" + name + "` must be a record type");
      }
      shape = r;
    }
    SchemaType tags = e.tags() == null ? null : type(e.tags(), e.namespace());
    if (e.enumIds() != null) {
      if (e.enumIds().isEmpty()) {
        throw e.pos().error("enumerated entity type `" + name + "` must have at least one id");
      }
    }
    return new EntityTypeDef(name, memberOf, shape, tags, e.enumIds());
  }

  private ActionDef action(ActionId id, ActionDecl a) {
    Set<ActionId> memberOf = new LinkedHashSet<>();
    for (ActionRef r : a.memberOf()) {
      String type = r.type() == null ? id.type() : qualifyActionType(r.type(), a.namespace());
      ActionId parent = new ActionId(type, r.id());
      if (!actions.containsKey(parent)) {
        throw r.pos().error("undeclared action `" + parent + "` in the parents of `" + id + "`");
      }
      memberOf.add(parent);
    }
    List<String> principals = new ArrayList<>();
    List<String> resources = new ArrayList<>();
    SchemaType.Record context = SchemaType.Record.empty();
    if (a.hasAppliesTo()) {
      for (Named n : a.principals()) {
        addOnce(principals, entityName(n, a.namespace()));
      }
      for (Named n : a.resources()) {
        addOnce(resources, entityName(n, a.namespace()));
      }
      if (a.context() != null) {
        SchemaType t = type(a.context(), a.namespace());
        if (!(t instanceof SchemaType.Record r)) {
          throw a.pos().error("the context of action `" + id + "` must be a record type");
        }
        context = r;
      }
    }
    return new ActionDef(id, memberOf, principals, resources, context);
  }

  private static void addOnce(List<String> list, String s) {
    if (!list.contains(s)) {
      list.add(s);
    }
  }

  /**
   * Qualifies the type of an action reference: upstream treats an unqualified {@code Action}
   * as the enclosing namespace's action type, and a qualified one as written.
   */
  private static String qualifyActionType(String type, String namespace) {
    return type.contains("::") ? type : RawSchema.qualify(namespace, type);
  }

  private void checkNoActionCycle(Map<ActionId, ActionDef> defs) {
    Map<ActionId, Integer> state = new HashMap<>();
    for (ActionId start : defs.keySet()) {
      if (state.containsKey(start)) {
        continue;
      }
      // Iterative DFS: action hierarchies from fuzzers can be long chains.
      List<ActionId> stack = new ArrayList<>();
      List<java.util.Iterator<ActionId>> iters = new ArrayList<>();
      stack.add(start);
      iters.add(defs.get(start).memberOf().iterator());
      state.put(start, 1);
      while (!stack.isEmpty()) {
        java.util.Iterator<ActionId> it = iters.get(iters.size() - 1);
        if (it.hasNext()) {
          ActionId next = it.next();
          Integer s = state.get(next);
          if (s == null) {
            state.put(next, 1);
            stack.add(next);
            iters.add(defs.get(next).memberOf().iterator());
          } else if (s == 1) {
            throw new SchemaException("cycle in the action hierarchy through `" + next + "`");
          }
        } else {
          state.put(stack.remove(stack.size() - 1), 2);
          iters.remove(iters.size() - 1);
        }
      }
    }
  }

  private SchemaType type(TypeExpr t, String ns) {
    // Common types inline into each other, so a chain of them nests deeper than any one
    // declaration; bound the total so that hostile schemas fail cleanly.
    if (++typeDepth > MAX_TYPE_DEPTH) {
      throw new SchemaException("types are nested too deeply (through common types)");
    }
    try {
      return typeUnbounded(t, ns);
    } finally {
      typeDepth--;
    }
  }

  private SchemaType typeUnbounded(TypeExpr t, String ns) {
    return switch (t) {
      case RawSchema.Prim p -> p.type();
      case RawSchema.SetOf s -> new SchemaType.SetOf(type(s.element(), ns));
      case RawSchema.Rec r -> {
        LinkedHashMap<String, SchemaType.Attribute> attrs = new LinkedHashMap<>();
        for (Map.Entry<String, Attr> en : r.attributes().entrySet()) {
          attrs.put(en.getKey(),
              new SchemaType.Attribute(type(en.getValue().type(), ns), en.getValue().required()));
        }
        yield new SchemaType.Record(attrs);
      }
      case Named n -> named(n, ns);
    };
  }

  private SchemaType named(Named n, String ns) {
    String name = n.name();
    switch (n.kind()) {
      case ENTITY:
        return new SchemaType.Entity(entityName(n, ns));
      case EXTENSION: {
        String bare = name.startsWith("__cedar::") ? name.substring(9) : name;
        if (!SchemaType.EXTENSION_TYPES.contains(bare)) {
          throw n.pos().error("unknown extension type `" + name + "`");
        }
        return new SchemaType.Extension(bare);
      }
      default:
        break;
    }
    if (name.startsWith("__cedar::")) {
      SchemaType b = builtin(name.substring(9));
      if (b == null) {
        throw n.pos().error("failed to resolve type `" + name + "`");
      }
      return b;
    }
    List<String> candidates =
        name.contains("::") || ns.isEmpty() ? List.of(name) : List.of(ns + "::" + name, name);
    for (String q : candidates) {
      if (commons.containsKey(q)) {
        return resolveCommon(q);
      }
      if (entities.containsKey(q)) {
        return new SchemaType.Entity(q);
      }
    }
    SchemaType b = name.contains("::") ? null : builtin(name);
    if (b == null) {
      throw n.pos().error("failed to resolve type `" + name + "`");
    }
    return b;
  }

  private static SchemaType builtin(String name) {
    return switch (name) {
      case "Bool" -> SchemaType.BOOL;
      case "Long" -> SchemaType.LONG;
      case "String" -> SchemaType.STRING;
      case "ipaddr", "decimal", "datetime", "duration" -> new SchemaType.Extension(name);
      default -> null;
    };
  }

  private SchemaType resolveCommon(String q) {
    SchemaType done = resolvedCommons.get(q);
    if (done != null) {
      return done;
    }
    CommonDecl c = commons.get(q);
    if (!resolving.add(q)) {
      throw c.pos().error("cycle in common type definitions through `" + q + "`");
    }
    SchemaType t = type(c.type(), c.namespace());
    resolving.remove(q);
    resolvedCommons.put(q, t);
    return t;
  }

  private String entityName(Named n, String ns) {
    String name = n.name();
    if (name.contains("::")) {
      if (entities.containsKey(name)) {
        return name;
      }
    } else {
      String inNs = RawSchema.qualify(ns, name);
      if (entities.containsKey(inNs)) {
        return inNs;
      }
      if (entities.containsKey(name)) {
        return name;
      }
    }
    throw n.pos().error("undeclared entity type `" + name + "`");
  }

}
