package dev.gatehouse.cedar.validation;

import dev.gatehouse.cedar.ast.BinaryOp;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Var;
import dev.gatehouse.cedar.schema.ActionDef;
import dev.gatehouse.cedar.schema.ActionId;
import dev.gatehouse.cedar.schema.EntityTypeDef;
import dev.gatehouse.cedar.validation.ValidationError.Kind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Typechecking of binary operators, {@code in} and extension function calls, split from {@link
 * Typechecker} to keep each file readable.
 *
 * <p>Strict mode adds one rule to the lenient typing of {@code ==}, {@code contains}, {@code
 * containsAll} and {@code containsAny}: the two operand (or element) types must have a least upper
 * bound, unless the result is already known to be {@code true} or {@code false}.
 */
final class OperatorTypechecker {
  private final Typechecker tc;

  OperatorTypechecker(Typechecker tc) {
    this.tc = tc;
  }

  Answer binary(Set<Capability> prior, Expr.Binary e) {
    return switch (e.op()) {
      case EQ -> equality(prior, e, e.left(), e.right());
      // Upstream parses `a != b` as `!(a == b)`.
      case NEQ -> Typechecker.not(equality(prior, e, e.left(), e.right()));
      case LT, LE, GT, GE -> comparison(prior, e, e.left(), e.right());
      case ADD, SUB, MUL -> {
        Answer l = tc.expect(prior, e.left(), Type.LONG);
        Answer r = tc.expect(prior, e.right(), Type.LONG);
        yield new Answer(Type.LONG, Set.of(), l.ok() && r.ok());
      }
      case IN -> in(prior, e.left(), e.right());
      case CONTAINS -> {
        Answer set = tc.expect(prior, e.left(), Type.ANY_SET);
        Answer el = tc.check(prior, e.right());
        Type elementType = set.type() instanceof Type.SetOf s ? s.element() : null;
        boolean ok = strictCompatible(e, elementType, el.type(), "`contains`");
        yield new Answer(Type.BOOL, Set.of(), set.ok() && el.ok() && ok);
      }
      case CONTAINS_ALL, CONTAINS_ANY -> {
        Answer l = tc.expect(prior, e.left(), Type.ANY_SET);
        Answer r = tc.expect(prior, e.right(), Type.ANY_SET);
        boolean ok = strictCompatible(e, l.type(), r.type(), "`" + e.op().text() + "`");
        yield new Answer(Type.BOOL, Set.of(), l.ok() && r.ok() && ok);
      }
      case HAS_TAG -> hasTag(prior, e);
      case GET_TAG -> getTag(prior, e);
    };
  }

  /** Reports an error unless two known types have a strict least upper bound. */
  private boolean strictCompatible(Expr at, Type a, Type b, String context) {
    if (a == null || b == null) {
      return true;
    }
    if (tc.types.lub(a, b, true) == null) {
      tc.error(Kind.INCOMPATIBLE_TYPES, at, "the types `" + a + "` and `" + b + "` are not compatible in " + context);
      return false;
    }
    return true;
  }

  private Answer equality(Set<Capability> prior, Expr at, Expr left, Expr right) {
    Answer l = tc.check(prior, left);
    Answer r = tc.check(prior, right);
    Type type;
    if (l.type() != null && r.type() != null && Types.disjoint(l.type(), r.type())) {
      type = Type.FALSE;
    } else {
      Object ll = literal(left);
      Object rl = literal(right);
      type = ll != null && rl != null ? Type.singleton(ll.equals(rl)) : Type.BOOL;
    }
    boolean ok = l.ok() && r.ok();
    if (type.equals(Type.BOOL)) {
      ok &= strictCompatible(at, l.type(), r.type(), "`==`");
    }
    return new Answer(type, Set.of(), ok);
  }

  /** The value of a literal, with {@code action} replaced by the environment's action; else null. */
  private Object literal(Expr e) {
    return switch (e) {
      case Expr.BoolLit b -> b.value();
      case Expr.LongLit l -> l.value();
      case Expr.StringLit s -> s.value();
      case Expr.EntityLit u -> u.uid();
      case Expr.VarRef v when v.var() == Var.ACTION -> actionUid();
      default -> null;
    };
  }

  private EntityUid actionUid() {
    ActionId a = tc.env.action();
    return EntityUid.of(a.type(), a.id());
  }

  private Answer comparison(Set<Capability> prior, Expr at, Expr left, Expr right) {
    Answer l = tc.check(prior, left);
    Answer r = tc.check(prior, right);
    boolean ok = l.ok() && r.ok();
    Type a = l.type();
    Type b = r.type();
    if (a == null || b == null) {
      return Answer.fail(Type.BOOL);
    }
    boolean valid;
    if (a instanceof Type.Never && b instanceof Type.Never) {
      valid = false;
    } else if (a instanceof Type.Never) {
      valid = ExtensionFunctions.isComparable(b);
    } else if (b instanceof Type.Never) {
      valid = ExtensionFunctions.isComparable(a);
    } else {
      valid = a.equals(b) && ExtensionFunctions.isComparable(a);
    }
    if (!valid && !(a instanceof Type.Never && b instanceof Type.Never)) {
      tc.error(Kind.UNEXPECTED_TYPE, at, "unexpected types `" + a + "` and `" + b
          + "` for a comparison: expected `Long`, `datetime` or `duration` on both sides");
    }
    return new Answer(Type.BOOL, Set.of(), ok && valid);
  }

  private Answer in(Set<Capability> prior, Expr left, Expr right) {
    Answer l = tc.expect(prior, left, Type.ANY_ENTITY);
    Answer r = tc.expect(prior, right, new Type.SetOf(Type.ANY_ENTITY), Type.ANY_ENTITY);
    if (!l.ok() || !r.ok()) {
      return Answer.fail(Type.BOOL);
    }
    EntityUid lhsUid = uidOf(left);
    List<EntityUid> rhsUids = uidsOf(right);
    if (lhsUid != null && rhsUids != null && lhsUid.type().isAction()) {
      return actionInLiterals(lhsUid, rhsUids);
    }
    Set<String> lhs = Types.entityNames(l.type());
    Type rt = r.type() instanceof Type.SetOf s ? s.element() : r.type();
    Set<String> rhs = rt == null ? null : Types.entityNames(rt);
    if (lhs != null && rhs != null && !anyDescendant(lhs, rhs)) {
      return Answer.success(Type.FALSE);
    }
    return Answer.success(Type.BOOL);
  }

  private EntityUid uidOf(Expr e) {
    Object lit = literal(e);
    return lit instanceof EntityUid u ? u : null;
  }

  private List<EntityUid> uidsOf(Expr e) {
    EntityUid one = uidOf(e);
    if (one != null) {
      return List.of(one);
    }
    if (e instanceof Expr.SetLit s) {
      List<EntityUid> out = new ArrayList<>();
      for (Expr el : s.elements()) {
        EntityUid u = uidOf(el);
        if (u == null) {
          return null;
        }
        out.add(u);
      }
      return out;
    }
    return null;
  }

  /** {@code Action::"a" in [...]}: decided exactly from the schema's action hierarchy. */
  private Answer actionInLiterals(EntityUid lhs, List<EntityUid> rhs) {
    List<ActionId> rhsActions = new ArrayList<>();
    for (EntityUid u : rhs) {
      if (u.type().isAction()) {
        rhsActions.add(new ActionId(u.type().name(), u.id()));
      }
    }
    if (rhsActions.isEmpty()) {
      return Answer.success(Type.FALSE);
    }
    for (ActionId a : rhsActions) {
      if (tc.schema.action(a) == null) {
        return Answer.fail(Type.BOOL);
      }
    }
    ActionId l = new ActionId(lhs.type().name(), lhs.id());
    Set<ActionId> ancestors = tc.schema.actionAncestors(l);
    for (ActionId a : rhsActions) {
      if (a.equals(l) || ancestors.contains(a)) {
        return Answer.success(Type.TRUE);
      }
    }
    return Answer.success(Type.FALSE);
  }

  /** Whether an entity of some type in {@code lhs} may be in an entity of some type in {@code rhs}. */
  private boolean anyDescendant(Set<String> lhs, Set<String> rhs) {
    for (String l : lhs) {
      for (String r : rhs) {
        if (l.equals(r) || tc.schema.descendantTypes(r).contains(l) || actionTypeIn(l, r)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether an action of type {@code l} may be in an action of type {@code r}. */
  private boolean actionTypeIn(String l, String r) {
    for (ActionDef a : tc.schema.actions().values()) {
      if (!a.id().type().equals(r)) {
        continue;
      }
      for (ActionDef d : tc.schema.actions().values()) {
        if (d.id().type().equals(l) && tc.schema.actionAncestors(d.id()).contains(a.id())) {
          return true;
        }
      }
    }
    return false;
  }

  private Answer hasTag(Set<Capability> prior, Expr.Binary e) {
    Answer l = tc.expect(prior, e.left(), Type.ANY_ENTITY);
    Answer r = tc.expect(prior, e.right(), Type.STRING);
    boolean ok = l.ok() && r.ok();
    if (l.type() == null) {
      return Answer.fail(null);
    }
    Capability cap = new Capability.Tag(e.left(), e.right());
    Type t = tagTypes(l.type()).isEmpty() ? Type.FALSE : prior.contains(cap) ? Type.TRUE : Type.BOOL;
    return new Answer(t, Set.of(cap), true).failIfNot(ok);
  }

  private Answer getTag(Set<Capability> prior, Expr.Binary e) {
    Answer l = tc.expect(prior, e.left(), Type.ANY_ENTITY);
    Answer r = tc.expect(prior, e.right(), Type.STRING);
    if (l.type() == null) {
      return Answer.fail(null);
    }
    if (!prior.contains(new Capability.Tag(e.left(), e.right()))) {
      tc.error(Kind.UNSAFE_TAG_ACCESS, e, "unable to guarantee safety of access to a tag of `" + l.type()
          + "`: use `hasTag` first");
      return Answer.fail(null);
    }
    Set<Type> tags = tagTypes(l.type());
    if (tags.isEmpty()) {
      tc.error(Kind.NO_TAGS_ALLOWED, e, "`" + l.type() + "` cannot have tags");
      return Answer.fail(null);
    }
    Type lub = tc.lubOrError(e, new ArrayList<>(tags), "tag access");
    if (lub == null) {
      return Answer.fail(null);
    }
    return new Answer(lub, Set.of(), l.ok() && r.ok());
  }

  /** The possible tag types of an entity type: none for entity types that declare no tags. */
  private Set<Type> tagTypes(Type t) {
    Set<Type> out = new LinkedHashSet<>();
    if (t instanceof Type.Entity en) {
      for (String n : en.lub()) {
        EntityTypeDef d = tc.entityType(n);
        if (d != null && d.tags() != null) {
          out.add(Types.fromSchema(d.tags()));
        }
      }
    } else if (t instanceof Type.AnyEntity) {
      for (EntityTypeDef d : tc.schema.entityTypes().values()) {
        if (d.tags() != null) {
          out.add(Types.fromSchema(d.tags()));
        }
      }
    }
    return out;
  }

  Answer extCall(Set<Capability> prior, Expr.ExtCall e) {
    ExtensionFunctions.Signature sig = ExtensionFunctions.lookup(e.function());
    if (sig == null) {
      tc.error(Kind.UNDEFINED_FUNCTION, e, "undefined extension function: `" + e.function() + "`");
      e.args().forEach(a -> tc.check(prior, a));
      return Answer.fail(null);
    }
    boolean failed = false;
    if (e.args().size() != sig.args().size()) {
      tc.error(Kind.WRONG_NUMBER_ARGUMENTS, e, "wrong number of arguments in extension function application: expected "
          + sig.args().size() + ", got " + e.args().size());
      failed = true;
    }
    if (sig.literalCheck() != null) {
      for (Expr a : e.args()) {
        if (a instanceof Expr.StringLit s) {
          try {
            sig.literalCheck().accept(s.value());
          } catch (IllegalArgumentException ex) {
            tc.error(Kind.FUNCTION_ARGUMENT_VALIDATION, a, "error during extension function argument validation: "
                + ex.getMessage());
            failed = true;
          }
        }
      }
      for (Expr a : e.args()) {
        if (!(a instanceof Expr.BoolLit || a instanceof Expr.LongLit || a instanceof Expr.StringLit
            || a instanceof Expr.EntityLit)) {
          tc.error(Kind.NON_LITERAL_EXTENSION_CONSTRUCTOR, e,
              "extension constructors may not be called with non-literal expressions");
          failed = true;
          break;
        }
      }
    }
    if (failed) {
      e.args().forEach(a -> tc.check(prior, a));
      return Answer.fail(sig.result());
    }
    boolean ok = true;
    for (int i = 0; i < e.args().size(); i++) {
      ok &= tc.expect(prior, e.args().get(i), sig.args().get(i)).ok();
    }
    return new Answer(sig.result(), Set.of(), ok);
  }
}
