package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.ast.SourceSpan;

/**
 * One problem the validator found in a policy: an error makes validation fail, a warning does
 * not.
 *
 * <p>Messages follow upstream's wording where it matters to users: lowercase, no trailing period,
 * user input in backticks. The span points at the offending expression (for a problem with the
 * scope, at the scope constraint; for one with the whole policy, at the policy), as upstream's
 * {@code source_loc} does.
 *
 * @param policyId the id of the policy the problem is in
 * @param kind what kind of problem this is
 * @param message a human-readable description
 * @param span where in the policy text the problem is, or {@code null} for a policy that was not
 *     parsed from text (JSON policies)
 */
public record ValidationError(String policyId, Kind kind, String message, SourceSpan span) {

  /** Creates a problem with no position. */
  public ValidationError(String policyId, Kind kind, String message) {
    this(policyId, kind, message, null);
  }

  /** The kinds of validation problems, named after upstream's {@code ValidationError} variants. */
  public enum Kind {
    UNRECOGNIZED_ENTITY_TYPE,
    UNRECOGNIZED_ACTION_ID,
    INVALID_ENUM_ENTITY,
    INVALID_ACTION_APPLICATION,
    UNEXPECTED_TYPE,
    INCOMPATIBLE_TYPES,
    UNSAFE_ATTRIBUTE_ACCESS,
    UNSAFE_OPTIONAL_ATTRIBUTE_ACCESS,
    UNSAFE_TAG_ACCESS,
    NO_TAGS_ALLOWED,
    UNDEFINED_FUNCTION,
    WRONG_NUMBER_ARGUMENTS,
    FUNCTION_ARGUMENT_VALIDATION,
    NON_LITERAL_EXTENSION_CONSTRUCTOR,
    EMPTY_SET_FORBIDDEN,
    /** The policy is nested too deeply to typecheck; validation fails closed. */
    RECURSION_LIMIT,
    /** A warning: the policy's condition is false in every request environment. */
    IMPOSSIBLE_POLICY
  }

  /** Returns the 1-based line of the offending expression, or 0 when there is no span. */
  public int line() {
    return span == null ? 0 : span.line();
  }

  /** Returns the 1-based column of the offending expression, or 0 when there is no span. */
  public int column() {
    return span == null ? 0 : span.column();
  }

  /**
   * Returns the problem as Cedar tools print it: {@code line:column: for policy `id`, message},
   * without the position when there is no span.
   */
  @Override
  public String toString() {
    return (span == null ? "" : span + ": ") + "for policy `" + policyId + "`, " + message;
  }
}
