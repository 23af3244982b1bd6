package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How admin commands print answers: JSON (indented, the API's own field names: stable for
 * scripts) or a table (for people). {@code --output json|table} chooses; without it, a terminal
 * gets tables and a pipe or file gets JSON, so that {@code gatehouse client create ... >
 * client.json} and {@code | jq} keep working.
 */
final class Output {

  /** The formats {@code --output} accepts. */
  enum Format { JSON, TABLE }

  private static final int MAX_COLUMNS = 6;
  private static final int MAX_CELL = 48;

  /** Set by {@code --output} for the command being run; null means "by where output goes". */
  static volatile Format chosen;

  private Output() {}

  static Format parse(String value) {
    try {
      return Format.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--output must be json or table");
    }
  }

  static Format format() {
    if (chosen != null) {
      return chosen;
    }
    return interactive() ? Format.TABLE : Format.JSON;
  }

  /**
   * Whether standard output is a terminal. Java 22+ gives a console even when output is
   * redirected and says which with {@code isTerminal()}; Java 21 gives none then.
   */
  static boolean interactive() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /**
   * For commands whose answer people read as a sentence ("policies stored as version 7"): the
   * sentence, or the API's JSON when {@code --output json} was asked for.
   */
  static void result(JsonNode json, String sentence) throws IOException {
    if (chosen == Format.JSON) {
      System.out.println(AdminClient.JSON.writeValueAsString(json));
    } else {
      System.out.println(sentence);
    }
  }

  static void print(JsonNode json) throws IOException {
    System.out.println(format() == Format.JSON ? AdminClient.JSON.writeValueAsString(json)
        : table(json));
  }

  /**
   * A page ({@code items}) as one row per item, with the item's first simple fields as columns;
   * any other object as one row per field.
   */
  static String table(JsonNode json) {
    List<List<String>> rows = new ArrayList<>();
    if (json.has("items") && json.get("items").isArray()) {
      List<String> columns = new ArrayList<>();
      for (JsonNode item : json.get("items")) {
        Iterator<Map.Entry<String, JsonNode>> fields = item.fields();
        while (fields.hasNext() && columns.size() < MAX_COLUMNS) {
          Map.Entry<String, JsonNode> f = fields.next();
          if (!f.getValue().isObject() && !columns.contains(f.getKey())) {
            columns.add(f.getKey());
          }
        }
      }
      rows.add(columns.stream().map(c -> c.toUpperCase(Locale.ROOT)).toList());
      for (JsonNode item : json.get("items")) {
        rows.add(columns.stream().map(c -> cell(c, item.get(c))).toList());
      }
      if (json.get("items").isEmpty()) {
        return "(none)";
      }
    } else {
      json.fields().forEachRemaining(f -> rows.add(List.of(f.getKey(),
          cell(f.getKey(), f.getValue()))));
    }
    return render(rows);
  }

  private static String cell(String field, JsonNode v) {
    if (v == null || v.isNull()) {
      return "";
    }
    if ((field.endsWith("_at") || field.endsWith("_until") || field.equals("auth_time"))
        && v.canConvertToLong()) {
      // Epoch seconds, as the API gives them; people read dates.
      return java.time.Instant.ofEpochSecond(v.asLong()).toString();
    }
    String s;
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(x -> parts.add(x.isValueNode() ? x.asText() : x.toString()));
      s = String.join(",", parts);
    } else {
      s = v.isValueNode() ? v.asText() : v.toString();
    }
    s = s.replace('\n', ' ');
    return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
  }

  private static String render(List<List<String>> rows) {
    int[] width = new int[rows.stream().mapToInt(List::size).max().orElse(0)];
    for (List<String> r : rows) {
      for (int i = 0; i < r.size(); i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (List<String> r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        line.append(i == r.size() - 1 ? r.get(i) : String.format("%-" + width[i] + "s  ",
            r.get(i)));
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString().stripTrailing();
  }
}
