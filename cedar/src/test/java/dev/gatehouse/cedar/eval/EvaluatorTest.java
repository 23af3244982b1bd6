package dev.gatehouse.cedar.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.cedar.Entities;
import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.Request;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.parser.PolicyParser;
import dev.gatehouse.cedar.value.BoolValue;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  private static final EntityUid ALICE = EntityUid.of("User", "alice");
  private static final EntityUid ADMINS = EntityUid.of("Group", "admins");
  private static final EntityUid STAFF = EntityUid.of("Group", "staff");

  private static final Entities ENTITIES =
      Entities.of(
          java.util.List.of(
              new Entity(ALICE, Map.of("age", LongValue.of(30)), Set.of(ADMINS), Map.of("dept", new StringValue("eng"))),
              Entity.of(ADMINS, Set.of(STAFF))));

  /**
   * The reference evaluator's value of {@code expr}, or its error, after checking that the
   * compiled expression gives the same value or fails with the same message: every case here
   * tests both evaluators.
   */
  private static Value eval(String expr) {
    return eval(PolicyParser.parseExpr(expr), expr);
  }

  private static Value eval(dev.gatehouse.cedar.ast.Expr e, String expr) {
    Request r =
        new Request(ALICE, EntityUid.of("Action", "view"), EntityUid.of("Doc", "d"), new RecordValue(Map.of("n", LongValue.of(1))));
    Value compiled = null;
    EvaluationException compiledError = null;
    try {
      compiled = CompiledExpr.compile(e).eval(new Env(r, ENTITIES));
    } catch (EvaluationException err) {
      compiledError = err;
    }
    Value reference;
    try {
      reference = new Evaluator(r, ENTITIES).eval(e);
    } catch (EvaluationException err) {
      assertThat(compiledError).as("compiled `%s` did not fail; reference: %s", expr,
          err.getMessage()).isNotNull();
      assertThat(compiledError.getMessage()).as("compiled `%s`", expr).isEqualTo(err.getMessage());
      throw err;
    }
    assertThat(compiledError).as("compiled `%s` failed where the reference did not", expr).isNull();
    assertThat(compiled).as("compiled `%s`", expr).isEqualTo(reference);
    return reference;
  }

  @Test
  void inWhenAncestorIsTransitiveThenTrue() {
    assertThat(eval("principal in Group::\"staff\"")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("principal in [Group::\"x\", Group::\"staff\"]")).isEqualTo(BoolValue.TRUE);
  }

  @Test
  void inWhenEntityMissingThenOnlyEquality() {
    assertThat(eval("Group::\"nobody\" in Group::\"nobody\"")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("Group::\"nobody\" in Group::\"staff\"")).isEqualTo(BoolValue.FALSE);
  }

  @Test
  void inWhenSetHoldsNoAncestorThenFalse() {
    assertThat(eval("principal in [Group::\"x\"]")).isEqualTo(BoolValue.FALSE);
    assertThat(eval("principal in [Group::\"x\", Group::\"y\"]")).isEqualTo(BoolValue.FALSE);
    assertThat(eval("principal in []")).isEqualTo(BoolValue.FALSE);
    assertThat(eval("principal in [Group::\"staff\"]")).isEqualTo(BoolValue.TRUE);
  }

  @Test
  void inWhenSetHasNonEntityThenError() {
    assertThatThrownBy(() -> eval("principal in [principal, 1]")).isInstanceOf(EvaluationException.class);
  }

  @Test
  void andWhenLeftFalseThenRightNotEvaluated() {
    assertThat(eval("false && (1 + \"a\")")).isEqualTo(BoolValue.FALSE);
    assertThat(eval("true || principal.nope")).isEqualTo(BoolValue.TRUE);
  }

  @Test
  void andWhenRightNotBoolThenTypeError() {
    assertThatThrownBy(() -> eval("true && 1")).isInstanceOf(EvaluationException.class).hasMessageContaining("type error");
  }

  @Test
  void arithmeticWhenOverflowThenError() {
    assertThatThrownBy(() -> eval("9223372036854775807 + 1")).isInstanceOf(EvaluationException.class).hasMessageContaining("overflow");
    assertThatThrownBy(() -> eval("-(-9223372036854775808)")).isInstanceOf(EvaluationException.class);
  }

  @Test
  void getAttrWhenEntityMissingThenError() {
    assertThatThrownBy(() -> eval("Doc::\"d\".x")).isInstanceOf(EvaluationException.class).hasMessageContaining("does not exist");
    assertThat(eval("Doc::\"d\" has x")).isEqualTo(BoolValue.FALSE);
  }

  @Test
  void getAttrWhenPresentThenValue() {
    assertThat(eval("principal.age + context.n")).isEqualTo(LongValue.of(31));
  }

  @Test
  void tagsWhenPresentThenReadable() {
    assertThat(eval("principal.hasTag(\"dept\") && principal.getTag(\"dept\") == \"eng\"")).isEqualTo(BoolValue.TRUE);
    assertThatThrownBy(() -> eval("principal.getTag(\"nope\")")).isInstanceOf(EvaluationException.class);
  }

  @Test
  void equalityWhenDifferentTypesThenFalseNotError() {
    assertThat(eval("1 == \"1\"")).isEqualTo(BoolValue.FALSE);
    assertThat(eval("{a: [1, 2]} == {a: [2, 1, 1]}")).isEqualTo(BoolValue.TRUE);
  }

  @Test
  void likeWhenWildcardsThenMatches() {
    assertThat(eval("\"abcabc\" like \"a*c*c\"")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("\"abc\" like \"a*d\"")).isEqualTo(BoolValue.FALSE);
  }

  @Test
  void setOperationsWhenAppliedThenCedarSemantics() {
    assertThat(eval("[1, 2, 3].containsAll([1, 3]) && [1].containsAny([3, 1]) && [].isEmpty()")).isEqualTo(BoolValue.TRUE);
  }

  @Test
  void extensionsWhenComparedThenWork() {
    assertThat(eval("ip(\"10.0.0.1\").isInRange(ip(\"10.0.0.0/8\"))")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("decimal(\"1.5\").lessThan(decimal(\"2.0\"))")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("datetime(\"2024-01-01\") < datetime(\"2024-01-01T00:00:01Z\")")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("duration(\"1h\").toMinutes()")).isEqualTo(LongValue.of(60));
    assertThatThrownBy(() -> eval("decimal(\"1.0\") < decimal(\"2.0\")")).isInstanceOf(EvaluationException.class);
  }

  @Test
  void decimalComparisonsWhenEqualThenOnlyTheInclusiveOnesHold() {
    assertThat(eval("decimal(\"1.0\").lessThan(decimal(\"1.0\"))")).isEqualTo(BoolValue.FALSE);
    assertThat(eval("decimal(\"1.0\").lessThanOrEqual(decimal(\"1.0\"))")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("decimal(\"1.0\").greaterThan(decimal(\"1.0\"))")).isEqualTo(BoolValue.FALSE);
    assertThat(eval("decimal(\"1.0\").greaterThanOrEqual(decimal(\"1.0\"))")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("decimal(\"1.0001\").lessThanOrEqual(decimal(\"1.0\"))")).isEqualTo(BoolValue.FALSE);
    assertThat(eval("decimal(\"0.9999\").greaterThanOrEqual(decimal(\"1.0\"))")).isEqualTo(BoolValue.FALSE);
    assertThat(eval("decimal(\"1.0001\").greaterThan(decimal(\"1.0\"))")).isEqualTo(BoolValue.TRUE);
  }

  @Test
  void comparisonWhenAnOperandIsNotALongThenTheErrorNamesThatOperandsType() {
    assertThatThrownBy(() -> eval("1 < \"a\"")).isInstanceOf(EvaluationException.class)
        .hasMessage("type error: expected long, got string");
    assertThatThrownBy(() -> eval("true <= 1")).isInstanceOf(EvaluationException.class)
        .hasMessage("type error: expected long, got bool");
  }

  @Test
  void comparisonWhenLongsDatetimesOrDurationsThenOrdered() {
    assertThat(eval("1 < 2 && 2 <= 2 && !(2 < 2) && 3 > 2 && 2 >= 2 && !(2 > 2)"))
        .isEqualTo(BoolValue.TRUE);
    assertThat(eval("-9223372036854775808 < 9223372036854775807")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("duration(\"1h\") > duration(\"59m\")")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("duration(\"1h\") <= duration(\"60m\")")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("duration(\"1h\") < duration(\"60m\")")).isEqualTo(BoolValue.FALSE);
  }

  @Test
  void datetimeAndDurationMethodsWhenCalledThenCedarsArithmetic() {
    assertThat(eval("datetime(\"2024-01-01T10:00:00Z\").offset(duration(\"1h30m\"))"
        + " == datetime(\"2024-01-01T11:30:00Z\")")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("datetime(\"2024-01-02\").durationSince(datetime(\"2024-01-01T12:00:00Z\"))"
        + " == duration(\"12h\")")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("datetime(\"2024-01-02T03:04:05Z\").toDate() == datetime(\"2024-01-02\")"))
        .isEqualTo(BoolValue.TRUE);
    assertThat(eval("datetime(\"2024-01-02T03:04:05Z\").toTime() == duration(\"3h4m5s\")"))
        .isEqualTo(BoolValue.TRUE);
    assertThat(eval("duration(\"1m30s\").toSeconds()")).isEqualTo(LongValue.of(90));
    assertThat(eval("duration(\"1d1h\").toHours()")).isEqualTo(LongValue.of(25));
    assertThat(eval("duration(\"49h\").toDays()")).isEqualTo(LongValue.of(2));
    assertThat(eval("duration(\"1s5ms\").toMilliseconds()")).isEqualTo(LongValue.of(1005));
  }

  @Test
  void ifWhenConditionHoldsThenThenBranchOtherwiseElseBranch() {
    assertThat(eval("if 1 < 2 then \"a\" else \"b\"")).isEqualTo(new StringValue("a"));
    assertThat(eval("if 2 < 1 then \"a\" else \"b\"")).isEqualTo(new StringValue("b"));
  }

  @Test
  void hasWhenAttributePresentThenTrueOtherwiseFalse() {
    assertThat(eval("principal has age")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("principal has nope")).isEqualTo(BoolValue.FALSE);
    assertThat(eval("{a: 1} has a")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("{a: 1} has b")).isEqualTo(BoolValue.FALSE);
  }

  @Test
  void evalBoolWhenBooleanThenItsValueOtherwiseTypeError() {
    Request r = new Request(ALICE, EntityUid.of("Action", "view"), EntityUid.of("Doc", "d"),
        RecordValue.EMPTY);
    Evaluator ev = new Evaluator(r, ENTITIES);
    assertThat(ev.evalBool(PolicyParser.parseExpr("1 < 2"))).isTrue();
    assertThat(ev.evalBool(PolicyParser.parseExpr("2 < 1"))).isFalse();
    assertThatThrownBy(() -> ev.evalBool(PolicyParser.parseExpr("1")))
        .isInstanceOf(EvaluationException.class).hasMessage("type error: expected bool, got long");
    Env env = new Env(r, ENTITIES);
    assertThat(CompiledExpr.compile(PolicyParser.parseExpr("1 < 2")).evalBool(env)).isTrue();
    assertThat(CompiledExpr.compile(PolicyParser.parseExpr("2 < 1")).evalBool(env)).isFalse();
    assertThatThrownBy(() -> CompiledExpr.compile(PolicyParser.parseExpr("1")).evalBool(env))
        .isInstanceOf(EvaluationException.class).hasMessage("type error: expected bool, got long");
  }

  @Test
  void evalWhenDeepestAllowedTreeThenNoStackOverflow() {
    String chain = "1" + " + 1".repeat(PolicyParser.MAX_TREE_DEPTH - 2);
    assertThat(eval(chain)).isEqualTo(LongValue.of(PolicyParser.MAX_TREE_DEPTH - 1));
    dev.gatehouse.cedar.ast.Expr e = PolicyParser.parseExpr(chain);
    Request r = new Request(ALICE, EntityUid.of("Action", "view"), EntityUid.of("Doc", "d"), RecordValue.EMPTY);
    assertThat(CompiledExpr.compile(e).eval(new Env(r, ENTITIES))).isEqualTo(LongValue.of(PolicyParser.MAX_TREE_DEPTH - 1));
    assertThat(PolicyParser.parseExpr(dev.gatehouse.cedar.format.PolicyFormatter.format(e))).isEqualTo(e);
  }

  @Test
  void isWhenTypeMatchesThenTrue() {
    assertThat(eval("principal is User && !(principal is Group)")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("principal is User in Group::\"admins\"")).isEqualTo(BoolValue.TRUE);
  }

  @Test
  void extensionWhenCalledWithTheWrongNumberOfArgumentsThenError() {
    for (String call : java.util.List.of("ip(\"1.2.3.4\", \"x\")", "decimal(\"1.0\", \"2.0\")",
        "duration(\"1h\", \"2h\")", "datetime(\"2024-01-01\", \"x\")",
        "ip(\"1.2.3.4\").isIpv4(1)", "decimal(\"1.0\").lessThan()",
        "duration(\"1h\").toMinutes(1)", "datetime(\"2024-01-01\").toDate(1)")) {
      assertThatThrownBy(() -> eval(call)).as(call)
          .isInstanceOfAny(EvaluationException.class, dev.gatehouse.cedar.ParseException.class);
    }
  }

  @Test
  void compiledWhenOperandsAreNotConstantsThenTheSameValuesAndErrorsAsTheReference() {
    // Operands read from the request or through an attribute are not folded at compile time:
    // these take the paths that evaluate per request.
    assertThat(eval("action == Action::\"view\" && resource == Doc::\"d\"")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("{a: principal, b: context.n}.b")).isEqualTo(LongValue.of(1));
    assertThat(eval("{a: principal, b: context.n}.a == principal")).isEqualTo(BoolValue.TRUE);
    assertThat(eval("ip({s: \"10.0.0.1\"}.s).isIpv4()")).isEqualTo(BoolValue.TRUE);
    assertThatThrownBy(() -> eval("ip({s: \"not an address\"}.s)"))
        .isInstanceOf(EvaluationException.class);
    assertThatThrownBy(() -> eval("{a: principal.nope}")).isInstanceOf(EvaluationException.class);
  }

  @Test
  void slotWhenNotLinkedThenErrorNamingIt() {
    assertThatThrownBy(() -> eval(new dev.gatehouse.cedar.ast.Expr.SlotRef(
        dev.gatehouse.cedar.ast.Slot.PRINCIPAL), "?principal"))
        .isInstanceOf(EvaluationException.class)
        .hasMessage("template slot `?principal` was not linked");
  }

  @Test
  void compiledWhenSetRecordOrExtensionCallIsConstantThenBuiltOnceAtCompileTime() {
    Env one = new Env(new Request(ALICE, EntityUid.of("Action", "view"), EntityUid.of("Doc", "d"),
        new RecordValue(Map.of("n", LongValue.of(1)))), ENTITIES);
    Env two = new Env(new Request(ALICE, EntityUid.of("Action", "view"), EntityUid.of("Doc", "d"),
        new RecordValue(Map.of("n", LongValue.of(2)))), ENTITIES);
    for (String constant : java.util.List.of("[1, 2]", "{a: 1, b: [2]}", "ip(\"10.0.0.1\")",
        "decimal(\"1.5\")")) {
      CompiledExpr c = CompiledExpr.compile(PolicyParser.parseExpr(constant));
      assertThat(c.eval(one)).as(constant).isSameAs(c.eval(two));
    }
    // What depends on the request is not folded.
    CompiledExpr perRequest = CompiledExpr.compile(PolicyParser.parseExpr("{a: context.n}"));
    assertThat(perRequest.eval(one)).isEqualTo(new RecordValue(Map.of("a", LongValue.of(1))));
    assertThat(perRequest.eval(two)).isEqualTo(new RecordValue(Map.of("a", LongValue.of(2))));
  }

  @Test
  void extensionFunctionsWhenNamedThenKnownAndConstructedFromAString() {
    assertThat(Extensions.isFunction("ip")).isTrue();
    assertThat(Extensions.isFunction("isInRange")).isTrue();
    assertThat(Extensions.isFunction("nope")).isFalse();
    assertThat(Extensions.construct("ip", "10.0.0.1")).isEqualTo(eval("ip(\"10.0.0.1\")"));
    assertThat(Extensions.construct("duration", "1h")).isEqualTo(eval("duration(\"1h\")"));
    assertThatThrownBy(() -> Extensions.construct("ip", "nope"))
        .isInstanceOf(EvaluationException.class);
  }
}
