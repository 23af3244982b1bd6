package dev.gatehouse.cedar.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cedar.Generators;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.parser.PolicyParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** JSON policy format: AST → JSON text → AST is the identity. */
class PolicyJsonTest {
  @Provide
  Arbitrary<Expr> exprs() {
    return Generators.exprs(4);
  }

  @Provide
  Arbitrary<Policy> policies() {
    return Generators.policies();
  }

  @Property(tries = 1000)
  void toJsonThenBackWhenAnyExprThenSameAst(@ForAll("exprs") Expr e) {
    String text = JsonWriter.write(PolicyJson.toJson(e));
    assertThat(PolicyJson.exprFromJson(JsonReader.parse(text))).isEqualTo(e);
  }

  @Property(tries = 300)
  void toJsonThenBackWhenAnyPolicyThenSameAst(@ForAll("policies") Policy p) {
    String text = JsonWriter.writePretty(PolicyJson.toJson(p));
    assertThat(PolicyJson.parsePolicy(text, p.id())).isEqualTo(p);
  }

  @Test
  void toJsonThenBackWhenCorpusPoliciesThenSameAst() throws IOException {
    Path root = dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".cedar")).toList()) {
        for (Policy p : PolicyParser.parsePolicies(Files.readString(f))) {
          String text = JsonWriter.write(PolicyJson.toJson(p));
          assertThat(PolicyJson.parsePolicy(text, p.id())).as("%s", f).isEqualTo(p);
        }
      }
    }
  }

  @Test
  void policySetWhenTemplatesAndLinksThenRoundTrips() {
    dev.gatehouse.cedar.PolicySet ps =
        dev.gatehouse.cedar.PolicySet.parse("permit(principal, action, resource); permit(principal == ?principal, action, resource in ?resource);")
            .link(
                "policy1",
                "link0",
                java.util.Map.of(
                    dev.gatehouse.cedar.ast.Slot.PRINCIPAL, dev.gatehouse.cedar.ast.EntityUid.of("User", "a"),
                    dev.gatehouse.cedar.ast.Slot.RESOURCE, dev.gatehouse.cedar.ast.EntityUid.of("Doc", "d")));
    dev.gatehouse.cedar.PolicySet back = PolicyJson.parsePolicySet(JsonWriter.write(PolicyJson.toJson(ps)));
    assertThat(back.staticPolicies()).isEqualTo(ps.staticPolicies());
    assertThat(back.templates()).isEqualTo(ps.templates());
    assertThat(back.links()).isEqualTo(ps.links());
    assertThat(back.linkInfo()).isEqualTo(ps.linkInfo());
  }

  @Test
  void parsePolicyWhenDocExampleThenScopeAndBody() {
    String est =
        """
        {"effect": "permit",
         "principal": {"op": "==", "entity": {"type": "User", "id": "12UA45"}},
         "action": {"op": "in", "entities": [{"type": "Action", "id": "view"}]},
         "resource": {"op": "is", "entity_type": "File", "in": {"entity": {"type": "Folder", "id": "abc"}}},
         "conditions": [{"kind": "when", "body": {"==": {"left": {".": {"left": {"Var": "context"}, "attr": "tls_version"}}, "right": {"Value": "1.3"}}}}]}
        """;
    Policy p = PolicyJson.parsePolicy(est, "p");
    assertThat(p).isEqualTo(
        PolicyParser.parsePolicy(
            "permit(principal == User::\"12UA45\", action in [Action::\"view\"], resource is File in Folder::\"abc\") when { context.tls_version == \"1.3\" };", "p"));
  }
}
