package dev.gatehouse.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.cedar.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jackson trees (the admin API's JSON) to the Cedar module's JSON trees. */
final class JacksonCedar {

  private JacksonCedar() {}

  static Json toCedar(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return new Json.Null(-1);
    }
    if (n.isBoolean()) {
      return new Json.Bool(n.booleanValue(), -1);
    }
    if (n.isNumber()) {
      return new Json.Num(n.asText(), -1);
    }
    if (n.isTextual()) {
      return new Json.Str(n.textValue(), -1);
    }
    if (n.isArray()) {
      List<Json> items = new ArrayList<>(n.size());
      n.forEach(i -> items.add(toCedar(i)));
      return new Json.Arr(items, -1);
    }
    Map<String, Json> fields = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      fields.put(e.getKey(), toCedar(e.getValue()));
    }
    return new Json.Obj(fields, -1);
  }
}
