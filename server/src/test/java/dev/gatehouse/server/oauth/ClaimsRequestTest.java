package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenID Connect Core 1.0 §5.5: the claims request parameter, as parsed. */
@DisplayName("OIDC Core §5.5 claims request parameter")
class ClaimsRequestTest {

  /** The example of §5.5, verbatim. */
  static final String SPEC_EXAMPLE = """
      {
       "userinfo":
        {
         "given_name": {"essential": true},
         "nickname": null,
         "email": {"essential": true},
         "email_verified": {"essential": true},
         "picture": null,
         "http://example.info/claims/groups": null
        },
       "id_token":
        {
         "auth_time": {"essential": true},
         "acr": {"values": ["urn:mace:incommon:iap:silver"] }
        }
      }""";

  @Nested
  @DisplayName("§5.5 \"a JSON object listing the requested Claims\"")
  class Members {

    @Test
    void parseWhenSpecExampleThenUserinfoClaimsKeptAndUnknownOnesIgnored() {
      ClaimsRequest c = ClaimsRequest.parse(SPEC_EXAMPLE);
      assertThat(c.requested().userinfo()).containsExactlyInAnyOrder("given_name", "nickname",
          "email", "email_verified", "picture");
      // auth_time and acr are always in the ID token; acr is a request of its own.
      assertThat(c.requested().idToken()).isEmpty();
      assertThat(c.acr()).isEqualTo(new ClaimsRequest.Acr(false,
          List.of("urn:mace:incommon:iap:silver")));
      assertThat(c.subject()).isNull();
    }

    @Test
    void parseWhenIdTokenClaimsThenKeptApartFromUserinfo() {
      ClaimsRequest c = ClaimsRequest.parse("{\"id_token\":{\"email\":null,\"address\":"
          + "{\"essential\":true}},\"userinfo\":{\"name\":null}}");
      assertThat(c.requested().idToken()).containsExactlyInAnyOrder("email", "address");
      assertThat(c.requested().userinfo()).containsExactly("name");
    }

    @Test
    @DisplayName("§5.5: \"Any members used that are not understood MUST be ignored\"")
    void parseWhenUnknownMembersAndClaimsThenIgnored() {
      ClaimsRequest c = ClaimsRequest.parse("{\"userinfo\":{\"shoe_size\":null,\"name\":"
          + "{\"essential\":true,\"purpose\":\"greeting\"}},\"verified_claims\":{},\"x\":1}");
      assertThat(c.requested().userinfo()).containsExactly("name");
      assertThat(c.requested().idToken()).isEmpty();
    }

    @Test
    void parseWhenSubRequestedByNameThenNotAClaimToRelease() {
      ClaimsRequest c = ClaimsRequest.parse("{\"userinfo\":{\"sub\":null},\"id_token\":{\"sub\""
          + ":null}}");
      assertThat(c.requested().isEmpty()).isTrue();
    }

    @Test
    void parseWhenAbsentOrEmptyThenNone() {
      assertThat(ClaimsRequest.parse(null)).isEqualTo(ClaimsRequest.NONE);
      assertThat(ClaimsRequest.parse("")).isEqualTo(ClaimsRequest.NONE);
      assertThat(ClaimsRequest.parse("{}").isEmpty()).isTrue();
      assertThat(ClaimsRequest.parse("{\"userinfo\":null,\"id_token\":{}}").isEmpty()).isTrue();
    }
  }

  @Nested
  @DisplayName("§5.5.1 individual claims requests")
  class Individual {

    @Test
    @DisplayName("§5.5.1.1: acr requested with values, value first")
    void parseWhenAcrHasValueAndValuesThenAllInOrder() {
      ClaimsRequest c = ClaimsRequest.parse("{\"id_token\":{\"acr\":{\"essential\":true,"
          + "\"value\":\"b\",\"values\":[\"a\",\"b\",\"c\"]}}}");
      assertThat(c.acr()).isEqualTo(new ClaimsRequest.Acr(true, List.of("b", "a", "c")));
    }

    @Test
    @DisplayName("§5.5.1: a sub value for the ID token is kept")
    void parseWhenSubValueForIdTokenThenSubject() {
      assertThat(ClaimsRequest.parse("{\"id_token\":{\"sub\":{\"value\":\"u-1\"}}}").subject())
          .isEqualTo("u-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "{\"userinfo\":",
        "[]",
        "\"userinfo\"",
        "{\"userinfo\":[\"name\"]}",
        "{\"id_token\":\"email\"}",
        "{\"userinfo\":{\"name\":true}}",
        "{\"userinfo\":{\"name\":\"essential\"}}",
        "{\"userinfo\":{\"name\":{\"essential\":\"true\"}}}",
        "{\"userinfo\":{\"name\":{\"values\":\"a\"}}}",
        "{\"userinfo\":{\"shoe_size\":{\"essential\":1}}}",
        "{\"id_token\":{\"acr\":{\"values\":[1]}}}",
        "{\"id_token\":{\"sub\":{\"value\":42}}}",
        "{\"userinfo\":{\"name\":{\"value\":[[[[[[[[[[1]]]]]]]]]]}}}"})
    void parseWhenMalformedThenInvalid(String param) {
      assertThatThrownBy(() -> ClaimsRequest.parse(param))
          .isInstanceOf(ClaimsRequest.Invalid.class);
    }

    @Test
    @DisplayName("§2 sub: \"It MUST NOT exceed 255 ASCII characters in length\"")
    void parseWhenSubValueLongerThan255ThenInvalid() {
      assertThat(ClaimsRequest.parse("{\"id_token\":{\"sub\":{\"value\":\""
          + "s".repeat(255) + "\"}}}").subject()).hasSize(255);
      assertThatThrownBy(() -> ClaimsRequest.parse("{\"id_token\":{\"sub\":{\"value\":\""
          + "s".repeat(256) + "\"}}}")).isInstanceOf(ClaimsRequest.Invalid.class);
    }

    @Test
    void parseWhenExactlyAtTheBoundThenParsed() {
      String head = "{\"userinfo\":{\"name\":null}";
      String padded = head + " ".repeat(ClaimsRequest.MAX_LENGTH - head.length() - 1) + "}";
      assertThat(padded).hasSize(ClaimsRequest.MAX_LENGTH);
      assertThat(ClaimsRequest.parse(padded).requested().userinfo()).containsExactly("name");
    }

    @Test
    void parseWhenAClaimsRequestIsMalformedThenTheMessageNamesItPrintably() {
      assertThatThrownBy(() -> ClaimsRequest.parse("{\"userinfo\":{\"nick\\u0007name\":true}}"))
          .isInstanceOf(ClaimsRequest.Invalid.class).hasMessageContaining("nick?name in userinfo");
    }

    @Test
    void parseWhenLongerThanTheBoundThenInvalid() {
      String padded = "{\"userinfo\":{\"name\":null}" + " ".repeat(ClaimsRequest.MAX_LENGTH)
          + "}";
      assertThatThrownBy(() -> ClaimsRequest.parse(padded))
          .isInstanceOf(ClaimsRequest.Invalid.class).hasMessageContaining("longer");
    }
  }

  @Test
  void toJsonWhenAcrValuesUnknownThenOnlyThoseIssuedHereAreCarried() {
    ClaimsRequest c = ClaimsRequest.parse("{\"id_token\":{\"acr\":{\"values\":"
        + "[\"urn:example:loa:4\",\"urn:gatehouse:acr:pwd\"]}}}");
    assertThat(ClaimsRequest.parse(c.toJson()).acr())
        .isEqualTo(new ClaimsRequest.Acr(false, List.of("urn:gatehouse:acr:pwd")));
  }

  @Test
  @DisplayName("carried through the sign-in pages and back unchanged")
  void toJsonWhenParsedAgainThenTheSameRequest() {
    ClaimsRequest c = ClaimsRequest.parse("{\"userinfo\":{\"name\":null,\"shoe_size\":null},"
        + "\"id_token\":{\"email\":{\"essential\":true},\"acr\":{\"essential\":true,\"values\":"
        + "[\"urn:gatehouse:acr:mfa\"]},\"sub\":{\"value\":\"u-1\"}}}");
    assertThat(ClaimsRequest.parse(c.toJson())).isEqualTo(c);
    assertThat(c.requested()).isEqualTo(new RequestedClaims(Set.of("name"), Set.of("email")));
  }

  @Test
  void isEmptyWhenAnyOfClaimsAcrOrSubjectThenFalse() {
    assertThat(ClaimsRequest.parse("{\"userinfo\":{\"name\":null}}").isEmpty()).isFalse();
    assertThat(ClaimsRequest.parse("{\"id_token\":{\"acr\":null}}").isEmpty()).isFalse();
    assertThat(ClaimsRequest.parse("{\"id_token\":{\"sub\":{\"value\":\"u-1\"}}}").isEmpty())
        .isFalse();
    assertThat(ClaimsRequest.NONE.isEmpty()).isTrue();
  }
}
