package dev.gatehouse.cedar;

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
   */
  public record PolicyError(String policyId, String message) {}

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
