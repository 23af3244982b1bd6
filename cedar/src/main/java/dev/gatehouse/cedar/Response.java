package dev.gatehouse.cedar;

import dev.gatehouse.cedar.ast.SourceSpan;
import java.util.List;
import java.util.Set;

/**
 * The answer to a request: the decision, the policies that determined it, and the policies that
 * failed to evaluate.
 *
 * @param decision allow or deny
 * @param reasons ids of the determining policies: the satisfied forbids if any, else the satisfied
 *     permits
 * @param errors the policies skipped because their evaluation failed, in policy-set order
 */
public record Response(Decision decision, Set<String> reasons, List<PolicyError> errors) {
  public Response {
    reasons = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(reasons));
    errors = List.copyOf(errors);
  }

  /**
   * An evaluation error of one policy.
   *
   * @param policyId the failing policy
   * @param message what went wrong
   * @param span where the failing expression was written, or {@code null} when the policy was not
   *     parsed from text
   */
  public record PolicyError(String policyId, String message, SourceSpan span) {
    /** An error with no position. */
    public PolicyError(String policyId, String message) {
      this(policyId, message, null);
    }

    /** Returns the error as Cedar tools print it, {@code line:column: message} when positioned. */
    @Override
    public String toString() {
      return (span == null ? "" : span + ": ") + "error in policy `" + policyId + "`: " + message;
    }
  }

  /** Returns whether the decision is {@link Decision#ALLOW}. */
  public boolean isAllowed() {
    return decision == Decision.ALLOW;
  }

  /** Returns the ids of the policies that errored. */
  public Set<String> erroringPolicies() {
    java.util.Set<String> ids = new java.util.LinkedHashSet<>();
    for (PolicyError e : errors) {
      ids.add(e.policyId());
    }
    return ids;
  }
}
