package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.schema.ActionId;

/**
 * One combination of principal type, action and resource type that the schema allows, with the
 * action's context type: a policy is typechecked once per environment.
 */
record RequestEnv(String principal, ActionId action, String resource, Type.Rec context) {}
