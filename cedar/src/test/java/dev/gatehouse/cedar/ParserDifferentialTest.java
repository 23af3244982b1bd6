package dev.gatehouse.cedar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Our parser accepts exactly the policy texts the official parser (cedar-java) accepts. */
class ParserDifferentialTest {
  private static final List<String> PREFIXES =
      List.of("permit(principal, action, resource) when { ", "forbid(principal, action, resource) unless { ");

  @Provide
  Arbitrary<String> conditionBodies() {
    Arbitrary<String> token =
        Arbitraries.of(
            "principal", "action", "resource", "context", "==", "!=", "<", "<=", "in", "is", "has", "like", "if", "then",
            "else", "&&", "||", "!", "-", "+", "*", ".", "::", "\"x\"", "\"a*\"", "1", "0", "(", ")", "[", "]", "{", "}",
            ",", ":", "User", "User::\"a\"", "true", "false", "ip", "decimal", ".contains", ".isEmpty", "()", "a", "permit",
            "when", "9223372036854775808", "-9223372036854775808", "[\"a\"]", "\"\\*\"", "?principal");
    return token.list().ofMinSize(1).ofMaxSize(8).map(l -> String.join(" ", l));
  }

  /** Valid policies from the AST generator, printed, then mutated at one random spot. */
  @Provide
  Arbitrary<String> mutatedValidPolicies() {
    Arbitrary<String> text = Generators.policies().map(dev.gatehouse.cedar.format.PolicyFormatter::format);
    Arbitrary<String> noise = Arbitraries.of("", "(", ")", "]", "{", ",", ";", "-", "!", "::", "in", "is", "has", ".", "\"", "?resource", "@x", "when", "if", "1");
    return net.jqwik.api.Combinators.combine(text, Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 3), noise)
        .as((t, pos, del, ins) -> {
          int at = pos % (t.length() + 1);
          int end = Math.min(t.length(), at + del);
          return t.substring(0, at) + ins + t.substring(end);
        });
  }

  @Property(tries = 3000)
  void parseWhenMutatedValidPolicyThenAcceptsExactlyWhatOfficialParserAccepts(@ForAll("mutatedValidPolicies") String text) {
    assertThat(accepts(text)).as("accepts %s", text).isEqualTo(officialAccepts(text));
  }

  private static boolean accepts(String text) {
    try {
      PolicySet.parse(text);
      return true;
    } catch (ParseException e) {
      return false;
    }
  }

  private static boolean officialAccepts(String text) {
    try {
      com.cedarpolicy.model.policy.PolicySet.parsePolicies(text);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Property(tries = 3000)
  void parseWhenRandomConditionThenAcceptsExactlyWhatOfficialParserAccepts(@ForAll("conditionBodies") String body) {
    for (String prefix : PREFIXES) {
      String text = prefix + body + " };";
      boolean ours;
      try {
        PolicySet.parse(text);
        ours = true;
      } catch (ParseException e) {
        ours = false;
      }
      boolean theirs;
      try {
        com.cedarpolicy.model.policy.PolicySet.parsePolicies(text);
        theirs = true;
      } catch (Exception e) {
        theirs = false;
      }
      assertThat(ours).as("accepts %s", text).isEqualTo(theirs);
    }
  }
}
