package dev.gatehouse.cedar.value;

import dev.gatehouse.cedar.ast.Names;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A Cedar record: string keys to values; equality ignores key order. */
public record RecordValue(Map<String, Value> fields) implements Value {
  public static final RecordValue EMPTY = new RecordValue(Map.of());

  public RecordValue {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** Returns the value of {@code key}, or null when absent. */
  public Value get(String key) {
    return fields.get(key);
  }

  @Override
  public String typeName() {
    return "record";
  }

  @Override
  public String toString() {
    return fields.entrySet().stream()
        .map(e -> Names.quote(e.getKey()) + ": " + e.getValue())
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
