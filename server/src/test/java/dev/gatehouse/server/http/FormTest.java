package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The strict form reader of OAuth endpoints (RFC 6749 §3.1, Appendix B). */
class FormTest {

  private static Map<String, String> parse(String body) {
    return Form.parse(body.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static void assertInvalidRequest(String body) {
    assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(HttpError.class, e -> {
      assertThat(e.code()).isEqualTo("invalid_request");
      assertThat(e.status()).isEqualTo(400);
    });
  }

  @Property(tries = 3000)
  @Label("arbitrary bytes only ever give a parsed map or an invalid_request HttpError")
  void parseWhenArbitraryBytesThenMapOrInvalidRequest(@ForAll byte[] body) {
    parsesOrRefuses(body);
  }

  @Property(tries = 3000)
  @Label("form-like text (escapes, separators, high bytes) gives a map or an invalid_request HttpError")
  void parseWhenFormLikeTextThenMapOrInvalidRequest(@ForAll("formish") String body) {
    parsesOrRefuses(body.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Property(tries = 1000)
  @Label("parse ∘ encode = id for distinct names with non-empty values")
  void parseWhenEncodedMapThenSameMap(@ForAll("forms") Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    assertThat(Form.parse(body.getBytes(StandardCharsets.US_ASCII))).isEqualTo(form);
  }

  private static void parsesOrRefuses(byte[] body) {
    try {
      assertThat(Form.parse(body)).isNotNull();
    } catch (HttpError e) {
      assertThat(e.code()).isEqualTo("invalid_request");
      assertThat(e.status()).isEqualTo(400);
    }
  }

  @Provide
  Arbitrary<String> formish() {
    return Arbitraries.strings().withChars("ab=&%+0123456789ABCDEFGgz\u00e9\u00ff\u0000 ")
        .ofMaxLength(60);
  }

  @Provide
  Arbitrary<Map<String, String>> forms() {
    Arbitrary<String> text = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(20)
        .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
    return Arbitraries.maps(text, text).ofMaxSize(Form.MAX_PARAMETERS);
  }

  @Test
  void parseWhenSimpleFormThenNamesAndValuesDecoded() {
    assertThat(parse("grant_type=client_credentials&scope=a+b%20c&x=%C3%A9"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("grant_type", "client_credentials",
            "scope", "a b c", "x", "\u00e9"));
  }

  @Test
  void parseWhenEmptyBodyThenEmptyMap() {
    assertThat(parse("")).isEmpty();
    assertThat(parse("&&")).isEmpty();
  }

  @Test
  @DisplayName("RFC 6749 §3.1: \"Parameters sent without a value MUST be treated as if they were"
      + " omitted from the request\"")
  void parseWhenParameterHasNoValueThenOmitted() {
    assertThat(parse("a=&b&c=1")).containsExactly(Map.entry("c", "1"));
  }

  @Test
  @DisplayName("RFC 6749 §3.1: \"Request and response parameters MUST NOT be included more than"
      + " once\"")
  void parseWhenParameterRepeatedThenInvalidRequest() {
    assertInvalidRequest("a=1&a=2");
    assertInvalidRequest("a=1&a=1");
    assertInvalidRequest("a=1&%61=2");
  }

  @Test
  void parseWhenPercentEncodingMalformedThenInvalidRequest() {
    assertInvalidRequest("a=%");
    assertInvalidRequest("a=%4");
    assertInvalidRequest("a=%zz");
    assertInvalidRequest("%g1=b");
  }

  @Test
  void parseWhenDecodedBytesAreNotUtf8ThenInvalidRequest() {
    assertInvalidRequest("a=%FF");
    assertInvalidRequest("a=%C3");
    assertInvalidRequest("a=%ED%A0%80");
  }

  @Test
  void parseWhenRawBytesAreNotAsciiThenInvalidRequest() {
    assertThatThrownBy(() -> Form.parse(new byte[] {'a', '=', (byte) 0xC3, (byte) 0xA9}))
        .isInstanceOf(HttpError.class);
  }

  @Test
  void parseWhenMoreParametersThanTheLimitThenInvalidRequest() {
    StringBuilder ok = new StringBuilder();
    for (int i = 0; i < Form.MAX_PARAMETERS; i++) {
      ok.append(i == 0 ? "" : "&").append("p").append(i).append("=x");
    }
    assertThat(parse(ok.toString())).hasSize(Form.MAX_PARAMETERS);
    assertInvalidRequest(ok + "&one=more");
  }

  @Test
  void parseWhenErrorNamesAParameterThenItIsPrintable() {
    assertThatThrownBy(() -> parse("%0A%1B=1&%0A%1B=2"))
        .isInstanceOf(HttpError.class)
        .hasMessageNotContaining("\n").hasMessageNotContaining("\u001b");
  }
}
