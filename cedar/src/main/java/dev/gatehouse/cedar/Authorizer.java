package dev.gatehouse.cedar;

import dev.gatehouse.cedar.ast.Condition;
import dev.gatehouse.cedar.ast.Effect;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.eval.EvaluationException;
import dev.gatehouse.cedar.eval.Env;
import dev.gatehouse.cedar.eval.Evaluator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Cedar authorizer: forbid overrides permit, and the default is deny.
 *
 * <p>A policy is satisfied when its scope matches and every {@code when} holds and no {@code
 * unless} holds. A policy whose evaluation fails is skipped and reported in {@link
 * Response#errors()}; it never allows or denies anything. Stateless and thread-safe.
 */
public final class Authorizer {
  /** Returns the decision on {@code request} under {@code policies} and {@code entities}. */
  public Response isAuthorized(Request request, PolicySet policies, Entities entities) {
    // Evaluation recurses as deep as a condition nests.
    return DeepStack.callIf(policies.depth() > DeepStack.EVAL_INLINE_DEPTH && !DeepStack.active(),
        () -> decide(request, policies, entities));
  }

  private Response decide(Request request, PolicySet policies, Entities entities) {
    Env env = null;
    Set<String> permits = null;
    Set<String> forbids = null;
    List<Response.PolicyError> errors = null;
    List<CompiledPolicy> compiled = policies.compiled();
    Set<EntityUid> pAnc = entities.ancestors(request.principal());
    Set<EntityUid> aAnc = entities.ancestors(request.action());
    Set<EntityUid> rAnc = entities.ancestors(request.resource());
    long[] candidates = policies.index().candidates(request.principal(), pAnc);
    for (int w = 0; w < candidates.length; w++) {
      // Visit candidate positions in ascending order: policy-set order, as the reference does.
      for (long bits = candidates[w]; bits != 0; bits &= bits - 1) {
        CompiledPolicy p = compiled.get((w << 6) + Long.numberOfTrailingZeros(bits));
        if (!p.scopeMatches(request, pAnc, aAnc, rAnc)) {
          continue;
        }
        if (env == null) {
          env = new Env(request, entities);
        }
        try {
          if (p.conditionsHold(env)) {
            if (p.permit) {
              permits = add(permits, p.id);
            } else {
              forbids = add(forbids, p.id);
            }
          }
        } catch (EvaluationException e) {
          errors = addError(errors, new Response.PolicyError(p.id, e.getMessage(), e.span()));
        } catch (StackOverflowError e) {
          errors = addError(errors, new Response.PolicyError(p.id, "evaluation exceeded the stack limit"));
        }
      }
    }
    List<Response.PolicyError> errs = errors == null ? List.of() : errors;
    if (forbids != null) {
      return new Response(Decision.DENY, forbids, errs);
    }
    if (permits != null) {
      return new Response(Decision.ALLOW, permits, errs);
    }
    return new Response(Decision.DENY, Set.of(), errs);
  }

  private static Set<String> add(Set<String> s, String id) {
    Set<String> out = s == null ? new LinkedHashSet<>(4) : s;
    out.add(id);
    return out;
  }

  private static List<Response.PolicyError> addError(List<Response.PolicyError> l, Response.PolicyError e) {
    List<Response.PolicyError> out = l == null ? new ArrayList<>(2) : l;
    out.add(e);
    return out;
  }

  /**
   * Evaluates {@code request} with the reference (tree-walking) evaluator, policy by policy; same
   * answer as {@link #isAuthorized}, slower. Kept to cross-check the compiled path in tests.
   */
  Response isAuthorizedReference(Request request, PolicySet policies, Entities entities) {
    Evaluator ev = new Evaluator(request, entities);
    Set<String> permits = new LinkedHashSet<>();
    Set<String> forbids = new LinkedHashSet<>();
    List<Response.PolicyError> errors = new ArrayList<>();
    for (Policy p : policies.policies()) {
      if (!scopeMatches(p, request, entities)) {
        continue;
      }
      try {
        if (conditionsHold(p, ev)) {
          (p.effect() == Effect.PERMIT ? permits : forbids).add(p.id());
        }
      } catch (EvaluationException e) {
        errors.add(new Response.PolicyError(p.id(), e.getMessage(), e.span()));
      }
    }
    if (!forbids.isEmpty()) {
      return new Response(Decision.DENY, forbids, errors);
    }
    if (!permits.isEmpty()) {
      return new Response(Decision.ALLOW, permits, errors);
    }
    return new Response(Decision.DENY, Set.of(), errors);
  }
  private static boolean conditionsHold(Policy p, Evaluator ev) {
    for (Condition c : p.conditions()) {
      boolean v = ev.evalBool(c.body());
      if (v != c.when()) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether the request matches the policy's scope; scope checks never fail. */
  static boolean scopeMatches(Policy p, Request r, Entities entities) {
    return matches(p.principal(), r.principal(), entities)
        && matches(p.action(), r.action(), entities)
        && matches(p.resource(), r.resource(), entities);
  }

  private static boolean matches(ScopeConstraint c, EntityUid uid, Entities entities) {
    return switch (c) {
      case ScopeConstraint.Any a -> true;
      case ScopeConstraint.Eq eq -> uid.equals(eq.entity());
      case ScopeConstraint.In in -> in.entity() instanceof EntityUid e && entities.isIn(uid, e);
      case ScopeConstraint.InSet set -> {
        for (EntityUid e : set.entities()) {
          if (entities.isIn(uid, e)) {
            yield true;
          }
        }
        yield false;
      }
      case ScopeConstraint.Is is -> uid.type().equals(is.type());
      case ScopeConstraint.IsIn isIn -> uid.type().equals(isIn.type()) && isIn.entity() instanceof EntityUid e && entities.isIn(uid, e);
    };
  }
}
