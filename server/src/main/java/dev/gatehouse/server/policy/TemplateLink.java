package dev.gatehouse.server.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Slot;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A template link: the policy {@code id} made by filling {@code template}'s slots with entities.
 */
public record TemplateLink(String id, String template, Map<Slot, EntityUid> values) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public TemplateLink {
    values = Map.copyOf(values);
  }

  /** The JSON form, with slot values as Cedar literals: {@code {"?principal": "User::\"a\""}}. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("template", template);
    Map<String, String> v = new LinkedHashMap<>();
    for (Slot s : new EnumMap<>(values).keySet()) {
      v.put(s.text(), values.get(s).toString());
    }
    m.put("values", v);
    return m;
  }

  static String write(List<TemplateLink> links) {
    try {
      return JSON.writeValueAsString(links.stream().map(TemplateLink::toJson).toList());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<TemplateLink> read(String json) {
    try {
      List<TemplateLink> out = new ArrayList<>();
      for (JsonNode n : JSON.readTree(json)) {
        out.add(fromJson(n));
      }
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored template links are not JSON", e);
    }
  }

  /** Reads {@code {"id", "template", "values": {"?principal": uid, "?resource": uid}}}. */
  static TemplateLink fromJson(JsonNode n) {
    if (!n.isObject() || !n.path("id").isTextual() || !n.path("template").isTextual()
        || !n.path("values").isObject()) {
      throw new Uids.BadRequest("a template link needs a string `id`, a string `template` and"
          + " an object `values`");
    }
    String id = n.get("id").asText();
    if (id.isEmpty() || id.length() > 200) {
      throw new Uids.BadRequest("a template link `id` must be 1 to 200 characters");
    }
    Map<Slot, EntityUid> values = new EnumMap<>(Slot.class);
    for (Iterator<Map.Entry<String, JsonNode>> it = n.get("values").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Slot slot = switch (e.getKey()) {
        case "?principal" -> Slot.PRINCIPAL;
        case "?resource" -> Slot.RESOURCE;
        default -> throw new Uids.BadRequest("unknown slot `" + e.getKey()
            + "`; slots are `?principal` and `?resource`");
      };
      values.put(slot, Uids.from(JacksonCedar.toCedar(e.getValue()), "values." + e.getKey()));
    }
    return new TemplateLink(id, n.get("template").asText(), values);
  }
}
