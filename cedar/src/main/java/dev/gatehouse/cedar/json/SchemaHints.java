package dev.gatehouse.cedar.json;

import dev.gatehouse.cedar.ast.EntityType;

/**
 * The hook through which a schema directs entity JSON parsing: the expected attribute and tag
 * types of each entity type. Return {@link JsonType#ANY} (or null) where the schema says nothing.
 */
public interface SchemaHints {
  /** Returns the expected type of the {@code attrs} record of entities of {@code type}. */
  JsonType attributes(EntityType type);

  /** Returns the expected type of every tag value of entities of {@code type}. */
  JsonType tags(EntityType type);

  /** Hints that expect nothing: plain schema-less parsing. */
  SchemaHints NONE =
      new SchemaHints() {
        @Override
        public JsonType attributes(EntityType type) {
          return JsonType.ANY;
        }

        @Override
        public JsonType tags(EntityType type) {
          return JsonType.ANY;
        }
      };
}
