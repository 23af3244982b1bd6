/**
 * Policy validation against a schema, in Cedar 4.10's strict mode, and the other places a schema
 * directs: request validation, entity conformance, schema-directed entity and context parsing.
 *
 * <p>The public surface is small: {@link dev.gatehouse.cedar.validation.Validator} (policies →
 * {@link dev.gatehouse.cedar.validation.ValidationResult}), {@link
 * dev.gatehouse.cedar.validation.RequestValidator}, {@link
 * dev.gatehouse.cedar.validation.EntityConformance}, and {@link
 * dev.gatehouse.cedar.validation.CedarSchemaSupport} (the conformance runner's hook). The type
 * lattice ({@code Type}, {@code Types}) and the typechecker ({@code Typechecker}, {@code
 * OperatorTypechecker}, {@code PolicyChecks}) are package-private so they can follow upstream's
 * changes freely.
 *
 * @see <a href="https://docs.cedarpolicy.com/policies/validation.html">Cedar policy validation</a>
 */
package dev.gatehouse.cedar.validation;
