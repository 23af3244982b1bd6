/**
 * Cedar schemas: the model ({@link dev.gatehouse.cedar.schema.Schema}: entity types, actions and
 * their hierarchies, every name resolved and every common type inlined) and its two source
 * formats, the Cedar schema syntax ({@code .cedarschema}) and the JSON schema format.
 *
 * <p>Text becomes declarations ({@code CedarSchemaParser}, {@code JsonSchemaParser}), and
 * declarations become a schema ({@code SchemaResolver}, where upstream's name-resolution order and
 * well-formedness rules live). Errors are {@link dev.gatehouse.cedar.schema.SchemaException}s with
 * {@code line:column} where there is a place to point at.
 *
 * @see <a href="https://docs.cedarpolicy.com/schema/schema.html">Cedar schema</a>
 */
package dev.gatehouse.cedar.schema;
