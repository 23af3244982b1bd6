package dev.gatehouse.cedar.schema;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Hostile or broken schema text never escapes as anything but a {@link SchemaException}. */
class SchemaRobustnessTest {
  private static final String SEED_CEDAR = """
      namespace N { type T = { a?: Set<Long>, "b c": __cedar::String };
        entity U in [G] = { t: T, g: G } tags decimal; entity G; entity E enum ["x", "y"];
        action "a", b in [Action::"c"] appliesTo { principal: [U], resource: G, context: T };
        action c; }
      entity Top;
      """;
  private static final String SEED_JSON = """
      {"N": {"commonTypes": {"T": {"type": "Record", "attributes": {"a": {"type": "Long", "required": false}}}},
        "entityTypes": {"U": {"memberOfTypes": ["G"], "shape": {"type": "Record", "attributes": {}}}, "G": {}},
        "actions": {"a": {"memberOf": [{"id": "b"}], "appliesTo": {"principalTypes": ["U"], "resourceTypes": ["G"],
          "context": {"type": "T"}}}, "b": {}}}}
      """;

  @Property(tries = 400)
  void parseCedarWhenMutatedThenOnlySchemaException(@ForAll("cedarMutants") String text) {
    parseQuietly(() -> Schema.parseCedar(text));
  }

  @Property(tries = 400)
  void parseJsonWhenMutatedThenOnlySchemaException(@ForAll("jsonMutants") String text) {
    parseQuietly(() -> Schema.parseJson(text));
  }

  @Property(tries = 200)
  void parseCedarWhenRandomTextThenOnlySchemaException(@ForAll("noise") String text) {
    parseQuietly(() -> Schema.parseCedar(text));
  }

  @Property(tries = 20)
  void parseWhenDeeplyNestedThenSchemaExceptionNotStackOverflow(@ForAll @IntRange(min = 100, max = 100_000) int depth) {
    String sets = "entity A = { a: " + "Set<".repeat(depth) + "Long" + ">".repeat(depth) + " };";
    assertThatThrownBy(() -> Schema.parseCedar(sets)).isInstanceOf(SchemaException.class);
    String recs = "entity A = " + "{ a: ".repeat(depth) + "Long" + " }".repeat(depth) + ";";
    assertThatThrownBy(() -> Schema.parseCedar(recs)).isInstanceOf(SchemaException.class);
    String json = "[".repeat(depth) + "]".repeat(depth);
    assertThatThrownBy(() -> Schema.parseJson(json)).isInstanceOf(SchemaException.class);
  }

  @Test
  void parseCedarWhenLongCommonTypeChainThenSchemaExceptionNotStackOverflow() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 50_000; i++) {
      b.append("type T").append(i).append(" = { a: T").append(i + 1).append(" };\n");
    }
    b.append("type T50000 = Long;");
    assertThatThrownBy(() -> Schema.parseCedar(b.toString())).isInstanceOf(SchemaException.class);
  }

  /** Regression: `\\u{-17}` went through Integer.parseInt as code point -23 and escaped. */
  @Test
  void parseCedarWhenUnicodeEscapeHasSignThenSchemaException() {
    for (String hex : List.of("-17", "+41", "-0")) {
      assertThatThrownBy(() -> Schema.parseCedar("entity A = { \"\\u{" + hex + "}\": Long };"))
          .isInstanceOf(SchemaException.class)
          .hasMessageContaining("invalid unicode escape");
    }
  }

  @Test
  void parseCedarWhenCommonTypeCycleThenSchemaException() {
    assertThatThrownBy(() -> Schema.parseCedar("type A = B; type B = { x: A };"))
        .isInstanceOf(SchemaException.class);
  }

  private static void parseQuietly(Runnable r) {
    try {
      r.run();
    } catch (SchemaException expected) {
      // The only acceptable failure.
    }
  }

  @Provide
  Arbitrary<String> cedarMutants() {
    return mutants(SEED_CEDAR, List.of("{", "}", "<", ">", ";", ",", "::", "\"", "\\", "@", "?", ":", "=",
        "Set", "entity", "action", "type", "namespace", "in", "appliesTo", "enum", "tags", "\\u{", "//"));
  }

  @Provide
  Arbitrary<String> jsonMutants() {
    return mutants(SEED_JSON, List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "null", "1", "-", "true",
        "\"type\"", "\"Set\"", "\"element\"", "\"required\"", "\\u12"));
  }

  @Provide
  Arbitrary<String> noise() {
    return Arbitraries.strings().withChars("{}<>[]();,:=?@\"\\ \nabSetentityactiontype_0").ofMaxLength(200);
  }

  /** Replaces, deletes or inserts a few tokens of a valid seed at random places. */
  private static Arbitrary<String> mutants(String seed, List<String> pieces) {
    Arbitrary<Integer> pos = Arbitraries.integers().between(0, seed.length());
    Arbitrary<String> piece = Arbitraries.of(pieces);
    Arbitrary<Integer> cut = Arbitraries.integers().between(0, 8);
    return net.jqwik.api.Combinators.combine(pos.list().ofMinSize(1).ofMaxSize(4), piece.list().ofSize(4), cut)
        .as((ps, ins, len) -> {
          StringBuilder b = new StringBuilder(seed);
          for (int i = 0; i < ps.size(); i++) {
            int p = Math.min(ps.get(i), b.length());
            int end = Math.min(b.length(), p + len);
            b.replace(p, end, ins.get(i));
          }
          return b.toString();
        });
  }
}
