package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.ast.Condition;
import dev.gatehouse.cedar.ast.EntityRef;
import dev.gatehouse.cedar.ast.EntityType;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Names;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.ast.SourceSpan;
import dev.gatehouse.cedar.schema.ActionDef;
import dev.gatehouse.cedar.schema.ActionId;
import dev.gatehouse.cedar.schema.EntityTypeDef;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.validation.ValidationError.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks made once per policy rather than per request environment, following upstream's
 * {@code rbac.rs}: every entity type and action the policy names is declared, enumerated entities
 * use declared ids, and some action the scope allows applies to some principal and resource type
 * the scope allows (Cedar 4.10 reports the last as an error).
 *
 * <p>An undeclared name is reported once per policy, at its first occurrence: the scope constraint
 * or the expression that names it.
 */
final class PolicyChecks {
  private final Schema schema;
  private final List<ValidationError> errors;
  private final String policyId;

  PolicyChecks(Schema schema, String policyId, List<ValidationError> errors) {
    this.schema = schema;
    this.policyId = policyId;
    this.errors = errors;
  }

  void run(Policy p) {
    Map<EntityType, SourceSpan> types = new LinkedHashMap<>();
    Map<EntityUid, SourceSpan> uids = new LinkedHashMap<>();
    Policy.Spans spans = p.spans();
    collectScope(p.principal(), spans == null ? null : spans.principal(), types, uids);
    collectScope(p.action(), spans == null ? null : spans.action(), types, uids);
    collectScope(p.resource(), spans == null ? null : spans.resource(), types, uids);
    for (Condition c : p.conditions()) {
      ExprWalker.collect(c.body(), types, uids);
    }
    SourceSpan policySpan = p.span();
    for (Map.Entry<EntityType, SourceSpan> t : types.entrySet()) {
      if (!t.getKey().isAction() && schema.entityType(t.getKey().name()) == null) {
        error(Kind.UNRECOGNIZED_ENTITY_TYPE, or(t.getValue(), policySpan),
            "unrecognized entity type `" + t.getKey().name() + "`");
      }
    }
    for (Map.Entry<EntityUid, SourceSpan> e : uids.entrySet()) {
      EntityUid u = e.getKey();
      if (u.type().isAction()) {
        continue;
      }
      EntityTypeDef d = schema.entityType(u.type().name());
      if (d != null && d.isEnum() && !d.enumIds().contains(u.id())) {
        error(Kind.INVALID_ENUM_ENTITY, or(e.getValue(), policySpan), "entity `" + u
            + "` is of an enumerated entity type, but `" + Names.quote(u.id())
            + "` is not declared as a valid eid");
      }
    }
    for (Map.Entry<EntityUid, SourceSpan> e : uids.entrySet()) {
      EntityUid u = e.getKey();
      if (u.type().isAction() && schema.action(new ActionId(u.type().name(), u.id())) == null) {
        error(Kind.UNRECOGNIZED_ACTION_ID, or(e.getValue(), policySpan),
            "unrecognized action `" + u + "`");
      }
    }
    checkActionApplication(p);
  }

  private static SourceSpan or(SourceSpan span, SourceSpan fallback) {
    return span != null ? span : fallback;
  }

  private static void collectScope(ScopeConstraint c, SourceSpan span,
      Map<EntityType, SourceSpan> types, Map<EntityUid, SourceSpan> uids) {
    switch (c) {
      case ScopeConstraint.Eq eq -> addRef(eq.entity(), span, types, uids);
      case ScopeConstraint.In in -> addRef(in.entity(), span, types, uids);
      case ScopeConstraint.InSet set -> set.entities().forEach(u -> addRef(u, span, types, uids));
      case ScopeConstraint.Is is -> types.putIfAbsent(is.type(), span);
      case ScopeConstraint.IsIn isIn -> {
        types.putIfAbsent(isIn.type(), span);
        addRef(isIn.entity(), span, types, uids);
      }
      case ScopeConstraint.Any any -> {}
    }
  }

  private static void addRef(EntityRef r, SourceSpan span, Map<EntityType, SourceSpan> types,
      Map<EntityUid, SourceSpan> uids) {
    if (r instanceof EntityUid u) {
      types.putIfAbsent(u.type(), span);
      uids.putIfAbsent(u, span);
    }
  }

  private void checkActionApplication(Policy p) {
    Set<String> principals = typesSatisfying(p.principal());
    Set<String> resources = typesSatisfying(p.resource());
    for (ActionId a : actionsSatisfying(p.action())) {
      ActionDef d = schema.action(a);
      if (d == null) {
        continue;
      }
      boolean principalOk = d.principalTypes().stream().anyMatch(principals::contains);
      boolean resourceOk = d.resourceTypes().stream().anyMatch(resources::contains);
      if (principalOk && resourceOk) {
        return;
      }
    }
    error(Kind.INVALID_ACTION_APPLICATION, p.span(),
        "unable to find an applicable action given the policy scope constraints");
  }

  private List<ActionId> actionsSatisfying(ScopeConstraint c) {
    return switch (c) {
      case ScopeConstraint.Any any -> new ArrayList<>(schema.actions().keySet());
      case ScopeConstraint.Eq eq when eq.entity() instanceof EntityUid u -> List.of(actionId(u));
      case ScopeConstraint.In in when in.entity() instanceof EntityUid u -> actionsIn(List.of(u));
      case ScopeConstraint.InSet set -> actionsIn(set.entities());
      default -> List.of();
    };
  }

  /** The actions in any of {@code groups} (themselves included), or none if one is undeclared. */
  private List<ActionId> actionsIn(List<EntityUid> groups) {
    Set<ActionId> ids = new LinkedHashSet<>();
    for (EntityUid g : groups) {
      ActionId gid = actionId(g);
      if (schema.action(gid) == null) {
        return List.of();
      }
      ids.add(gid);
    }
    List<ActionId> out = new ArrayList<>();
    for (ActionId a : schema.actions().keySet()) {
      if (ids.contains(a) || schema.actionAncestors(a).stream().anyMatch(ids::contains)) {
        out.add(a);
      }
    }
    return out;
  }

  private static ActionId actionId(EntityUid u) {
    return new ActionId(u.type().name(), u.id());
  }

  /** The entity types a principal or resource scope constraint allows. */
  private Set<String> typesSatisfying(ScopeConstraint c) {
    return switch (c) {
      case ScopeConstraint.Any any -> schema.entityTypes().keySet();
      case ScopeConstraint.Eq eq -> eq.entity() instanceof EntityUid u
          ? Set.of(u.type().name()) : schema.entityTypes().keySet();
      case ScopeConstraint.In in -> in.entity() instanceof EntityUid u
          ? typesIn(u.type().name()) : schema.entityTypes().keySet();
      case ScopeConstraint.Is is -> schema.entityType(is.type().name()) != null
          ? Set.of(is.type().name()) : Set.of();
      case ScopeConstraint.IsIn isIn -> {
        String t = isIn.type().name();
        if (!(isIn.entity() instanceof EntityUid u)) {
          yield schema.entityType(t) != null ? Set.of(t) : Set.of();
        }
        yield typesIn(u.type().name()).contains(t) ? Set.of(t) : Set.of();
      }
      case ScopeConstraint.InSet set -> Set.of();
    };
  }

  /** The entity types whose entities may be in an entity of type {@code t}, {@code t} included. */
  private Set<String> typesIn(String t) {
    Set<String> s = new LinkedHashSet<>(schema.descendantTypes(t));
    s.add(t);
    return s;
  }

  private void error(Kind kind, SourceSpan span, String message) {
    errors.add(new ValidationError(policyId, kind, message, span));
  }

  /**
   * Builds the condition upstream typechecks: {@code ((principal && action) && resource) && body}.
   * The expressions made from the scope get the spans of their scope constraints.
   */
  static Expr condition(Policy p) {
    Policy.Spans spans = p.spans();
    Expr scope = new Expr.And(new Expr.And(
        scopeExpr(dev.gatehouse.cedar.ast.Var.PRINCIPAL, p.principal(),
            spans == null ? null : spans.principal()),
        actionExpr(p.action(), spans == null ? null : spans.action())),
        scopeExpr(dev.gatehouse.cedar.ast.Var.RESOURCE, p.resource(),
            spans == null ? null : spans.resource()));
    Expr body = null;
    for (Condition c : p.conditions()) {
      Expr e = c.when() ? c.body() : new Expr.Unary(dev.gatehouse.cedar.ast.UnaryOp.NOT, c.body());
      body = body == null ? e : new Expr.And(body, e);
    }
    return new Expr.And(scope, body == null ? new Expr.BoolLit(true) : body);
  }

  private static Expr ref(EntityRef r, SourceSpan sp) {
    return r instanceof EntityUid u ? new Expr.EntityLit(u, sp)
        : new Expr.SlotRef((dev.gatehouse.cedar.ast.Slot) r, sp);
  }

  private static Expr scopeExpr(dev.gatehouse.cedar.ast.Var v, ScopeConstraint c, SourceSpan sp) {
    Expr var = new Expr.VarRef(v, sp);
    return switch (c) {
      case ScopeConstraint.Any any -> new Expr.BoolLit(true, sp);
      case ScopeConstraint.Eq eq -> new Expr.Binary(dev.gatehouse.cedar.ast.BinaryOp.EQ, var,
          ref(eq.entity(), sp), sp);
      case ScopeConstraint.In in -> new Expr.Binary(dev.gatehouse.cedar.ast.BinaryOp.IN, var,
          ref(in.entity(), sp), sp);
      case ScopeConstraint.Is is -> new Expr.Is(var, is.type(), sp);
      case ScopeConstraint.IsIn isIn -> new Expr.And(new Expr.Is(var, isIn.type(), sp),
          new Expr.Binary(dev.gatehouse.cedar.ast.BinaryOp.IN, var, ref(isIn.entity(), sp), sp), sp);
      case ScopeConstraint.InSet set -> new Expr.Binary(dev.gatehouse.cedar.ast.BinaryOp.IN, var,
          new Expr.SetLit(set.entities().stream().map(u -> (Expr) new Expr.EntityLit(u, sp)).toList(),
              sp), sp);
    };
  }

  private static Expr actionExpr(ScopeConstraint c, SourceSpan sp) {
    Expr var = new Expr.VarRef(dev.gatehouse.cedar.ast.Var.ACTION, sp);
    return switch (c) {
      // Upstream turns `action in A` into `action in [A]`.
      case ScopeConstraint.In in -> new Expr.Binary(dev.gatehouse.cedar.ast.BinaryOp.IN, var,
          new Expr.SetLit(List.of(ref(in.entity(), sp)), sp), sp);
      default -> scopeExpr(dev.gatehouse.cedar.ast.Var.ACTION, c, sp);
    };
  }
}
