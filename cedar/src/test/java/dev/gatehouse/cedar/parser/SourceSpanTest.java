package dev.gatehouse.cedar.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.cedar.ParseException;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.ast.SourceSpan;
import dev.gatehouse.cedar.format.PolicyFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser records where each policy, scope constraint and expression was written. */
class SourceSpanTest {
  private static final String TEXT = """
      @id("a")
      permit(principal, action, resource);

      // second
      forbid(
        principal in Group::"g",
        action,
        resource
      ) when {
        principal.level >= 2 &&
        resource has owner.name
      };""";

  private static String covered(SourceSpan s) {
    return TEXT.substring(s.start(), s.end());
  }

  @Test
  void parseWhenPoliciesThenEachSpansFromFirstAnnotationToSemicolon() {
    List<Policy> ps = PolicyParser.parsePolicies(TEXT);
    assertThat(ps.get(0).span().line()).isEqualTo(1);
    assertThat(ps.get(0).span().column()).isEqualTo(1);
    assertThat(covered(ps.get(0).span())).endsWith("resource);").startsWith("@id");
    assertThat(ps.get(1).span().line()).isEqualTo(5);
    assertThat(covered(ps.get(1).span())).startsWith("forbid(").endsWith("};");
  }

  @Test
  void parseWhenScopeThenEachConstraintHasItsSpan() {
    Policy.Spans s = PolicyParser.parsePolicies(TEXT).get(1).spans();
    assertThat(covered(s.principal())).isEqualTo("principal in Group::\"g\"");
    assertThat(s.principal().toString()).isEqualTo("6:3");
    assertThat(covered(s.action())).isEqualTo("action");
    assertThat(covered(s.resource())).isEqualTo("resource");
    assertThat(s.resource().line()).isEqualTo(8);
  }

  @Test
  void parseWhenConditionThenEveryNodeHasTheSpanOfItsText() {
    Expr.And and = (Expr.And) PolicyParser.parsePolicies(TEXT).get(1).conditions().get(0).body();
    assertThat(and.span().toString()).isEqualTo("10:3");
    assertThat(covered(and.span())).isEqualTo("principal.level >= 2 &&\n  resource has owner.name");
    Expr.Binary ge = (Expr.Binary) and.left();
    assertThat(covered(ge.span())).isEqualTo("principal.level >= 2");
    assertThat(covered(ge.left().span())).isEqualTo("principal.level");
    assertThat(covered(((Expr.GetAttr) ge.left()).target().span())).isEqualTo("principal");
    assertThat(ge.right().span().toString()).isEqualTo("10:22");
    // `has owner.name` is sugar for two tests: both get the span of what was written.
    Expr.And has = (Expr.And) and.right();
    assertThat(covered(has.span())).isEqualTo("resource has owner.name");
    assertThat(has.left().span()).isEqualTo(has.span());
    assertThat(has.right().span()).isEqualTo(has.span());
  }

  @Test
  void parseWhenUnaryAndNegativeLiteralThenSpansStartAtTheOperator() {
    Expr e = PolicyParser.parseExpr("!!(-5 < - 3)");
    assertThat(e.span().start()).isZero();
    Expr inner = ((Expr.Unary) e).arg();
    assertThat(inner.span().start()).isEqualTo(1);
    Expr.Binary lt = (Expr.Binary) ((Expr.Unary) inner).arg();
    assertThat(lt.left()).isEqualTo(new Expr.LongLit(-5));
    assertThat(lt.left().span().start()).isEqualTo(3);
    assertThat(lt.left().span().end()).isEqualTo(5);
    assertThat(lt.right().span().start()).isEqualTo(8);
  }

  @Test
  void equalsWhenSameTreeWrittenDifferentlyThenEqualDespiteSpans() {
    Policy a = PolicyParser.parsePolicy(
        "permit(principal, action, resource) when { principal.x == [1, 2] };", "p");
    Policy b = PolicyParser.parsePolicy(
        "\n\n  permit(\n principal,action,resource)\nwhen{principal[\"x\"]==[1,2]};", "p");
    assertThat(a.span()).isNotEqualTo(b.span());
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    Policy formatted = PolicyParser.parsePolicy(PolicyFormatter.format(a), "p");
    assertThat(formatted).isEqualTo(a);
    Policy built = new Policy("p", a.effect(), a.annotations(), a.principal(), a.action(),
        a.resource(), a.conditions());
    assertThat(built.spans()).isNull();
    assertThat(built).isEqualTo(a).hasSameHashCodeAs(a);
  }

  @Test
  void parseErrorWhenMultiLinePolicyThenLineAndColumnOfTheOffendingToken() {
    String text = """
        permit(
          principal,
          action,
          resource
        ) when {
          principal.level > 1 &&
          resource.owner == principal &&
          context.ip.isInRange(ip("10.0.0.0/8")
        };""";
    assertThatThrownBy(() -> PolicyParser.parsePolicies(text))
        .isInstanceOfSatisfying(ParseException.class, e -> {
          assertThat(e.line()).isEqualTo(9);
          assertThat(e.column()).isEqualTo(1);
          assertThat(e.description()).isEqualTo("unexpected token `}`, expected `)`");
          assertThat(e.getMessage()).isEqualTo("9:1: unexpected token `}`, expected `)`");
        });
    assertThatThrownBy(() -> PolicyParser.parsePolicies("permit(principal, action, resource)\n"
        + "when {\n  principal.level > 1\n    && resource.owner == User:\"x\"\n};"))
        .isInstanceOfSatisfying(ParseException.class, e -> {
          // At `User`, which without `::` reads as an (unknown) variable.
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.column()).isEqualTo(26);
          assertThat(e.description()).startsWith("invalid variable `User`");
        });
  }
}
