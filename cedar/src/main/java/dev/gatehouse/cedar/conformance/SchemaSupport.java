package dev.gatehouse.cedar.conformance;

import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.json.JsonType;
import dev.gatehouse.cedar.json.SchemaHints;
import java.util.List;

/**
 * The schema steps of a conformance test, supplied by the validator: parsing the schema, strict
 * policy validation, schema-directed entity and context parsing, and request validation.
 *
 * <p>The runner finds an implementation with {@link java.util.ServiceLoader}; without one it runs
 * schema-less and does not check {@code shouldValidate}.
 */
public interface SchemaSupport {
  /**
   * Parses a schema in Cedar's human-readable schema syntax.
   *
   * @throws CedarException when the schema is invalid
   */
  LoadedSchema load(String cedarSchemaText);

  /** A parsed schema. */
  interface LoadedSchema {
    /** Returns the hints for schema-directed entity parsing. */
    SchemaHints hints();

    /**
     * Checks entities parsed with {@link #hints()} against the schema: declared types, attribute
     * and tag types, allowed parent types.
     *
     * @throws CedarException when an entity does not conform
     */
    default void checkEntities(List<Entity> entities) {}

    /** Returns the action entities the schema declares, with their action-group parents. */
    List<Entity> actionEntities();

    /** Returns the expected type of the context of {@code action}, or {@link JsonType#ANY}. */
    JsonType contextType(EntityUid action);

    /** Returns whether strict validation of {@code policies} finds no errors. */
    boolean validate(PolicySet policies);

    /**
     * Checks a request against the schema.
     *
     * @throws CedarException when the request is not valid
     */
    void validateRequest(Request request);
  }
}
