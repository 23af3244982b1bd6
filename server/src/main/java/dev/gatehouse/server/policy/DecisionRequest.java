package dev.gatehouse.server.policy;

import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.Request;
import java.util.List;

/**
 * One question to decide: the Cedar request and the entities that come with it.
 *
 * @param request principal, action, resource and context
 * @param entities per-request entities, added to (and replacing) the tenant's for this decision
 * @param refusal when the question cannot be asked as posed (e.g. an inactive principal token):
 *     the decision is deny with this reason, without evaluating anything
 * @param merge whether {@code entities} add their attributes to stored entities of the same uid
 *     (AuthZEN properties) instead of replacing them (Cedar entities)
 */
public record DecisionRequest(Request request, List<Entity> entities, String refusal,
    boolean merge) {

  public DecisionRequest {
    entities = entities == null ? List.of() : List.copyOf(entities);
  }

  public DecisionRequest(Request request, List<Entity> entities, String refusal) {
    this(request, entities, refusal, false);
  }

  static DecisionRequest refused(String why) {
    return new DecisionRequest(null, List.of(), why);
  }
}
