package dev.gatehouse.cedar.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cedar.Generators;
import dev.gatehouse.cedar.PolicySet;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.parser.PolicyParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The formatter's law: parse ∘ format = id on the AST. */
class PolicyFormatterTest {
  @Provide
  Arbitrary<Expr> exprs() {
    return Generators.exprs(4);
  }

  @Provide
  Arbitrary<Policy> policies() {
    return Generators.policies();
  }

  @Property(tries = 2000)
  void formatThenParseWhenAnyExprThenSameAst(@ForAll("exprs") Expr e) {
    assertThat(PolicyParser.parseExpr(PolicyFormatter.format(e))).isEqualTo(e);
  }

  @Property(tries = 500)
  void formatThenParseWhenAnyPolicyThenSameAst(@ForAll("policies") Policy p) {
    assertThat(PolicyParser.parsePolicy(PolicyFormatter.format(p), p.id())).isEqualTo(p);
  }

  @Test
  void formatThenParseWhenCorpusPoliciesThenSameAst() throws IOException {
    Path root = dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".cedar")).toList()) {
        List<Policy> ps = PolicyParser.parsePolicies(Files.readString(f));
        String text = PolicyFormatter.format(PolicySet.of(ps));
        assertThat(PolicyParser.parsePolicies(text)).as("%s formatted as%n%s", f, text).isEqualTo(ps);
      }
    }
  }

  @Test
  void formatWhenGoldenInputThenGoldenOutput() throws IOException {
    String in = new String(getClass().getResourceAsStream("/golden/policies.cedar").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    String expected =
        new String(getClass().getResourceAsStream("/golden/policies.formatted.cedar").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(PolicyFormatter.format(PolicySet.parse(in))).isEqualTo(expected);
  }

  @Test
  void formatWhenPolicyThenReadableLayout() {
    Policy p = PolicyParser.parsePolicy("@id(\"a\") permit(principal == User::\"alice\", action, resource) when { -(5) < 1 + 2 * 3 };", "p");
    assertThat(PolicyFormatter.format(p))
        .isEqualTo("@id(\"a\")\npermit (\n  principal == User::\"alice\",\n  action,\n  resource\n)\nwhen { -(5) < 1 + 2 * 3 };");
  }
}
