package dev.gatehouse.cedar;

import dev.gatehouse.cedar.ast.Condition;
import dev.gatehouse.cedar.ast.EntityType;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.eval.CompiledExpr;
import dev.gatehouse.cedar.eval.Env;
import java.util.List;

/**
 * A static or linked policy prepared for fast evaluation: scope constraints flattened into fields
 * and conditions compiled.
 */
final class CompiledPolicy {
  final Policy policy;
  final String id;
  final boolean permit;
  private final Scope principal;
  private final Scope action;
  private final Scope resource;
  private final CompiledExpr[] conditions;
  private final boolean[] when;

  CompiledPolicy(Policy p) {
    this.policy = p;
    this.id = p.id();
    this.permit = p.effect() == dev.gatehouse.cedar.ast.Effect.PERMIT;
    this.principal = Scope.of(p.principal());
    this.action = Scope.of(p.action());
    this.resource = Scope.of(p.resource());
    List<Condition> cs = p.conditions();
    this.conditions = new CompiledExpr[cs.size()];
    this.when = new boolean[cs.size()];
    for (int i = 0; i < cs.size(); i++) {
      conditions[i] = CompiledExpr.compile(cs.get(i).body());
      when[i] = cs.get(i).when();
    }
  }

  /** Returns whether the request is in scope; scope checks never fail. */
  boolean scopeMatches(Request r, Entities es) {
    return principal.matches(r.principal(), es.ancestors(r.principal()))
        && action.matches(r.action(), es.ancestors(r.action()))
        && resource.matches(r.resource(), es.ancestors(r.resource()));
  }

  /** Same as {@link #scopeMatches(Request, Entities)}, with the ancestors looked up already. */
  boolean scopeMatches(Request r, java.util.Set<EntityUid> pAnc, java.util.Set<EntityUid> aAnc, java.util.Set<EntityUid> rAnc) {
    return principal.matches(r.principal(), pAnc) && action.matches(r.action(), aAnc) && resource.matches(r.resource(), rAnc);
  }

  /** Returns the principal constraint's kind and entity, for the policy index. */
  int principalKind() {
    return principal.kind();
  }

  EntityUid principalEntity() {
    return principal.entity();
  }

  /** Returns whether all conditions hold; throws {@link dev.gatehouse.cedar.eval.EvaluationException}. */
  boolean conditionsHold(Env env) {
    for (int i = 0; i < conditions.length; i++) {
      if (conditions[i].evalBool(env) != when[i]) {
        return false;
      }
    }
    return true;
  }

  /** One scope constraint, flattened: kind plus operands. */
  private record Scope(int kind, EntityType type, EntityUid entity, EntityUid[] set) {
    static final int ANY = 0;
    static final int EQ = 1;
    static final int IN = 2;
    static final int IN_SET = 3;
    static final int IS = 4;
    static final int IS_IN = 5;

    static Scope of(ScopeConstraint c) {
      return switch (c) {
        case ScopeConstraint.Any a -> new Scope(ANY, null, null, null);
        case ScopeConstraint.Eq eq -> new Scope(EQ, null, uid(eq.entity()), null);
        case ScopeConstraint.In in -> new Scope(IN, null, uid(in.entity()), null);
        case ScopeConstraint.InSet s -> new Scope(IN_SET, null, null, s.entities().toArray(new EntityUid[0]));
        case ScopeConstraint.Is is -> new Scope(IS, is.type(), null, null);
        case ScopeConstraint.IsIn isIn -> new Scope(IS_IN, isIn.type(), uid(isIn.entity()), null);
      };
    }

    private static EntityUid uid(dev.gatehouse.cedar.ast.EntityRef ref) {
      if (ref instanceof EntityUid u) {
        return u;
      }
      // INVARIANT: templates are never compiled; only static and linked policies are.
      throw new IllegalStateException("unlinked template slot in a compiled policy");
    }

    boolean matches(EntityUid uid, java.util.Set<EntityUid> ancestors) {
      return switch (kind) {
        case ANY -> true;
        case EQ -> uid.equals(entity);
        case IN -> uid.equals(entity) || ancestors.contains(entity);
        case IN_SET -> {
          for (EntityUid e : set) {
            if (uid.equals(e) || ancestors.contains(e)) {
              yield true;
            }
          }
          yield false;
        }
        case IS -> uid.type().equals(type);
        default -> uid.type().equals(type) && (uid.equals(entity) || ancestors.contains(entity));
      };
    }
  }
}
