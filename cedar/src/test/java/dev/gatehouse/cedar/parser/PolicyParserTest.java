package dev.gatehouse.cedar.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.ast.BinaryOp;
import dev.gatehouse.cedar.ast.EntityType;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.ScopeConstraint;
import dev.gatehouse.cedar.ast.Slot;
import dev.gatehouse.cedar.ast.UnaryOp;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyParserTest {
  @Test
  void parsePoliciesWhenSeveralThenIdsFollowTextualOrder() {
    List<Policy> ps = PolicyParser.parsePolicies("@id(\"x\") permit(principal, action, resource); forbid(principal, action, resource);");
    assertThat(ps).extracting(Policy::id).containsExactly("policy0", "policy1");
    assertThat(ps.get(0).annotation("id")).isEqualTo("x");
  }

  @Test
  void scopeWhenAllFormsThenParsed() {
    Policy p =
        PolicyParser.parsePolicy(
            "permit(principal is User in Group::\"g\", action in [Action::\"a\", Action::\"b\"], resource == ?resource);", "t");
    assertThat(p.principal()).isEqualTo(new ScopeConstraint.IsIn(EntityType.of("User"), EntityUid.of("Group", "g")));
    assertThat(p.action()).isEqualTo(new ScopeConstraint.InSet(List.of(EntityUid.of("Action", "a"), EntityUid.of("Action", "b"))));
    assertThat(p.resource()).isEqualTo(new ScopeConstraint.Eq(Slot.RESOURCE));
    assertThat(p.isTemplate()).isTrue();
  }

  @Test
  void negativeLiteralWhenMinLongThenFolded() {
    assertThat(PolicyParser.parseExpr("-9223372036854775808")).isEqualTo(new Expr.LongLit(Long.MIN_VALUE));
    assertThat(PolicyParser.parseExpr("--1")).isEqualTo(new Expr.Unary(UnaryOp.NEG, new Expr.LongLit(-1)));
  }

  @Test
  void integerLiteralWhenTooLargeThenError() {
    assertThatThrownBy(() -> PolicyParser.parseExpr("9223372036854775808")).isInstanceOf(ParseException.class);
  }

  @Test
  void precedenceWhenMixedThenCedarOrder() {
    Expr e = PolicyParser.parseExpr("1 + 2 * 3 < 10 && true || false");
    assertThat(e).isInstanceOf(Expr.Or.class);
    Expr.And and = (Expr.And) ((Expr.Or) e).left();
    Expr.Binary lt = (Expr.Binary) and.left();
    assertThat(lt.op()).isEqualTo(BinaryOp.LT);
    assertThat(((Expr.Binary) lt.left()).op()).isEqualTo(BinaryOp.ADD);
  }

  @Test
  void hasWhenPathThenDesugaredToConjunction() {
    Expr e = PolicyParser.parseExpr("context has a.b");
    Expr ctx = PolicyParser.parseExpr("context");
    assertThat(e)
        .isEqualTo(new Expr.And(new Expr.HasAttr(ctx, "a"), new Expr.HasAttr(new Expr.GetAttr(ctx, "a"), "b")));
  }

  @Test
  void likeWhenEscapedStarThenLiteral() {
    Expr.Like l = (Expr.Like) PolicyParser.parseExpr("\"a\" like \"a\\**\"");
    assertThat(l.pattern().chunks()).containsExactly("a*", "");
  }

  @Test
  void stringWhenUnicodeEscapeThenResolved() {
    assertThat(PolicyParser.parseExpr("\"\\u{1F600}\\0\\n\"")).isEqualTo(new Expr.StringLit("\uD83D\uDE00\0\n"));
  }

  @Test
  void errorWhenUnexpectedTokenThenLineAndColumn() {
    assertThatThrownBy(() -> PolicyParser.parsePolicies("permit(principal,\n  action, resource) when { 1 + };"))
        .isInstanceOf(ParseException.class)
        .hasMessageStartingWith("2:32:")
        .hasMessageContaining("`}`");
  }

  @Test
  void errorWhenUnknownFunctionThenParseError() {
    assertThatThrownBy(() -> PolicyParser.parseExpr("foo(1)")).hasMessageContaining("`foo` is not a valid function");
    assertThatThrownBy(() -> PolicyParser.parseExpr("principal.foo()")).hasMessageContaining("`foo` is not a valid method");
  }

  @Test
  void errorWhenRelationsChainedThenParseError() {
    assertThatThrownBy(() -> PolicyParser.parseExpr("1 < 2 < 3")).isInstanceOf(ParseException.class);
  }

  @Test
  void nestingWhenTooDeepThenParseErrorNotStackOverflow() {
    String deep = "(".repeat(100_000) + "1" + ")".repeat(100_000);
    assertThatThrownBy(() -> PolicyParser.parseExpr(deep)).isInstanceOf(ParseException.class).hasMessageContaining("nesting");
  }

  @Test
  void chainWhenTooLongThenParseErrorNotStackOverflow() {
    String chain = "1" + " + 1".repeat(50_000);
    assertThatThrownBy(() -> PolicyParser.parseExpr(chain)).isInstanceOf(ParseException.class).hasMessageContaining("deeper");
  }

  @Test
  void emptyConditionWhenParsedThenError() {
    assertThatThrownBy(() -> PolicyParser.parsePolicies("permit(principal, action, resource) when {};"))
        .isInstanceOf(ParseException.class);
  }

  @Test
  void slotWhenInConditionThenError() {
    assertThatThrownBy(() -> PolicyParser.parsePolicies("permit(principal, action, resource) when { ?principal };"))
        .isInstanceOf(ParseException.class);
  }
}
