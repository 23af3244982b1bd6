package dev.gatehouse.cedar.schema;

import dev.gatehouse.cedar.schema.RawSchema.ActionDecl;
import dev.gatehouse.cedar.schema.RawSchema.ActionRef;
import dev.gatehouse.cedar.schema.RawSchema.Attr;
import dev.gatehouse.cedar.schema.RawSchema.CommonDecl;
import dev.gatehouse.cedar.schema.RawSchema.EntityDecl;
import dev.gatehouse.cedar.schema.RawSchema.NameKind;
import dev.gatehouse.cedar.schema.RawSchema.Named;
import dev.gatehouse.cedar.schema.RawSchema.Pos;
import dev.gatehouse.cedar.schema.RawSchema.TypeExpr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reader for the JSON schema format: a JSON object from namespace names ({@code ""} for the
 * empty namespace) to {@code commonTypes}, {@code entityTypes}, {@code actions} and {@code
 * annotations}.
 *
 * <p>Unknown fields are rejected, as upstream's serde does ({@code deny_unknown_fields}).
 *
 * @see <a href="https://docs.cedarpolicy.com/schema/json-schema.html">JSON schema format</a>
 */
final class JsonSchemaParser {
  private final RawSchema out = new RawSchema();

  private JsonSchemaParser() {}

  /** Parses JSON schema text into declarations, or throws {@link SchemaException}. */
  static RawSchema parse(String json) {
    JsonSchemaParser p = new JsonSchemaParser();
    Map<String, Object> root = object(MiniJson.parse(json), "schema");
    for (Map.Entry<String, Object> ns : root.entrySet()) {
      p.namespace(ns.getKey(), object(ns.getValue(), "namespace `" + ns.getKey() + "`"));
    }
    return p.out;
  }

  private void namespace(String ns, Map<String, Object> def) {
    fields(def, "namespace `" + ns + "`", Set.of("commonTypes", "entityTypes", "actions", "annotations"));
    if (ns.equals("__cedar") || ns.startsWith("__cedar::")) {
      throw new SchemaException("the `__cedar` namespace is reserved");
    }
    out.namespaces.add(ns);
    Map<String, Object> commons = optObject(def, "commonTypes");
    for (Map.Entry<String, Object> c : commons.entrySet()) {
      out.commons.add(new CommonDecl(ns, c.getKey(), type(c.getValue(), false), Pos.NONE));
    }
    Map<String, Object> entities = object(def.getOrDefault("entityTypes", Map.of()), "entityTypes");
    for (Map.Entry<String, Object> e : entities.entrySet()) {
      entity(ns, e.getKey(), object(e.getValue(), "entity type `" + e.getKey() + "`"));
    }
    Map<String, Object> actions = object(def.getOrDefault("actions", Map.of()), "actions");
    for (Map.Entry<String, Object> a : actions.entrySet()) {
      action(ns, a.getKey(), object(a.getValue(), "action `" + a.getKey() + "`"));
    }
  }

  private void entity(String ns, String name, Map<String, Object> def) {
    String what = "entity type `" + name + "`";
    fields(def, what, Set.of("memberOfTypes", "shape", "tags", "enum", "annotations"));
    List<Named> memberOf = new ArrayList<>();
    for (Object o : list(def.getOrDefault("memberOfTypes", List.of()), "memberOfTypes")) {
      memberOf.add(new Named(string(o, "memberOfTypes"), NameKind.ENTITY, Pos.NONE));
    }
    TypeExpr shape = def.containsKey("shape") ? type(def.get("shape"), false) : null;
    TypeExpr tags = def.containsKey("tags") ? type(def.get("tags"), false) : null;
    List<String> enumIds = null;
    if (def.containsKey("enum")) {
      if (shape != null || tags != null || !memberOf.isEmpty()) {
        throw new SchemaException(what + " cannot have `enum` together with `memberOfTypes`, `shape` or `tags`");
      }
      enumIds = new ArrayList<>();
      for (Object o : list(def.get("enum"), "enum")) {
        enumIds.add(string(o, "enum"));
      }
    }
    out.entities.add(new EntityDecl(ns, name, memberOf, shape, tags, enumIds, Pos.NONE));
  }

  private void action(String ns, String name, Map<String, Object> def) {
    String what = "action `" + name + "`";
    fields(def, what, Set.of("memberOf", "appliesTo", "annotations", "attributes"));
    if (def.containsKey("attributes")) {
      throw new SchemaException(what + ": action attributes are not supported");
    }
    List<ActionRef> memberOf = new ArrayList<>();
    for (Object o : list(def.getOrDefault("memberOf", List.of()), "memberOf")) {
      Map<String, Object> ref = object(o, "memberOf");
      fields(ref, "memberOf", Set.of("id", "type"));
      String type = ref.containsKey("type") ? string(ref.get("type"), "type") : null;
      memberOf.add(new ActionRef(type, string(ref.get("id"), "id"), Pos.NONE));
    }
    boolean hasAppliesTo = def.containsKey("appliesTo") && def.get("appliesTo") != MiniJson.NULL;
    List<Named> principals = new ArrayList<>();
    List<Named> resources = new ArrayList<>();
    TypeExpr context = null;
    if (hasAppliesTo) {
      Map<String, Object> at = object(def.get("appliesTo"), "appliesTo");
      fields(at, "appliesTo", Set.of("principalTypes", "resourceTypes", "context"));
      for (Object o : list(at.getOrDefault("principalTypes", List.of()), "principalTypes")) {
        principals.add(new Named(string(o, "principalTypes"), NameKind.ENTITY, Pos.NONE));
      }
      for (Object o : list(at.getOrDefault("resourceTypes", List.of()), "resourceTypes")) {
        resources.add(new Named(string(o, "resourceTypes"), NameKind.ENTITY, Pos.NONE));
      }
      context = at.containsKey("context") ? type(at.get("context"), false) : null;
    }
    out.actions.add(new ActionDecl(ns, name, memberOf, hasAppliesTo, principals, resources, context, Pos.NONE));
  }

  /** Reads a type; {@code attribute} allows the {@code required} field of record attributes. */
  private TypeExpr type(Object o, boolean attribute) {
    Map<String, Object> t = object(o, "type");
    String kind = string(t.get("type"), "type");
    Set<String> allowed = switch (kind) {
      case "Set" -> Set.of("type", "element", "required", "annotations");
      case "Record" -> Set.of("type", "attributes", "additionalAttributes", "required", "annotations");
      case "Entity", "Extension", "EntityOrCommon" -> Set.of("type", "name", "required", "annotations");
      default -> Set.of("type", "required", "annotations");
    };
    fields(t, "type", allowed);
    if (!attribute && t.containsKey("required")) {
      throw new SchemaException("`required` is only allowed on record attributes");
    }
    return switch (kind) {
      case "Long" -> new RawSchema.Prim(SchemaType.LONG);
      case "String" -> new RawSchema.Prim(SchemaType.STRING);
      case "Boolean" -> new RawSchema.Prim(SchemaType.BOOL);
      case "Set" -> new RawSchema.SetOf(type(require(t, "element"), false), Pos.NONE);
      case "Record" -> {
        if (Boolean.TRUE.equals(t.get("additionalAttributes"))) {
          throw new SchemaException("`additionalAttributes` is not supported");
        }
        LinkedHashMap<String, Attr> attrs = new LinkedHashMap<>();
        Map<String, Object> as = object(t.getOrDefault("attributes", Map.of()), "attributes");
        for (Map.Entry<String, Object> a : as.entrySet()) {
          Map<String, Object> at = object(a.getValue(), "attribute `" + a.getKey() + "`");
          Object req = at.getOrDefault("required", Boolean.TRUE);
          if (!(req instanceof Boolean)) {
            throw new SchemaException("`required` must be a boolean");
          }
          attrs.put(a.getKey(), new Attr(type(at, true), (Boolean) req));
        }
        yield new RawSchema.Rec(attrs, Pos.NONE);
      }
      case "Entity" -> new Named(string(require(t, "name"), "name"), NameKind.ENTITY, Pos.NONE);
      case "Extension" -> new Named(string(require(t, "name"), "name"), NameKind.EXTENSION, Pos.NONE);
      case "EntityOrCommon" -> new Named(string(require(t, "name"), "name"), NameKind.ENTITY_OR_COMMON, Pos.NONE);
      default -> new Named(kind, NameKind.ENTITY_OR_COMMON, Pos.NONE);
    };
  }

  private static Object require(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      throw new SchemaException("missing field `" + key + "`");
    }
    return v;
  }

  private static void fields(Map<String, Object> m, String what, Set<String> allowed) {
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new SchemaException("unknown field `" + k + "` in " + what);
      }
    }
  }

  private static Map<String, Object> optObject(Map<String, Object> m, String key) {
    return object(m.getOrDefault(key, Map.of()), key);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object o, String what) {
    if (!(o instanceof Map)) {
      throw new SchemaException("expected a JSON object for " + what);
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o, String what) {
    if (!(o instanceof List)) {
      throw new SchemaException("expected a JSON array for `" + what + "`");
    }
    return (List<Object>) o;
  }

  private static String string(Object o, String what) {
    if (!(o instanceof String s)) {
      throw new SchemaException("expected a string for `" + what + "`");
    }
    return s;
  }
}
