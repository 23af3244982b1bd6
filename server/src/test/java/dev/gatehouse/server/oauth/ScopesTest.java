package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RFC 6749 §3.3: scope = scope-token *( SP scope-token ). */
@DisplayName("RFC 6749 §3.3 scope")
class ScopesTest {

  @Test
  void parseWhenSpaceDelimitedThenTokensInOrderWithoutDuplicates() {
    assertThat(Scopes.parse("b a b c")).containsExactly("b", "a", "c");
  }

  @Test
  void parseWhenNullOrEmptyThenEmpty() {
    assertThat(Scopes.parse(null)).isEmpty();
    assertThat(Scopes.parse("")).isEmpty();
    assertThat(Scopes.parse("   ")).isEmpty();
  }

  @Test
  @DisplayName("§3.3: \"The strings are defined by the authorization server\" and are"
      + " case-sensitive")
  void parseWhenCaseDiffersThenDistinctTokens() {
    assertThat(Scopes.parse("read READ")).containsExactly("read", "READ");
  }

  @Test
  void parseWhenRepeatedSpacesThenTolerated() {
    assertThat(Scopes.parse("  a   b ")).containsExactly("a", "b");
  }

  @Test
  @DisplayName("§3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )")
  void validTokenFollowsTheGrammarExactly() {
    assertThat(Scopes.validToken("!")).isTrue();
    assertThat(Scopes.validToken("#")).isTrue();
    assertThat(Scopes.validToken("[")).isTrue();
    assertThat(Scopes.validToken("]")).isTrue();
    assertThat(Scopes.validToken("~")).isTrue();
    assertThat(Scopes.validToken("urn:example:read/write?x=1")).isTrue();
    for (String bad : List.of("\"", "\\", " ", "\t", "\u007f", "\u00e9", "a\u0000", "")) {
      assertThat(Scopes.validToken(bad)).as("`%s`", bad).isFalse();
    }
  }

  @Test
  void validTokenWhenLongerThan200ThenRefused() {
    assertThat(Scopes.validToken("a".repeat(200))).isTrue();
    assertThat(Scopes.validToken("a".repeat(201))).isFalse();
  }

  @Test
  void parseWhenTokenInvalidThenInvalidScopeWithPrintableMessage() {
    assertThatThrownBy(() -> Scopes.parse("ok \"bad\u0007\""))
        .isInstanceOfSatisfying(OAuthException.class, e -> {
          assertThat(e.error()).isEqualTo("invalid_scope");
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.getMessage()).doesNotContain("\u0007");
        });
    assertThatThrownBy(() -> Scopes.parse("a\tb")).isInstanceOf(OAuthException.class);
  }

  @Property(tries = 2000)
  @Label("parse ∘ join = id for sets of valid scope tokens")
  void parseWhenJoinedValidTokensThenSameSet(@ForAll("scopeSets") Set<String> scopes) {
    assertThat(Scopes.parse(Scopes.join(scopes))).containsExactlyElementsOf(scopes);
  }

  @Property(tries = 2000)
  @Label("parse yields only valid tokens or refuses with invalid_scope")
  void parseWhenArbitraryTextThenValidTokensOrInvalidScope(@ForAll String text) {
    try {
      assertThat(Scopes.parse(text)).allMatch(Scopes::validToken);
    } catch (OAuthException e) {
      assertThat(e.error()).isEqualTo("invalid_scope");
    }
  }

  @Provide
  Arbitrary<Set<String>> scopeSets() {
    Arbitrary<String> token = Arbitraries.strings().withCharRange('!', '~')
        .ofMinLength(1).ofMaxLength(20).filter(Scopes::validToken);
    return token.set().ofMaxSize(8).map(java.util.LinkedHashSet::new);
  }

  @Test
  void joinWhenParsedThenRoundTrips() {
    assertThat(Scopes.join(Scopes.parse("x y z"))).isEqualTo("x y z");
    assertThat(Scopes.join(List.of())).isEmpty();
  }

  @Test
  void printableWhenControlCharactersOrLongThenReplacedAndCutAt64() {
    assertThat(Scopes.printable("a b\u001f\u007f~\u00e9")).isEqualTo("a b??~?");
    assertThat(Scopes.printable("x".repeat(100))).isEqualTo("x".repeat(64));
    assertThat(Scopes.printable("")).isEmpty();
  }
}
