package dev.gatehouse.cedar.json;

import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cedar's entities JSON: an array of {@code {"uid", "attrs", "parents", "tags"?}} objects.
 *
 * <p>{@link #parse(String, SchemaHints)} is the hook for schema-directed parsing.
 */
public final class EntitiesJson {
  private static final Set<String> FIELDS = Set.of("uid", "attrs", "parents", "tags");

  private EntitiesJson() {}

  /**
   * Parses entities JSON without a schema.
   *
   * @throws ParseException when malformed, including duplicate uids
   */
  public static Entities parse(String text) {
    return Entities.of(parseList(text, SchemaHints.NONE));
  }

  /** Parses entities JSON with schema hints; see {@link SchemaHints}. */
  public static Entities parse(String text, SchemaHints hints) {
    return Entities.of(parseList(text, hints));
  }

  /**
   * Parses entities JSON into a list (not yet a store, so more entities can be added).
   *
   * @throws ParseException when malformed, including duplicate uids
   */
  public static List<Entity> parseList(String text, SchemaHints hints) {
    return JsonReader.onSufficientStack(text, () -> parseListHere(text, hints));
  }

  private static List<Entity> parseListHere(String text, SchemaHints hints) {
    Json root = JsonReader.parse(text);
    ValueJson vj = new ValueJson(text);
    if (!(root instanceof Json.Arr arr)) {
      throw vj.error(root, "entities JSON must be an array");
    }
    List<Entity> out = new ArrayList<>();
    Set<EntityUid> seen = new LinkedHashSet<>();
    for (Json item : arr.items()) {
      Entity e = entity(item, vj, hints == null ? SchemaHints.NONE : hints);
      if (!seen.add(e.uid())) {
        throw vj.error(item, "duplicate entity entry `" + e.uid() + "`");
      }
      out.add(e);
    }
    return out;
  }

  private static Entity entity(Json j, ValueJson vj, SchemaHints hints) {
    if (!(j instanceof Json.Obj o)) {
      throw vj.error(j, "an entity must be a JSON object");
    }
    for (String k : o.fields().keySet()) {
      if (!FIELDS.contains(k)) {
        throw vj.error(j, "unknown field `" + k + "` in entity, expected `uid`, `attrs`, `parents` or `tags`");
      }
    }
    Json uidJson = o.get("uid");
    if (uidJson == null) {
      throw vj.error(j, "entity is missing the field `uid`");
    }
    EntityUid uid = vj.uid(uidJson);
    Map<String, Value> attrs = record(o.get("attrs"), vj, orAny(hints.attributes(uid.type())), "attrs");
    Map<String, Value> tags = new LinkedHashMap<>();
    Json tagsJson = o.get("tags");
    if (tagsJson != null) {
      if (!(tagsJson instanceof Json.Obj to)) {
        throw vj.error(tagsJson, "`tags` must be a JSON object");
      }
      JsonType tagType = orAny(hints.tags(uid.type()));
      for (Map.Entry<String, Json> t : to.fields().entrySet()) {
        tags.put(t.getKey(), vj.value(t.getValue(), tagType));
      }
    }
    Set<EntityUid> parents = new LinkedHashSet<>();
    Json ps = o.get("parents");
    if (ps != null) {
      if (!(ps instanceof Json.Arr pa)) {
        throw vj.error(ps, "`parents` must be a JSON array");
      }
      for (Json p : pa.items()) {
        parents.add(vj.uid(p));
      }
    }
    try {
      return new Entity(uid, attrs, parents, tags);
    } catch (CedarException e) {
      throw vj.error(j, e.getMessage());
    }
  }

  private static Map<String, Value> record(Json j, ValueJson vj, JsonType type, String what) {
    if (j == null) {
      return Map.of();
    }
    if (!(j instanceof Json.Obj o)) {
      throw vj.error(j, "`" + what + "` must be a JSON object");
    }
    Map<String, JsonType> types = type instanceof JsonType.RecordOf r ? r.attributes() : Map.of();
    Map<String, Value> out = new LinkedHashMap<>();
    for (Map.Entry<String, Json> f : o.fields().entrySet()) {
      out.put(f.getKey(), vj.value(f.getValue(), types.getOrDefault(f.getKey(), JsonType.ANY)));
    }
    return out;
  }

  private static JsonType orAny(JsonType t) {
    return t == null ? JsonType.ANY : t;
  }

  /** Returns the entities JSON of {@code entities}. */
  public static Json toJson(Iterable<Entity> entities) {
    List<Json> items = new ArrayList<>();
    for (Entity e : entities) {
      Map<String, Json> m = new LinkedHashMap<>();
      m.put("uid", ValueJson.uidJson(e.uid()));
      Map<String, Json> attrs = new LinkedHashMap<>();
      e.attrs().forEach((k, v) -> attrs.put(k, ValueJson.toJson(v)));
      m.put("attrs", Json.obj(attrs));
      List<Json> parents = new ArrayList<>();
      e.parents().forEach(p -> parents.add(ValueJson.uidJson(p)));
      m.put("parents", Json.arr(parents));
      if (!e.tags().isEmpty()) {
        Map<String, Json> tags = new LinkedHashMap<>();
        e.tags().forEach((k, v) -> tags.put(k, ValueJson.toJson(v)));
        m.put("tags", Json.obj(tags));
      }
      items.add(Json.obj(m));
    }
    return Json.arr(items);
  }
}
