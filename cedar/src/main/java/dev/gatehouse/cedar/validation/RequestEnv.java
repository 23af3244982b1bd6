package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.schema.ActionId;

/**
 * One combination of principal type, action and resource type that the schema allows, with the
 * action's context type: a policy is typechecked once per environment.
 *
 * <p>For templates, an environment also fixes the entity type each slot is linked to ({@code
 * null} when the template has no such slot).
 */
record RequestEnv(
    String principal, ActionId action, String resource, Type.Rec context, String principalSlot, String resourceSlot) {

  RequestEnv(String principal, ActionId action, String resource, Type.Rec context) {
    this(principal, action, resource, context, null, null);
  }

  RequestEnv linked(String principalSlot, String resourceSlot) {
    return new RequestEnv(principal, action, resource, context, principalSlot, resourceSlot);
  }
}
