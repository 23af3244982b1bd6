package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.ast.BinaryOp;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.SourceSpan;
import dev.gatehouse.cedar.ast.UnaryOp;
import dev.gatehouse.cedar.ast.Var;
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
 * The strict-mode typechecker for one request environment, following upstream's {@code
 * typecheck.rs}.
 *
 * <p>Two things make its results match upstream's exactly, not just "soundly": singleton boolean
 * types short-circuit {@code &&}, {@code ||} and {@code if}, so errors in code that can never run
 * are not reported; and capabilities learned from {@code has} and {@code hasTag} flow from the
 * left of {@code &&} to its right and from an {@code if}'s test to its {@code then} branch. An
 * expression that fails still gets a type where possible so that errors around it are found too.
 *
 * <p>Binary operators and extension calls live in {@link OperatorTypechecker}; this class holds
 * the variables, literals, control flow, attributes and collections.
 */
final class Typechecker {
  /** Expression depth beyond which typechecking gives up (the parser bounds depth already). */
  private static final int MAX_DEPTH = 2000;

  final Types types;
  final Schema schema;
  final RequestEnv env;
  final String policyId;
  /** Where errors in expressions without a span (built for the scope, or from JSON) point. */
  private final SourceSpan policySpan;
  final List<ValidationError> errors;
  private final OperatorTypechecker operators;
  private int depth;

  Typechecker(Types types, RequestEnv env, String policyId, SourceSpan policySpan,
      List<ValidationError> errors) {
    this.types = types;
    this.schema = types.schema();
    this.env = env;
    this.policyId = policyId;
    this.policySpan = policySpan;
    this.errors = errors;
    this.operators = new OperatorTypechecker(this);
  }

  /** Reports a problem with expression {@code at}, positioned at its span. */
  void error(Kind kind, Expr at, String message) {
    SourceSpan span = at.span();
    errors.add(new ValidationError(policyId, kind, message, span != null ? span : policySpan));
  }

  /** Typechecks {@code e} and requires its type to be a subtype of one of {@code expected}. */
  Answer expect(Set<Capability> prior, Expr e, Type... expected) {
    Answer a = check(prior, e);
    if (a.type() == null) {
      return Answer.fail(null);
    }
    for (Type t : expected) {
      // Upstream checks operand kinds with the permissive relation even in strict mode.
      if (types.isSubtype(a.type(), t, false)) {
        return a;
      }
    }
    error(Kind.UNEXPECTED_TYPE, e, "unexpected type: expected "
        + (expected.length == 1 ? "`" + expected[0] + "`" : "one of " + describe(expected))
        + " but saw `" + a.type() + "`");
    return Answer.fail(null);
  }

  private static String describe(Type[] ts) {
    List<String> s = new ArrayList<>();
    for (Type t : ts) {
      s.add("`" + t + "`");
    }
    return String.join(", ", s);
  }

  /** Typechecks {@code e} given the capabilities {@code prior} that hold where it runs. */
  Answer check(Set<Capability> prior, Expr e) {
    if (++depth > MAX_DEPTH) {
      depth--;
      error(Kind.RECURSION_LIMIT, e, "expression is nested too deeply to typecheck");
      return Answer.fail(null);
    }
    try {
      return dispatch(prior, e);
    } finally {
      depth--;
    }
  }

  private Answer dispatch(Set<Capability> prior, Expr e) {
    return switch (e) {
      case Expr.BoolLit b -> Answer.success(Type.singleton(b.value()));
      case Expr.LongLit l -> Answer.success(Type.LONG);
      case Expr.StringLit s -> Answer.success(Type.STRING);
      case Expr.EntityLit lit -> entityLiteral(lit.uid());
      case Expr.VarRef v -> Answer.success(variable(v.var()));
      case Expr.SlotRef s -> Answer.success(slotType(s.slot()));
      case Expr.If i -> ifThenElse(prior, i);
      case Expr.And a -> and(prior, a);
      case Expr.Or o -> or(prior, o);
      case Expr.Unary u -> unary(prior, u);
      case Expr.Binary b -> operators.binary(prior, b);
      case Expr.ExtCall c -> operators.extCall(prior, c);
      case Expr.GetAttr g -> getAttr(prior, g);
      case Expr.HasAttr h -> hasAttr(prior, h);
      case Expr.Like l -> {
        Answer a = expect(prior, l.target(), Type.STRING);
        yield new Answer(Type.BOOL, Set.of(), a.ok());
      }
      case Expr.Is is -> isType(prior, is);
      case Expr.SetLit s -> setLiteral(prior, s);
      case Expr.RecordLit r -> recordLiteral(prior, r);
    };
  }

  private Type slotType(dev.gatehouse.cedar.ast.Slot slot) {
    String linked = slot == dev.gatehouse.cedar.ast.Slot.PRINCIPAL ? env.principalSlot() : env.resourceSlot();
    return linked == null ? Type.ANY_ENTITY : Type.Entity.of(linked);
  }

  Type variable(Var v) {
    return switch (v) {
      case PRINCIPAL -> Type.Entity.of(env.principal());
      case ACTION -> new Type.ActionEntity(env.action().type());
      case RESOURCE -> Type.Entity.of(env.resource());
      case CONTEXT -> env.context();
    };
  }

  /**
   * The type of an entity literal. Undeclared types and actions fail without an error here: the
   * scope checks in {@link PolicyChecks} report them once per policy.
   */
  Answer entityLiteral(EntityUid uid) {
    String t = uid.type().name();
    if (uid.type().isAction()) {
      return schema.action(new ActionId(t, uid.id())) != null
          ? Answer.success(new Type.ActionEntity(t))
          : Answer.fail(null);
    }
    return schema.entityType(t) != null ? Answer.success(Type.Entity.of(t)) : Answer.fail(null);
  }

  private Answer ifThenElse(Set<Capability> prior, Expr.If e) {
    Answer test = expect(prior, e.cond(), Type.BOOL);
    if (Type.TRUE.equals(test.type())) {
      Answer then = check(Capability.union(prior, test.caps()), e.then());
      return new Answer(then.type(), Capability.union(then.caps(), test.caps()), true)
          .failIfNot(test.ok() && then.ok());
    }
    if (Type.FALSE.equals(test.type())) {
      return check(prior, e.otherwise()).failIfNot(test.ok());
    }
    Answer then = check(Capability.union(prior, test.caps()), e.then());
    Answer otherwise = check(prior, e.otherwise());
    Type lub = lubOrError(e, java.util.Arrays.asList(then.type(), otherwise.type()), "conditional expression");
    Set<Capability> caps = Capability.intersect(Capability.union(then.caps(), test.caps()), otherwise.caps());
    return new Answer(lub, caps, true).failIfNot(test.ok() && then.ok() && otherwise.ok() && lub != null);
  }

  /**
   * {@code a && b && c} parses as {@code (a && b) && c}; long chains are folded left to right
   * here instead of recursing down the left spine, so their length costs no stack.
   */
  private Answer and(Set<Capability> prior, Expr.And e) {
    java.util.Deque<Expr> rights = new java.util.ArrayDeque<>();
    Expr cur = e;
    while (cur instanceof Expr.And a) {
      rights.push(a.right());
      cur = a.left();
    }
    // INVARIANT: a conjunction's answer always has a boolean type or fails with `Bool`, so
    // re-checking it against `Bool` (as the recursive rule would) changes nothing.
    Answer acc = expect(prior, cur, Type.BOOL);
    while (!rights.isEmpty()) {
      acc = andStep(prior, acc, rights.pop());
    }
    return acc;
  }

  private Answer andStep(Set<Capability> prior, Answer left, Expr rightExpr) {
    if (Type.FALSE.equals(left.type())) {
      return new Answer(Type.FALSE, Set.of(), left.ok());
    }
    Answer right = expect(Capability.union(prior, left.caps()), rightExpr, Type.BOOL);
    boolean ok = left.ok() && right.ok();
    Type lt = left.type();
    Type rt = right.type();
    if (lt == null || rt == null) {
      return Answer.fail(Type.BOOL);
    }
    if (rt.equals(Type.FALSE)) {
      return new Answer(Type.FALSE, Set.of(), ok);
    }
    if (rt.equals(Type.TRUE)) {
      return new Answer(lt, Capability.union(left.caps(), right.caps()), true).failIfNot(ok);
    }
    if (lt.equals(Type.TRUE)) {
      return new Answer(rt, right.caps(), true).failIfNot(ok);
    }
    return new Answer(Type.BOOL, Capability.union(left.caps(), right.caps()), true).failIfNot(ok);
  }

  /** {@code a || b || c}, folded left to right like {@link #and}. */
  private Answer or(Set<Capability> prior, Expr.Or e) {
    java.util.Deque<Expr> rights = new java.util.ArrayDeque<>();
    Expr cur = e;
    while (cur instanceof Expr.Or o) {
      rights.push(o.right());
      cur = o.left();
    }
    Answer acc = expect(prior, cur, Type.BOOL);
    while (!rights.isEmpty()) {
      acc = orStep(prior, acc, rights.pop());
    }
    return acc;
  }

  private Answer orStep(Set<Capability> prior, Answer left, Expr rightExpr) {
    if (Type.TRUE.equals(left.type())) {
      return left;
    }
    Answer right = expect(prior, rightExpr, Type.BOOL);
    boolean ok = left.ok() && right.ok();
    Type lt = left.type();
    Type rt = right.type();
    if (lt == null || rt == null) {
      return Answer.fail(Type.BOOL);
    }
    if (rt.equals(Type.TRUE)) {
      return new Answer(Type.TRUE, right.caps(), true).failIfNot(ok);
    }
    if (rt.equals(Type.FALSE)) {
      return new Answer(lt, left.caps(), true).failIfNot(ok);
    }
    if (lt.equals(Type.FALSE)) {
      return new Answer(rt, right.caps(), true).failIfNot(ok);
    }
    return new Answer(Type.BOOL, Capability.intersect(left.caps(), right.caps()), true).failIfNot(ok);
  }

  private Answer unary(Set<Capability> prior, Expr.Unary e) {
    return switch (e.op()) {
      case NOT -> not(expect(prior, e.arg(), Type.BOOL));
      case NEG -> new Answer(Type.LONG, Set.of(), expect(prior, e.arg(), Type.LONG).ok());
      case IS_EMPTY -> new Answer(Type.BOOL, Set.of(), expect(prior, e.arg(), Type.ANY_SET).ok());
    };
  }

  /** The type of {@code !a} given the answer for {@code a}. */
  static Answer not(Answer a) {
    if (a.type() == null) {
      return Answer.fail(Type.BOOL);
    }
    Type t = a.type().equals(Type.TRUE) ? Type.FALSE : a.type().equals(Type.FALSE) ? Type.TRUE : Type.BOOL;
    return new Answer(t, Set.of(), a.ok());
  }

  private Answer getAttr(Set<Capability> prior, Expr.GetAttr e) {
    Answer target = expect(prior, e.target(), Type.ANY_ENTITY, Type.ANY_RECORD);
    if (target.type() == null) {
      return Answer.fail(null);
    }
    Type.Attr attr = types.lookupAttr(target.type(), e.attr());
    if (attr == null) {
      error(Kind.UNSAFE_ATTRIBUTE_ACCESS, e, "attribute `" + e.attr() + "` on `" + target.type() + "` not found");
      return Answer.fail(null);
    }
    if (attr.required() || prior.contains(new Capability.Attr(e.target(), e.attr()))) {
      return new Answer(attr.type(), Set.of(), target.ok());
    }
    error(Kind.UNSAFE_OPTIONAL_ATTRIBUTE_ACCESS, e, "unable to guarantee safety of access to optional attribute `"
        + e.attr() + "` on `" + target.type() + "`");
    return Answer.fail(attr.type());
  }

  private Answer hasAttr(Set<Capability> prior, Expr.HasAttr e) {
    Answer target = expect(prior, e.target(), Type.ANY_ENTITY, Type.ANY_RECORD);
    if (target.type() == null) {
      return Answer.fail(Type.BOOL);
    }
    Type.Attr attr = types.lookupAttr(target.type(), e.attr());
    Capability cap = new Capability.Attr(e.target(), e.attr());
    Answer result;
    if (attr != null) {
      // An entity may be missing from the store, so `has` on a required entity attribute is
      // only known true once an earlier `has` proved the entity exists.
      boolean known = prior.contains(cap) || (attr.required() && target.type() instanceof Type.Rec);
      result = Answer.success(known ? Type.TRUE : Type.BOOL, Set.of(cap));
    } else {
      result = Answer.success(types.mayHaveAttr(target.type(), e.attr()) ? Type.BOOL : Type.FALSE);
    }
    return result.failIfNot(target.ok());
  }

  private Answer isType(Set<Capability> prior, Expr.Is e) {
    Answer target = expect(prior, e.target(), Type.ANY_ENTITY);
    String tested = e.type().name();
    Set<String> names = Types.entityNames(target.type() == null ? Type.NEVER : target.type());
    if (names != null) {
      Type t = !names.contains(tested) ? Type.FALSE : names.size() == 1 ? Type.TRUE : Type.BOOL;
      return new Answer(t, Set.of(), target.ok());
    }
    if (target.type() instanceof Type.AnyEntity) {
      return new Answer(Type.BOOL, Set.of(), target.ok());
    }
    return Answer.fail(Type.BOOL);
  }

  private Answer setLiteral(Set<Capability> prior, Expr.SetLit e) {
    List<Type> elementTypes = new ArrayList<>();
    boolean ok = true;
    for (Expr el : e.elements()) {
      Answer a = check(prior, el);
      ok &= a.ok();
      elementTypes.add(a.type());
    }
    Type lub = lubOrError(e, elementTypes, "set literal");
    if (e.elements().isEmpty()) {
      error(Kind.EMPTY_SET_FORBIDDEN, e, "empty set literals are forbidden in policies");
      return Answer.fail(null);
    }
    if (lub == null) {
      return Answer.fail(null);
    }
    return new Answer(new Type.SetOf(lub), Set.of(), ok);
  }

  private Answer recordLiteral(Set<Capability> prior, Expr.RecordLit e) {
    Map<String, Type.Attr> attrs = new LinkedHashMap<>();
    boolean ok = true;
    boolean typed = true;
    for (Map.Entry<String, Expr> f : e.fields().entrySet()) {
      Answer a = check(prior, f.getValue());
      ok &= a.ok();
      if (a.type() == null) {
        typed = false;
      } else {
        attrs.put(f.getKey(), new Type.Attr(a.type(), true));
      }
    }
    if (!typed) {
      return Answer.fail(null);
    }
    return new Answer(new Type.Rec(attrs, false), Set.of(), ok);
  }

  /**
   * The strict least upper bound of {@code ts}, reporting an error when there is none. Returns
   * {@code null} without an error when some type is unknown (an error was reported for it).
   */
  Type lubOrError(Expr at, List<Type> ts, String context) {
    Type acc = Type.NEVER;
    for (Type t : ts) {
      if (t == null) {
        return null;
      }
    }
    for (Type t : ts) {
      Type next = types.lub(acc, t, true);
      if (next == null) {
        Set<String> shown = new LinkedHashSet<>();
        ts.forEach(x -> shown.add("`" + x + "`"));
        error(Kind.INCOMPATIBLE_TYPES, at, "the types " + String.join(", ", shown) + " are not compatible in a " + context);
        return null;
      }
      acc = next;
    }
    return acc;
  }

  /** The declaration of an entity type, or {@code null}. */
  EntityTypeDef entityType(String name) {
    return schema.entityType(name);
  }
}
