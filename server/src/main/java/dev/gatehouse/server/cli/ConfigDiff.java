package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * How {@link ConfigPlan} compares a configuration document with an export: which fields differ
 * (and how to say so), which values are equal although written differently (a scope as a string
 * or a list, an entity with or without empty attributes), and line diffs of Cedar text.
 */
final class ConfigDiff {

  private ConfigDiff() {}

  /** Client fields compared as sets where order means nothing (scope, grants, URIs). */
  static JsonNode normalizedClient(JsonNode c) {
    ObjectNode n = ((ObjectNode) c).deepCopy();
    for (String f : List.of("scope", "grant_types", "audience", "redirect_uris",
        "post_logout_redirect_uris")) {
      JsonNode v = n.get(f);
      if (v == null || v.isNull()) {
        continue;
      }
      TreeSet<String> set = new TreeSet<>();
      if (v.isTextual()) {
        for (String s : v.asText().trim().split(" +")) {
          if (!s.isEmpty()) {
            set.add(s);
          }
        }
      } else {
        v.forEach(x -> set.add(x.asText()));
      }
      if (f.equals("scope")) {
        n.put(f, String.join(" ", set));
      } else {
        ArrayNode a = n.putArray(f);
        set.forEach(a::add);
      }
    }
    return n;
  }

  static String uid(JsonNode entity) {
    JsonNode uid = entity.path("uid");
    if (uid.isTextual()) {
      return uid.asText();
    }
    return uid.path("type").asText() + "::\"" + uid.path("id").asText() + "\"";
  }

  /** An entity without the defaults the server fills in (empty attrs, parents, tags). */
  static JsonNode normalizedEntity(JsonNode e) {
    ObjectNode n = ((ObjectNode) e).deepCopy();
    n.put("uid", uid(e));
    for (String f : List.of("attrs", "parents", "tags")) {
      JsonNode v = n.get(f);
      if (v != null && (v.isNull() || v.isEmpty())) {
        n.remove(f);
      }
    }
    return n;
  }

  /**
   * The fields of {@code want} (among {@code fields}, those it has) that differ from
   * {@code have}, as a merge-patch body; describes each in {@code details}.
   */
  static ObjectNode patch(JsonNode want, JsonNode have, List<String> fields,
      List<String> details) {
    ObjectNode body = AdminClient.JSON.createObjectNode();
    if (!want.isObject()) {
      return body;
    }
    for (String f : fields) {
      if (!want.has(f)) {
        continue;
      }
      JsonNode w = want.get(f);
      JsonNode h = have.get(f);
      if (!same(w, h)) {
        body.set(f, w);
        details.add(f + ": " + (h == null || h.isNull() ? "(unset)" : show(h)) + " → "
            + (w.isNull() ? "(unset)" : show(w)));
      }
    }
    return body;
  }

  static boolean same(JsonNode a, JsonNode b) {
    boolean aEmpty = a == null || a.isNull();
    boolean bEmpty = b == null || b.isNull();
    if (aEmpty || bEmpty) {
      return aEmpty == bEmpty;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.asLong() == b.asLong();
    }
    return a.equals(b);
  }

  static String show(JsonNode v) {
    String s = v.toString();
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }

  /** Lines only in the old text ({@code - }) and only in the new ({@code + }). */
  static String lineDiff(String oldText, String newText) {
    List<String> oldLines = List.of(oldText.split("\n", -1));
    List<String> newLines = List.of(newText.split("\n", -1));
    StringBuilder b = new StringBuilder();
    Set<String> newSet = new HashSet<>(newLines);
    Set<String> oldSet = new HashSet<>(oldLines);
    for (String l : oldLines) {
      if (!newSet.contains(l)) {
        b.append("- ").append(l).append('\n');
      }
    }
    for (String l : newLines) {
      if (!oldSet.contains(l)) {
        b.append("+ ").append(l).append('\n');
      }
    }
    String out = b.toString().stripTrailing();
    return out.isEmpty() ? "  (lines reordered or whitespace changed)" : out;
  }

  static Set<String> strings(JsonNode array) {
    if (array == null || array.isNull()) {
      return null;
    }
    Set<String> out = new TreeSet<>();
    if (array.isTextual()) {
      out.add(array.asText());
    } else {
      array.forEach(v -> out.add(v.asText()));
    }
    return out;
  }

  static Map<String, JsonNode> byKey(JsonNode array, Function<JsonNode, String> key) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode n : array) {
      String k = key.apply(n);
      if (out.put(k, n) != null) {
        throw new IllegalArgumentException("`" + k + "` is listed twice");
      }
    }
    return out;
  }
}
