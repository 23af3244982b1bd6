package dev.gatehouse.cedar.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A resolved type as a schema declares it: every name is fully qualified and every common
 * type has been inlined.
 *
 * <p>This is the schema's view of types, not the validator's lattice: there are no singleton
 * booleans and no least upper bounds here.
 *
 * @see <a href="https://docs.cedarpolicy.com/schema/human-readable-schema.html">Cedar schema
 *     format</a>
 */
public sealed interface SchemaType {

  /** The Cedar {@code Bool} type. */
  record Bool() implements SchemaType {
    @Override
    public String toString() {
      return "Bool";
    }
  }

  /** The Cedar {@code Long} type (64-bit signed integers). */
  record Long() implements SchemaType {
    @Override
    public String toString() {
      return "Long";
    }
  }

  /** The Cedar {@code String} type. */
  record Str() implements SchemaType {
    @Override
    public String toString() {
      return "String";
    }
  }

  /** A set whose elements all have one type. */
  record SetOf(SchemaType element) implements SchemaType {
    @Override
    public String toString() {
      return "Set<" + element + ">";
    }
  }

  /** A reference to an entity type by its fully qualified name. */
  record Entity(String name) implements SchemaType {
    @Override
    public String toString() {
      return name;
    }
  }

  /** An extension type: {@code ipaddr}, {@code decimal}, {@code datetime} or {@code duration}. */
  record Extension(String name) implements SchemaType {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A record type with a fixed set of attributes.
   *
   * <p>Schema records are closed: a value may not carry attributes the type does not name.
   */
  record Record(Map<String, Attribute> attributes) implements SchemaType {
    /** Creates a record type, keeping the declaration order of attributes. */
    public Record {
      attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** The empty record type, e.g. the context of an action that declares none. */
    public static Record empty() {
      return new Record(Map.of());
    }

    @Override
    public String toString() {
      return attributes.entrySet().stream()
          .map(e -> e.getKey() + (e.getValue().required() ? "" : "?") + ": " + e.getValue().type())
          .collect(Collectors.joining(", ", "{", "}"));
    }
  }

  /** One attribute of a record type: its type and whether a value must carry it. */
  record Attribute(SchemaType type, boolean required) {}

  /** The singleton {@code Bool}. */
  SchemaType BOOL = new Bool();

  /** The singleton {@code Long}. */
  SchemaType LONG = new Long();

  /** The singleton {@code String}. */
  SchemaType STRING = new Str();

  /** The names of Cedar's extension types. */
  java.util.Set<String> EXTENSION_TYPES = java.util.Set.of("ipaddr", "decimal", "datetime", "duration");
}
