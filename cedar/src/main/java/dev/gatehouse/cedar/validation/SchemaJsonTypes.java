package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.ast.EntityType;
import dev.gatehouse.cedar.json.JsonType;
import dev.gatehouse.cedar.json.SchemaHints;
import dev.gatehouse.cedar.schema.EntityTypeDef;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.schema.SchemaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The schema's expectations for entity and context JSON: where a schema types a value as an
 * entity or an extension, JSON may write it without the {@code __entity} / {@code __extn}
 * wrapper, as upstream accepts when parsing with a schema.
 */
final class SchemaJsonTypes implements SchemaHints {
  private final Schema schema;

  SchemaJsonTypes(Schema schema) {
    this.schema = schema;
  }

  @Override
  public JsonType attributes(EntityType type) {
    EntityTypeDef d = schema.entityType(type.name());
    return d == null ? JsonType.ANY : of(d.attributes());
  }

  @Override
  public JsonType tags(EntityType type) {
    EntityTypeDef d = schema.entityType(type.name());
    return d == null || d.tags() == null ? JsonType.ANY : of(d.tags());
  }

  /** The JSON expectation for a schema type; primitives need none. */
  static JsonType of(SchemaType t) {
    return switch (t) {
      case SchemaType.Entity e -> new JsonType.EntityRef();
      case SchemaType.Extension x -> new JsonType.Extension(x.name());
      case SchemaType.SetOf s -> new JsonType.SetOf(of(s.element()));
      case SchemaType.Record r -> {
        Map<String, JsonType> attrs = new LinkedHashMap<>();
        r.attributes().forEach((k, a) -> attrs.put(k, of(a.type())));
        yield new JsonType.RecordOf(attrs);
      }
      default -> JsonType.ANY;
    };
  }
}
