package dev.gatehouse.cedar;

import dev.gatehouse.cedar.ast.Annotation;
import dev.gatehouse.cedar.ast.BinaryOp;
import dev.gatehouse.cedar.ast.Condition;
import dev.gatehouse.cedar.ast.Effect;
import dev.gatehouse.cedar.ast.EntityType;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Pattern;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.ast.UnaryOp;
import dev.gatehouse.cedar.ast.Var;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of ASTs for property tests: every generated tree is printable Cedar. */
public final class Generators {
  private Generators() {}

  /** Identifier-like names, never reserved words. */
  public static Arbitrary<String> idents() {
    return Arbitraries.of("a", "b", "User", "Group", "x_1", "_y", "Photo", "principal", "when", "permit", "if");
  }

  /** Arbitrary strings including quotes, escapes, stars, NUL and non-BMP characters. */
  public static Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("ab*\"\\\n\t\0é").ofMaxLength(6),
        Arbitraries.of("", "\uD83D\uDE00", "a b", "__entity"));
  }

  public static Arbitrary<EntityType> types() {
    return Arbitraries.of("User", "Group", "NS::Photo", "A::B::C", "Action").map(EntityType::of);
  }

  public static Arbitrary<EntityUid> uids() {
    return Combinators.combine(types(), strings()).as(EntityUid::new);
  }

  /** Expressions up to {@code depth} levels deep. */
  public static Arbitrary<Expr> exprs(int depth) {
    return exprs(depth, strings(), uids());
  }

  /** Expressions whose attribute names and entity literals come from the given generators. */
  public static Arbitrary<Expr> exprs(int depth, Arbitrary<String> attrs, Arbitrary<EntityUid> uids) {
    Arbitrary<Expr> leaf =
        Arbitraries.oneOf(
            Arbitraries.of(true, false).map(Expr.BoolLit::new),
            Arbitraries.longs().map(Expr.LongLit::new),
            Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE).map(Expr.LongLit::new),
            strings().map(Expr.StringLit::new),
            uids.map(Expr.EntityLit::new),
            Arbitraries.of(Var.values()).map(Expr.VarRef::new),
            extConstructors());
    if (depth <= 0) {
      return leaf;
    }
    Arbitrary<Expr> sub = Arbitraries.lazy(() -> exprs(depth - 1, attrs, uids));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, leaf),
        net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.of(UnaryOp.values()), sub).as(Expr.Unary::new)),
        net.jqwik.api.Tuple.of(3, Combinators.combine(Arbitraries.of(BinaryOp.values()), sub, sub).as(Expr.Binary::new)),
        net.jqwik.api.Tuple.of(1, Combinators.combine(sub, sub).as(Expr.And::new)),
        net.jqwik.api.Tuple.of(1, Combinators.combine(sub, sub).as(Expr.Or::new)),
        net.jqwik.api.Tuple.of(1, Combinators.combine(sub, sub, sub).as(Expr.If::new)),
        net.jqwik.api.Tuple.of(1, Combinators.combine(sub, attrs).as(Expr.GetAttr::new)),
        net.jqwik.api.Tuple.of(1, Combinators.combine(sub, attrs).as(Expr.HasAttr::new)),
        net.jqwik.api.Tuple.of(1, Combinators.combine(sub, strings().list().ofMinSize(1).ofMaxSize(3)).as((e, c) -> new Expr.Like(e, new Pattern(c)))),
        net.jqwik.api.Tuple.of(1, Combinators.combine(sub, types()).as(Expr.Is::new)),
        net.jqwik.api.Tuple.of(1, sub.list().ofMaxSize(3).map(Expr.SetLit::new)),
        net.jqwik.api.Tuple.of(1, Arbitraries.maps(strings(), sub).ofMaxSize(3).map(m -> (Expr) new Expr.RecordLit(m))),
        net.jqwik.api.Tuple.of(1, sub.map(e -> new Expr.ExtCall("ip", List.of(e)))),
        net.jqwik.api.Tuple.of(1, Combinators.combine(sub, sub).as((a, b) -> new Expr.ExtCall("lessThan", List.of(a, b)))),
        net.jqwik.api.Tuple.of(1, sub.map(e -> new Expr.ExtCall("toDays", List.of(e)))),
        net.jqwik.api.Tuple.of(2, Combinators.combine(Arbitraries.of(UNARY_METHODS), sub).as((m, e) -> new Expr.ExtCall(m, List.of(e)))),
        net.jqwik.api.Tuple.of(2, Combinators.combine(Arbitraries.of(BINARY_METHODS), sub, sub).as((m, a, b) -> new Expr.ExtCall(m, List.of(a, b)))));
  }

  private static final List<String> UNARY_METHODS =
      List.of("isIpv4", "isIpv6", "isLoopback", "isMulticast", "toDate", "toTime", "toMilliseconds", "toSeconds", "toMinutes", "toHours", "toDays");
  private static final List<String> BINARY_METHODS =
      List.of("isInRange", "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual", "offset", "durationSince");

  /** Extension constructor calls on mostly valid, some invalid, literal strings. */
  public static Arbitrary<Expr> extConstructors() {
    return Arbitraries.oneOf(
        Arbitraries.of("10.0.0.1", "10.0.0.0/8", "::1", "ff00::/8", "127.0.0.1/7", "127.0.0.1/8", "0.0.0.0/0", "::/0", "ffff::1/128", "1.2.3.4/33", "01.2.3.4", "10.0.0.0/08", "::ffff:1.2.3.4")
            .map(a -> call("ip", a)),
        Arbitraries.of("1.0", "-0.5", "0.0001", "922337203685477.5807", "-922337203685477.5808", "1.23456", "1", "-1.5")
            .map(a -> call("decimal", a)),
        Arbitraries.of("2024-01-01", "2024-10-15T11:38:02.101+1134", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "0000-01-01", "9999-12-31T23:59:59-2359", "2024-02-30", "2024-01-01T24:00:00Z")
            .map(a -> call("datetime", a)),
        Arbitraries.of("1d2h", "-1ms", "0ms", "9223372036854775807ms", "-9223372036854775808ms", "106751991167d", "1x", "1h30m", "-2d")
            .map(a -> call("duration", a)));
  }

  private static Expr call(String fn, String arg) {
    return new Expr.ExtCall(fn, List.of(new Expr.StringLit(arg)));
  }

  /** Scope constraints for principal/resource (no slots). */
  public static Arbitrary<ScopeConstraint> scopes() {
    return Arbitraries.oneOf(
        Arbitraries.just(ScopeConstraint.ANY),
        uids().map(ScopeConstraint.Eq::new),
        uids().map(ScopeConstraint.In::new),
        types().map(ScopeConstraint.Is::new),
        Combinators.combine(types(), uids()).as(ScopeConstraint.IsIn::new));
  }

  /** Action scope constraints. */
  public static Arbitrary<ScopeConstraint> actionScopes() {
    Arbitrary<EntityUid> actions = Combinators.combine(Arbitraries.of("Action", "NS::Action"), strings()).as(EntityUid::of);
    return Arbitraries.oneOf(
        Arbitraries.just(ScopeConstraint.ANY),
        actions.map(ScopeConstraint.Eq::new),
        actions.map(ScopeConstraint.In::new),
        actions.list().ofMaxSize(3).map(ScopeConstraint.InSet::new));
  }

  /** Whole static policies. */
  public static Arbitrary<Policy> policies() {
    Arbitrary<List<Annotation>> annotations =
        Arbitraries.maps(idents(), strings()).ofMaxSize(2).map(m -> m.entrySet().stream().map(e -> new Annotation(e.getKey(), e.getValue())).toList());
    Arbitrary<List<Condition>> conditions =
        Combinators.combine(Arbitraries.of(true, false), exprs(3)).as(Condition::new).list().ofMaxSize(2);
    return Combinators.combine(Arbitraries.of(Effect.values()), annotations, scopes(), actionScopes(), scopes(), conditions)
        .as((eff, ann, p, a, r, c) -> new Policy("policy0", eff, ann, p, a, r, c));
  }

}
