package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.conformance.SchemaSupport;
import dev.gatehouse.cedar.json.JsonType;
import dev.gatehouse.cedar.json.SchemaHints;
import dev.gatehouse.cedar.schema.ActionDef;
import dev.gatehouse.cedar.schema.ActionId;
import dev.gatehouse.cedar.schema.Schema;
import java.util.List;

/**
 * The validator's side of the conformance runner: schema parsing, strict validation,
 * schema-directed entity and context parsing, and request validation. Found through {@link
 * java.util.ServiceLoader}.
 */
public final class CedarSchemaSupport implements SchemaSupport {

  /**
   * {@inheritDoc}
   *
   * <p>Text whose first non-blank character is <code>{</code> is read as the JSON schema format
   * (the Cedar syntax cannot start that way), so tests with {@code "schemaFormat": "json"} work
   * too.
   */
  @Override
  public LoadedSchema load(String cedarSchemaText) {
    boolean json = cedarSchemaText.stripLeading().startsWith("{");
    return new Loaded(json ? Schema.parseJson(cedarSchemaText) : Schema.parseCedar(cedarSchemaText));
  }

  private static final class Loaded implements LoadedSchema {
    private final Schema schema;
    private final SchemaHints hints;
    private final Validator validator;
    private final RequestValidator requests;

    Loaded(Schema schema) {
      this.schema = schema;
      this.hints = new SchemaJsonTypes(schema);
      this.validator = new Validator(schema);
      this.requests = new RequestValidator(schema);
    }

    @Override
    public SchemaHints hints() {
      return hints;
    }

    @Override
    public void checkEntities(List<Entity> entities) {
      EntityConformance.check(schema, entities);
    }

    @Override
    public List<Entity> actionEntities() {
      return EntityConformance.actionEntities(schema);
    }

    @Override
    public JsonType contextType(EntityUid action) {
      ActionDef a = schema.action(new ActionId(action.type().name(), action.id()));
      return a == null ? JsonType.ANY : SchemaJsonTypes.of(a.context());
    }

    @Override
    public boolean validate(PolicySet policies) {
      return validator.validate(policies).passed();
    }

    @Override
    public void validateRequest(Request request) {
      requests.validate(request);
    }
  }
}
