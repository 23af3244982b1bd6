package dev.gatehouse.cedar.schema;

import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.json.Json;
import dev.gatehouse.cedar.json.JsonReader;
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
 * <p>Unknown fields are rejected, as upstream's serde does ({@code deny_unknown_fields}). Errors
 * point at the JSON value they are about.
 *
 * @see <a href="https://docs.cedarpolicy.com/schema/json-schema.html">JSON schema format</a>
 */
final class JsonSchemaParser {
  private final String text;
  private final RawSchema out = new RawSchema();

  private JsonSchemaParser(String text) {
    this.text = text;
  }

  /** Parses JSON schema text into declarations, or throws {@link SchemaException}. */
  static RawSchema parse(String json) {
    Json root;
    try {
      root = JsonReader.parse(json);
    } catch (ParseException e) {
      throw new SchemaException(e.line(), e.column(), e.description());
    }
    JsonSchemaParser p = new JsonSchemaParser(json);
    for (Map.Entry<String, Json> ns : p.object(root, "schema").fields().entrySet()) {
      p.namespace(ns.getKey(), p.object(ns.getValue(), "namespace `" + ns.getKey() + "`"));
    }
    return p.out;
  }

  private void namespace(String ns, Json.Obj def) {
    fields(def, "namespace `" + ns + "`", Set.of("commonTypes", "entityTypes", "actions", "annotations"));
    if (ns.equals("__cedar") || ns.startsWith("__cedar::")) {
      throw error(def, "the `__cedar` namespace is reserved");
    }
    out.namespaces.add(ns);
    for (Map.Entry<String, Json> c : optObject(def, "commonTypes").entrySet()) {
      out.commons.add(new CommonDecl(ns, c.getKey(), type(c.getValue(), false), pos(c.getValue())));
    }
    for (Map.Entry<String, Json> e : optObject(def, "entityTypes").entrySet()) {
      entity(ns, e.getKey(), object(e.getValue(), "entity type `" + e.getKey() + "`"));
    }
    for (Map.Entry<String, Json> a : optObject(def, "actions").entrySet()) {
      action(ns, a.getKey(), object(a.getValue(), "action `" + a.getKey() + "`"));
    }
  }

  private void entity(String ns, String name, Json.Obj def) {
    String what = "entity type `" + name + "`";
    fields(def, what, Set.of("memberOfTypes", "shape", "tags", "enum", "annotations"));
    List<Named> memberOf = new ArrayList<>();
    for (Json o : optList(def, "memberOfTypes")) {
      memberOf.add(new Named(string(o, "memberOfTypes"), NameKind.ENTITY, pos(o)));
    }
    TypeExpr shape = def.get("shape") != null ? type(def.get("shape"), false) : null;
    TypeExpr tags = def.get("tags") != null ? type(def.get("tags"), false) : null;
    List<String> enumIds = null;
    if (def.get("enum") != null) {
      if (shape != null || tags != null || !memberOf.isEmpty()) {
        throw error(def, what + " cannot have `enum` together with `memberOfTypes`, `shape` or `tags`");
      }
      enumIds = new ArrayList<>();
      for (Json o : optList(def, "enum")) {
        enumIds.add(string(o, "enum"));
      }
    }
    out.entities.add(new EntityDecl(ns, name, memberOf, shape, tags, enumIds, pos(def)));
  }

  private void action(String ns, String name, Json.Obj def) {
    String what = "action `" + name + "`";
    fields(def, what, Set.of("memberOf", "appliesTo", "annotations", "attributes"));
    if (def.get("attributes") != null) {
      throw error(def.get("attributes"), "action attributes are not supported");
    }
    List<ActionRef> memberOf = new ArrayList<>();
    for (Json o : optList(def, "memberOf")) {
      Json.Obj ref = object(o, "memberOf");
      fields(ref, "memberOf", Set.of("id", "type"));
      String type = ref.get("type") != null ? string(ref.get("type"), "type") : null;
      memberOf.add(new ActionRef(type, string(require(ref, "id"), "id"), pos(ref)));
    }
    Json at = def.get("appliesTo");
    boolean hasAppliesTo = at != null && !(at instanceof Json.Null);
    List<Named> principals = new ArrayList<>();
    List<Named> resources = new ArrayList<>();
    TypeExpr context = null;
    if (hasAppliesTo) {
      Json.Obj spec = object(at, "appliesTo");
      fields(spec, "appliesTo", Set.of("principalTypes", "resourceTypes", "context"));
      for (Json o : optList(spec, "principalTypes")) {
        principals.add(new Named(string(o, "principalTypes"), NameKind.ENTITY, pos(o)));
      }
      for (Json o : optList(spec, "resourceTypes")) {
        resources.add(new Named(string(o, "resourceTypes"), NameKind.ENTITY, pos(o)));
      }
      context = spec.get("context") != null ? type(spec.get("context"), false) : null;
    }
    out.actions.add(new ActionDecl(ns, name, memberOf, hasAppliesTo, principals, resources, context, pos(def)));
  }

  /** Reads a type; {@code attribute} allows the {@code required} field of record attributes. */
  private TypeExpr type(Json j, boolean attribute) {
    Json.Obj t = object(j, "type");
    String kind = string(require(t, "type"), "type");
    Set<String> allowed = switch (kind) {
      case "Set" -> Set.of("type", "element", "required", "annotations");
      case "Record" -> Set.of("type", "attributes", "additionalAttributes", "required", "annotations");
      case "Entity", "Extension", "EntityOrCommon" -> Set.of("type", "name", "required", "annotations");
      default -> Set.of("type", "required", "annotations");
    };
    fields(t, "type", allowed);
    if (!attribute && t.get("required") != null) {
      throw error(t.get("required"), "`required` is only allowed on record attributes");
    }
    Pos pos = pos(t);
    return switch (kind) {
      case "Long" -> new RawSchema.Prim(SchemaType.LONG);
      case "String" -> new RawSchema.Prim(SchemaType.STRING);
      case "Boolean" -> new RawSchema.Prim(SchemaType.BOOL);
      case "Set" -> new RawSchema.SetOf(type(require(t, "element"), false), pos);
      case "Record" -> {
        if (t.get("additionalAttributes") instanceof Json.Bool b && b.value()) {
          throw error(t, "`additionalAttributes` is not supported");
        }
        LinkedHashMap<String, Attr> attrs = new LinkedHashMap<>();
        for (Map.Entry<String, Json> a : optObject(t, "attributes").entrySet()) {
          Json.Obj at = object(a.getValue(), "attribute `" + a.getKey() + "`");
          Json req = at.get("required");
          if (req != null && !(req instanceof Json.Bool)) {
            throw error(req, "`required` must be a boolean");
          }
          attrs.put(a.getKey(), new Attr(type(at, true), req == null || ((Json.Bool) req).value()));
        }
        yield new RawSchema.Rec(attrs, pos);
      }
      case "Entity" -> new Named(string(require(t, "name"), "name"), NameKind.ENTITY, pos);
      case "Extension" -> new Named(string(require(t, "name"), "name"), NameKind.EXTENSION, pos);
      case "EntityOrCommon" -> new Named(string(require(t, "name"), "name"), NameKind.ENTITY_OR_COMMON, pos);
      default -> new Named(kind, NameKind.ENTITY_OR_COMMON, pos);
    };
  }

  private Json require(Json.Obj m, String key) {
    Json v = m.get(key);
    if (v == null) {
      throw error(m, "missing field `" + key + "`");
    }
    return v;
  }

  private void fields(Json.Obj m, String what, Set<String> allowed) {
    for (Map.Entry<String, Json> f : m.fields().entrySet()) {
      if (!allowed.contains(f.getKey())) {
        throw error(f.getValue(), "unknown field `" + f.getKey() + "` in " + what);
      }
    }
  }

  private Map<String, Json> optObject(Json.Obj m, String key) {
    Json v = m.get(key);
    return v == null ? Map.of() : object(v, "`" + key + "`").fields();
  }

  private List<Json> optList(Json.Obj m, String key) {
    Json v = m.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof Json.Arr a)) {
      throw error(v, "expected a JSON array for `" + key + "`");
    }
    return a.items();
  }

  private Json.Obj object(Json j, String what) {
    if (!(j instanceof Json.Obj o)) {
      throw error(j, "expected a JSON object for " + what);
    }
    return o;
  }

  private String string(Json j, String what) {
    if (!(j instanceof Json.Str s)) {
      throw error(j, "expected a string for `" + what + "`");
    }
    return s.value();
  }

  private Pos pos(Json j) {
    if (j.at() < 0) {
      return Pos.NONE;
    }
    ParseException p = ParseException.at(text, j.at(), "");
    return new Pos(p.line(), p.column());
  }

  private SchemaException error(Json j, String message) {
    return pos(j).error(message);
  }
}
