package dev.gatehouse.cedar.json;

import java.util.Map;

/**
 * What a schema expects of a JSON value, so that schema-directed parsing can accept Cedar's
 * implicit forms: an entity as {@code {"type": .., "id": ..}} without {@code __entity}, an
 * extension value as a plain string without {@code __extn}.
 *
 * <p>The validator converts its schema types to these; {@link #ANY} means "no expectation" and
 * parses the value as schema-less JSON.
 */
public sealed interface JsonType {
  /** No expectation. */
  record Any() implements JsonType {}

  /** An entity reference. */
  record EntityRef() implements JsonType {}

  /** An extension value of type {@code name}: {@code ipaddr}, {@code decimal}, {@code datetime} or {@code duration}. */
  record Extension(String name) implements JsonType {}

  /** A set whose elements are {@code element}. */
  record SetOf(JsonType element) implements JsonType {}

  /** A record with the given attribute types; unlisted attributes are parsed as {@link #ANY}. */
  record RecordOf(Map<String, JsonType> attributes) implements JsonType {
    public RecordOf {
      attributes = Map.copyOf(attributes);
    }
  }

  /** The shared "no expectation" instance. */
  JsonType ANY = new Any();
}
