package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.DeepStack;
import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.ast.Slot;
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
 * <p>Instances are immutable apart from internal caches and may be shared between threads.
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

  /**
   * Validates a policy set in strict mode: its static policies and templates are typechecked, and
   * each template-linked policy's scope is checked with the slot values filled in (the template
   * itself was typechecked for every link that could apply).
   */
  public ValidationResult validate(PolicySet policySet) {
    return DeepStack.callIf(policySet.deep() && !DeepStack.active(), () -> validateSet(policySet));
  }

  private ValidationResult validateSet(PolicySet policySet) {
    List<Policy> all = new ArrayList<>(policySet.staticPolicies().values());
    all.addAll(policySet.templates().values());
    ValidationResult r = validateAll(all);
    List<ValidationError> errors = new ArrayList<>(r.errors());
    for (Policy link : policySet.links().values()) {
      List<ValidationError> found = new ArrayList<>();
      new PolicyChecks(schema, link.id(), found).run(link);
      errors.addAll(new LinkedHashSet<>(found));
    }
    return new ValidationResult(errors, r.warnings());
  }

  /** Validates policies and templates in strict mode. */
  public ValidationResult validate(List<Policy> policies) {
    return DeepStack.callIf(!DeepStack.active() && DeepStack.deep(policies), () -> validateAll(policies));
  }

  private ValidationResult validateAll(List<Policy> policies) {
    List<ValidationError> errors = new ArrayList<>();
    List<ValidationError> warnings = new ArrayList<>();
    for (Policy p : policies) {
      validatePolicy(p, errors, warnings);
    }
    return new ValidationResult(errors, warnings);
  }

  /**
   * The entity types a template's slot may be linked to in an environment where the variable has
   * type {@code varType}, as upstream's {@code possible_slot_links} computes them: only links that
   * could make the scope true. A list holding {@code null} when the policy has no such slot.
   */
  private List<String> slotLinks(Policy p, Slot slot, String varType, ScopeConstraint c) {
    if (!p.slots().contains(slot)) {
      return java.util.Collections.singletonList(null);
    }
    return switch (c) {
      case ScopeConstraint.Eq eq -> List.of(varType);
      case ScopeConstraint.In in -> ancestorTypesAndSelf(varType);
      case ScopeConstraint.IsIn isIn -> ancestorTypesAndSelf(varType);
      default -> new ArrayList<>(schema.entityTypes().keySet());
    };
  }

  private List<String> ancestorTypesAndSelf(String t) {
    List<String> out = new ArrayList<>();
    for (String e : schema.entityTypes().keySet()) {
      if (schema.descendantTypes(e).contains(t)) {
        out.add(e);
      }
    }
    out.add(t);
    return out;
  }

  private void validatePolicy(Policy p, List<ValidationError> errors, List<ValidationError> warnings) {
    List<ValidationError> found = new ArrayList<>();
    new PolicyChecks(schema, p.id(), found).run(p);
    Expr condition = PolicyChecks.condition(p);
    boolean allFalse = true;
    for (RequestEnv unlinked : envs) {
      for (String ps : slotLinks(p, Slot.PRINCIPAL, unlinked.principal(), p.principal())) {
        for (String rs : slotLinks(p, Slot.RESOURCE, unlinked.resource(), p.resource())) {
          Typechecker tc = new Typechecker(types, unlinked.linked(ps, rs), p.id(), p.span(), found);
          Answer a;
          try {
            a = tc.expect(Set.of(), condition, Type.BOOL);
          } catch (StackOverflowError tooDeep) {
            // Fail closed: a policy we cannot typecheck on this thread's stack is not valid.
            found.add(new ValidationError(p.id(), Kind.RECURSION_LIMIT,
                "policy is nested too deeply to validate", p.span()));
            a = Answer.fail(null);
          }
          if (!Type.FALSE.equals(a.type())) {
            allFalse = false;
          }
        }
      }
    }
    // Upstream collects errors in a set: the same problem found in several environments is
    // reported once.
    errors.addAll(new LinkedHashSet<>(found));
    if (allFalse) {
      warnings.add(new ValidationError(p.id(), Kind.IMPOSSIBLE_POLICY,
          "policy is impossible: the policy expression evaluates to false for all valid requests",
          p.span()));
    }
  }
}
