package dev.gatehouse.cedar;

import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.eval.EvaluationException;
import dev.gatehouse.cedar.eval.Evaluator;
import dev.gatehouse.cedar.json.EntitiesJson;
import dev.gatehouse.cedar.json.PolicyJson;
import dev.gatehouse.cedar.value.RecordValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Untrusted input never escapes as anything but a {@link ParseException} (or, for evaluation, an
 * {@link EvaluationException}): no other exception, no stack overflow.
 */
class RobustnessTest {
  private static final List<String> POLICIES = load(".cedar");
  private static final List<String> ENTITIES = load(".entities.json");

  private static List<String> load(String suffix) {
    Path root = dev.gatehouse.cedar.conformance.ConformanceCorpus.root().resolve("corpus-tests");
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().limit(400).map(RobustnessTest::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Text made of Cedar's tokens and some noise, so random input reaches deep into the parser. */
  @Provide
  Arbitrary<String> policyNoise() {
    Arbitrary<String> token =
        Arbitraries.of(
            "permit", "forbid", "(", ")", "{", "}", "[", "]", ",", ";", "principal", "action", "resource", "context",
            "when", "unless", "==", "!=", "in", "is", "has", "like", "if", "then", "else", "&&", "||", "!", "-", "+", "*",
            ".", "::", "\"x\"", "\"\\u{0}\"", "\"\\q\"", "1", "9223372036854775808", "?principal", "?x", "@a", "ip", "User",
            "decimal(\"1.0\")", "/", "%", "\u0000", "é", "\"", "\\", " ", "\n", "// c\n", "=");
    return token.list().ofMaxSize(60).map(l -> String.join(" ", l));
  }

  @Provide
  Arbitrary<String> mutatedPolicies() {
    return mutations(POLICIES);
  }

  @Provide
  Arbitrary<String> mutatedEntities() {
    return mutations(ENTITIES);
  }

  private static Arbitrary<String> mutations(List<String> seeds) {
    Arbitrary<String> seed = Arbitraries.of(seeds);
    return Combinators.combine(seed, Arbitraries.integers().between(0, 100_000), Arbitraries.integers().between(0, 20), Arbitraries.strings().ofMaxLength(4), Arbitraries.integers().between(0, 3))
        .as(
            (s, pos, len, ins, kind) -> {
              int at = s.isEmpty() ? 0 : pos % s.length();
              int end = Math.min(s.length(), at + len);
              return switch (kind) {
                case 0 -> s.substring(0, at) + s.substring(end); // delete
                case 1 -> s.substring(0, at) + ins + s.substring(at); // insert noise
                case 2 -> s.substring(0, at) + s.substring(at, end) + s.substring(at); // duplicate
                default -> s.substring(0, at); // truncate
              };
            });
  }

  @Property(tries = 3000)
  void parseWhenRandomTokensThenOnlyParseException(@ForAll("policyNoise") String text) {
    parsePolicies(text);
  }

  @Property(tries = 3000)
  void parseWhenMutatedPolicyThenOnlyParseException(@ForAll("mutatedPolicies") String text) {
    parsePolicies(text);
  }

  @Property(tries = 2000)
  void parseWhenMutatedEntitiesThenOnlyParseException(@ForAll("mutatedEntities") String text) {
    try {
      EntitiesJson.parse(text);
    } catch (ParseException expected) {
      // fine: the only allowed failure
    }
  }

  @Provide
  Arbitrary<String> mutatedPolicyJson() {
    List<String> seeds =
        POLICIES.stream()
            .limit(150)
            .flatMap(t -> PolicySet.parse(t).policies().stream())
            .map(p -> dev.gatehouse.cedar.json.JsonWriter.write(PolicyJson.toJson(p)))
            .toList();
    return mutations(seeds);
  }

  @Property(tries = 2000)
  void parseWhenMutatedPolicyJsonThenOnlyParseException(@ForAll("mutatedPolicyJson") String text) {
    try {
      PolicyJson.parsePolicy(text, "p");
    } catch (ParseException expected) {
      // fine: the only allowed failure
    }
  }

  @Property(tries = 1000)
  void parseWhenRandomJsonTextThenOnlyParseException(@ForAll String text) {
    try {
      EntitiesJson.parse(text);
    } catch (ParseException expected) {
      // fine
    }
    try {
      PolicyJson.parsePolicy(text, "p");
    } catch (ParseException expected) {
      // fine
    }
  }

  @Provide
  Arbitrary<Expr> exprs() {
    return Generators.exprs(4);
  }

  @Property(tries = 3000)
  void evalWhenAnyExprThenValueOrEvaluationException(@ForAll("exprs") Expr e) {
    Request r = new Request(EntityUid.of("User", "a"), EntityUid.of("Action", "b"), EntityUid.of("User", ""), RecordValue.EMPTY);
    try {
      new Evaluator(r, Entities.EMPTY).eval(e);
    } catch (EvaluationException expected) {
      // fine: an evaluation error is a normal outcome
    }
  }

  private static void parsePolicies(String text) {
    try {
      PolicySet.parse(text);
    } catch (ParseException expected) {
      // fine: the only allowed failure
    }
  }
}
