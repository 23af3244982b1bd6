package dev.gatehouse.cedar.validation;

/**
 * One problem the validator found in a policy: an error makes validation fail, a warning does
 * not.
 *
 * <p>Messages follow upstream's wording where it matters to users: lowercase, no trailing period,
 * user input in backticks.
 *
 * @param policyId the id of the policy the problem is in
 * @param kind what kind of problem this is
 * @param message a human-readable description
 */
public record ValidationError(String policyId, Kind kind, String message) {

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

  @Override
  public String toString() {
    return "for policy `" + policyId + "`, " + message;
  }
}
