package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.schema.ActionDef;
import dev.gatehouse.cedar.schema.ActionId;
import dev.gatehouse.cedar.schema.EntityTypeDef;
import dev.gatehouse.cedar.schema.Schema;

/**
 * Checks a request against a schema before authorization, as upstream's {@code
 * Request::new(.., Some(schema))} does: the action is declared, the principal and resource types
 * are ones the action applies to, enumerated entities use declared ids, and the context has the
 * action's context type.
 */
public final class RequestValidator {
  private final Schema schema;

  /** A request validator for one schema. */
  public RequestValidator(Schema schema) {
    this.schema = schema;
  }

  /**
   * Validates a request.
   *
   * @throws CedarException describing the first problem found
   */
  public void validate(Request request) {
    EntityUid a = request.action();
    ActionDef action = schema.action(new ActionId(a.type().name(), a.id()));
    if (action == null) {
      throw new CedarException("request's action `" + a + "` is not declared in the schema");
    }
    checkEntity(request.principal(), "principal");
    checkEntity(request.resource(), "resource");
    String p = request.principal().type().name();
    if (!action.principalTypes().contains(p)) {
      throw new CedarException("principal type `" + p + "` is not valid for `" + a + "`");
    }
    String r = request.resource().type().name();
    if (!action.resourceTypes().contains(r)) {
      throw new CedarException("resource type `" + r + "` is not valid for `" + a + "`");
    }
    String err = ValueConformance.record(request.context().fields(), action.context(), "");
    if (err != null) {
      throw new CedarException("context is not valid for `" + a + "`: " + err);
    }
  }

  private void checkEntity(EntityUid uid, String role) {
    EntityTypeDef d = schema.entityType(uid.type().name());
    if (d == null) {
      throw new CedarException(role + " type `" + uid.type().name() + "` is not declared in the schema");
    }
    if (d.isEnum() && !d.enumIds().contains(uid.id())) {
      throw new CedarException(role + " `" + uid + "` is of an enumerated entity type but its id is not declared");
    }
  }
}
