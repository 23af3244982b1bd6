package dev.gatehouse.cedar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.format.PolicyFormatter;
import dev.gatehouse.cedar.json.EntitiesJson;
import dev.gatehouse.cedar.json.JsonReader;
import dev.gatehouse.cedar.json.JsonWriter;
import dev.gatehouse.cedar.json.PolicyJson;
import dev.gatehouse.cedar.json.SchemaHints;
import dev.gatehouse.cedar.parser.PolicyParser;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.schema.SchemaException;
import dev.gatehouse.cedar.validation.Validator;
import dev.gatehouse.cedar.value.RecordValue;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GH-12: every recursive construct is bounded by a nesting limit, and the limit holds whatever
 * the caller's stack: at the limit the input parses on a 256 KiB thread (half the launcher's
 * {@code -Xss512k}, which virtual threads share), and so does the whole pipeline (validation,
 * compilation, evaluation, formatting, JSON), each step moving to the {@link DeepStack} by itself
 * when its input nests deeply; one past the limit is
 * a {@link ParseException} naming it, never a {@link StackOverflowError}. Records nested 199 deep
 * used to overflow the parser on the server's 512 KiB virtual threads.
 */
class NestingLimitsTest {

  /**
   * Half the smallest stack the server's threads get (the launcher's {@code -Xss512k}, which its
   * virtual threads share), leaving the other half to the HTTP server's own frames.
   */
  static final long SMALL_STACK = 256 * 1024;

  private static final int N = PolicyParser.MAX_NESTING;
  private static final int T = PolicyParser.MAX_TREE_DEPTH;

  /** A construct, written {@code n} levels deep inside a {@code when} clause (itself a level). */
  enum Construct {
    RECORDS(N - 1, n -> "{a: ".repeat(n) + "1" + "}".repeat(n) + " has a"),
    SETS(N - 1, n -> "[".repeat(n) + "1" + "]".repeat(n) + ".contains(1)"),
    PARENTHESES(N - 1, n -> "(".repeat(n) + "true" + ")".repeat(n)),
    IF_THEN_ELSE(N - 1, n -> "if true then ".repeat(n) + "true" + " else false".repeat(n)),
    IF_CONDITIONS(N / 2 - 1, n -> "if (".repeat(n) + "true" + ") then true else false".repeat(n)),
    NEGATIONS_IN_PARENTHESES(N - 1, n -> "!(".repeat(n) + "true" + ")".repeat(n)),
    EXTENSION_CALLS(N - 1, n -> "ip(".repeat(n) + "\"1.2.3.4\"" + ")".repeat(n) + ".isIpv4()"),
    MEMBER_ACCESS(T - 2, n -> "context" + ".a".repeat(n) + " == 1"),
    INDEX_ACCESS(T - 2, n -> "context" + "[\"a\"]".repeat(n) + " == 1"),
    OR_CHAIN(T - 1, n -> "false" + " || false".repeat(n)),
    AND_CHAIN(T - 1, n -> "true" + " && true".repeat(n)),
    SUM_CHAIN(T - 2, n -> "1" + " + 1".repeat(n) + " == 1"),
    PRODUCT_CHAIN(T - 2, n -> "1" + " * 1".repeat(n) + " == 1");

    final int limit;
    final IntFunction<String> text;

    Construct(int limit, IntFunction<String> text) {
      this.limit = limit;
      this.text = text;
    }

    String policy(int n) {
      return "permit(principal, action, resource) when { " + text.apply(n) + " };";
    }
  }

  /** Runs {@code work} on a platform thread with a {@code stack}-byte stack; rethrows. */
  static <V> V onStack(long stack, Supplier<V> work) {
    return DeepStack.onNewThread(stack, work);
  }

  @ParameterizedTest
  @EnumSource(Construct.class)
  void parseWhenAtTheLimitOnASmallStackThenParses(Construct c) {
    assertThat(onStack(SMALL_STACK, () -> PolicyParser.parsePolicies(c.policy(c.limit))))
        .hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Construct.class)
  void parseWhenPastTheLimitThenParseExceptionNamingIt(Construct c) {
    int past = c.limit < T / 2 ? c.limit + 1 : T + 10;
    assertThatThrownBy(() -> onStack(SMALL_STACK, () -> PolicyParser.parsePolicies(
        c.policy(past))))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("limit of");
  }

  /**
   * Found by PolicyTextFuzzTest: a 990-long {@code ||} chain parsed, then overflowed the stack in
   * PolicyJson.toJson on the caller's thread. Every step that recurses over a deep condition now
   * moves to the DeepStack by itself.
   */
  @ParameterizedTest
  @EnumSource(Construct.class)
  void pipelineWhenAtTheLimitOnASmallStackThenNoStackOverflow(Construct c) {
    Schema schema = Schema.parseCedar("entity U; action act appliesTo { principal: U,"
        + " resource: U, context: { a?: Long } };");
    Response r = onStack(SMALL_STACK, () -> {
      PolicySet ps = PolicySet.parse(c.policy(c.limit));
      new Validator(schema).validate(ps);
      new Validator(schema).validate(ps.policies());
      PolicyFormatter.format(ps);
      PolicyFormatter.format(ps.policies().get(0));
      JsonWriter.write(PolicyJson.toJson(ps));
      JsonWriter.write(PolicyJson.toJson(ps.policies().get(0)));
      return new Authorizer().isAuthorized(new Request(EntityUid.of("U", "a"),
          EntityUid.of("Action", "act"), EntityUid.of("U", "b"), RecordValue.EMPTY), ps,
          Entities.EMPTY);
    });
    // The authorizer reports an overflow as the policy's error rather than throwing it, so the
    // answer itself must show that the evaluation had the stack it needed.
    assertThat(r.errors()).extracting(Response.PolicyError::message)
        .noneMatch(m -> m.contains("stack limit"));
  }

  private static String nestedJson(int n) {
    return "{\"a\":".repeat(n) + "1" + "}".repeat(n);
  }

  private static String entityWith(String attrValue) {
    return "[{\"uid\":{\"type\":\"U\",\"id\":\"a\"},\"attrs\":{\"x\":" + attrValue
        + "},\"parents\":[]}]";
  }

  @org.junit.jupiter.api.Test
  void entityAttributesWhenNestedToTheJsonLimitOnASmallStackThenParseAndEvaluate() {
    // The entities array, its object and attrs take three levels of the reader's limit.
    int deepest = JsonReader.MAX_DEPTH - 3;
    Entities es = onStack(SMALL_STACK, () ->
        Entities.of(EntitiesJson.parseList(entityWith(nestedJson(deepest)), SchemaHints.NONE)));
    Response r = onStack(SMALL_STACK, () -> new Authorizer().isAuthorized(new Request(
        EntityUid.of("U", "a"), EntityUid.of("Action", "act"), EntityUid.of("U", "a"),
        RecordValue.EMPTY), PolicySet.parse("permit(principal, action, resource) when {"
        + " principal.x == principal.x };"), es));
    assertThat(r.decision()).isEqualTo(Decision.ALLOW);
    assertThatThrownBy(() -> onStack(SMALL_STACK, () -> EntitiesJson.parseList(
        entityWith(nestedJson(deepest + 1)), SchemaHints.NONE)))
        .isInstanceOf(ParseException.class).hasMessageContaining("limit of");
    String sets = entityWith("[".repeat(deepest) + "]".repeat(deepest));
    assertThat(onStack(SMALL_STACK, () -> EntitiesJson.parseList(sets, SchemaHints.NONE)))
        .hasSize(1);
  }

  @org.junit.jupiter.api.Test
  void schemaTypesWhenNestedPastTheLimitOnASmallStackThenSchemaException() {
    for (int depth : List.of(60, 100, 10_000)) {
      String sets = "entity A = { a: " + "Set<".repeat(depth) + "Long" + ">".repeat(depth)
          + " };";
      String recs = "entity A = " + "{ a: ".repeat(depth) + "Long" + " }".repeat(depth) + ";";
      String json = "{\"\":{\"entityTypes\":{\"A\":{\"shape\":"
          + "{\"type\":\"Set\",\"element\":".repeat(depth) + "{\"type\":\"Long\"}"
          + "}".repeat(depth) + "}}, \"actions\":{}}}";
      for (String text : List.of(sets, recs)) {
        try {
          onStack(SMALL_STACK, () -> Schema.parseCedar(text));
        } catch (SchemaException expected) {
          // the nesting limit, or the shape must be a record: either way not an overflow
        }
      }
      try {
        onStack(SMALL_STACK, () -> Schema.parseJson(json));
      } catch (SchemaException expected) {
        // likewise
      }
    }
  }

  @org.junit.jupiter.api.Test
  void deepStackWhenNestedCallThenRunsInlineAndRethrowsAsIs() {
    assertThat(DeepStack.call(() -> DeepStack.call(DeepStack::active))).isTrue();
    assertThat(DeepStack.active()).isFalse();
    assertThatThrownBy(() -> DeepStack.call(() -> {
      throw new ParseException("boom", 1, 1);
    })).isInstanceOf(ParseException.class).hasMessageContaining("boom");
  }
}
