package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.schema.ActionDef;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.validation.ValidationError.Kind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Cedar policy validator in strict mode: checks policies against a schema and reports errors
 * (validation fails) and warnings (it does not).
 *
 * <p>Each policy is checked once for its scope (see {@link PolicyChecks}) and then typechecked
 * once per request environment the schema allows (every action with every principal and resource
 * type it applies to), so that {@code principal.name} is checked against each possible principal
 * type. A policy whose condition is {@code false} in every environment gets an "impossible
 * policy" warning.
 *
 * @see <a href="https://docs.cedarpolicy.com/policies/validation.html">Cedar policy validation</a>
 */
public final class Validator {
  private final Schema schema;
  private final Types types;
  private final List<RequestEnv> envs;

  /** A validator for one schema; it can validate any number of policy sets. */
  public Validator(Schema schema) {
    this.schema = schema;
    this.types = new Types(schema);
    this.envs = new ArrayList<>();
    for (ActionDef a : schema.actions().values()) {
      Type.Rec context = Types.recordFromSchema(a.context());
      for (String p : a.principalTypes()) {
        for (String r : a.resourceTypes()) {
          envs.add(new RequestEnv(p, a.id(), r, context));
        }
      }
    }
  }

  /** Validates a policy set in strict mode. */
  public ValidationResult validate(List<Policy> policies) {
    List<ValidationError> errors = new ArrayList<>();
    List<ValidationError> warnings = new ArrayList<>();
    for (Policy p : policies) {
      validatePolicy(p, errors, warnings);
    }
    return new ValidationResult(errors, warnings);
  }

  private void validatePolicy(Policy p, List<ValidationError> errors, List<ValidationError> warnings) {
    List<ValidationError> found = new ArrayList<>();
    new PolicyChecks(schema, p.id(), found).run(p);
    Expr condition = PolicyChecks.condition(p);
    boolean allFalse = true;
    for (RequestEnv env : envs) {
      Typechecker tc = new Typechecker(types, env, p.id(), found);
      Answer a = tc.expect(Set.of(), condition, Type.BOOL);
      if (!Type.FALSE.equals(a.type())) {
        allFalse = false;
      }
    }
    // Upstream collects errors in a set: the same problem found in several environments is
    // reported once.
    errors.addAll(new LinkedHashSet<>(found));
    if (allFalse) {
      warnings.add(new ValidationError(p.id(), Kind.IMPOSSIBLE_POLICY,
          "policy is impossible: the policy expression evaluates to false for all valid requests"));
    }
  }
}
