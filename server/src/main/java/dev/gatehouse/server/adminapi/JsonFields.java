package dev.gatehouse.server.adminapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.http.ProblemException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Strict reading of admin request bodies: known fields only, each of the expected JSON type. */
public final class JsonFields {

  private JsonFields() {}

  public static void allowOnly(JsonNode body, Set<String> allowed) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new ProblemException(400, "unknown field `" + f.replaceAll("[^\\x20-\\x7e]", "?")
            + "`; known: "
            + String.join(", ", new java.util.TreeSet<>(allowed)));
      }
    }
  }

  public static String string(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new ProblemException(400, "`" + field + "` must be a string");
    }
    return n.asText();
  }

  public static Boolean bool(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isBoolean()) {
      throw new ProblemException(400, "`" + field + "` must be true or false");
    }
    return n.asBoolean();
  }

  public static Integer integer(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new ProblemException(400, "`" + field + "` must be a whole number");
    }
    return n.asInt();
  }

  /** A list of strings, also accepting one space-separated string (as OAuth writes scopes). */
  public static List<String> strings(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      for (String s : n.asText().trim().split(" +")) {
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
      return out;
    }
    if (!n.isArray()) {
      throw new ProblemException(400, "`" + field + "` must be an array of strings");
    }
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        throw new ProblemException(400, "`" + field + "` must be an array of strings");
      }
      out.add(e.asText());
    }
    return out;
  }
}
