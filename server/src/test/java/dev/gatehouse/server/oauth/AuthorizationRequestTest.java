package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.keys.KeyAlgorithm;
import dev.gatehouse.server.session.Acr;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The authorization request as validated, without HTTP: stage 1 errors (client, redirect_uri)
 * are shown on a page, stage 2 errors go back to the client's redirect URI with its state.
 */
@DisplayName("RFC 6749 §4.1.1 / OIDC Core §3.1.2.1 authorization request")
class AuthorizationRequestTest {

  static final String CB = "https://app.example.com/cb";
  static final String CHALLENGE = PkceVerifierTest.CHALLENGE;
  static final long NOW = 1_800_000_000L;

  static Client client(Client.ClientType type, Set<String> grants, Set<String> scopes,
      List<String> redirects) {
    return new Client("acme", "app", "App", type, AuthMethod.CLIENT_SECRET_BASIC, "hash", grants,
        scopes, Client.TokenFormat.JWT, KeyAlgorithm.ES256, 900, null, List.of(), 0, redirects,
        List.of(), null, KeyAlgorithm.RS256);
  }

  static final Client APP = client(Client.ClientType.CONFIDENTIAL,
      Set.of(Grants.AUTHORIZATION_CODE, Grants.REFRESH_TOKEN), Set.of("api:read"), List.of(CB));

  /** A valid request's parameters, and {@code more} (name, value, ...; a null value removes). */
  static Map<String, String> params(String... more) {
    Map<String, String> p = new HashMap<>(Map.of("client_id", "app", "redirect_uri", CB,
        "response_type", "code", "scope", "openid email", "state", "st-1"));
    for (int i = 0; i < more.length; i += 2) {
      if (more[i + 1] == null) {
        p.remove(more[i]);
      } else {
        p.put(more[i], more[i + 1]);
      }
    }
    return p;
  }

  static AuthorizationRequest parse(String... more) {
    return AuthorizationRequest.parse(params(more), APP, NOW);
  }

  /** Refused back to the client: {@code error} at {@code CB} with {@code state} and mode. */
  static AbstractThrowableAssert<?, ?> redirected(Client client, Map<String, String> p,
      String error, String state, String mode) {
    return assertThatThrownBy(() -> AuthorizationRequest.parse(p, client, NOW))
        .isInstanceOfSatisfying(AuthorizationRequest.RedirectError.class, e -> {
          assertThat(e.error()).isEqualTo(error);
          assertThat(e.redirectUri()).isEqualTo(CB);
          assertThat(e.state()).isEqualTo(state);
          assertThat(e.responseMode()).isEqualTo(mode);
        });
  }

  static AbstractThrowableAssert<?, ?> redirected(String error, String... more) {
    return redirected(APP, params(more), error, "st-1", "query");
  }

  static AbstractThrowableAssert<?, ?> shownOnAPage(Client client, Map<String, String> p) {
    return assertThatThrownBy(() -> AuthorizationRequest.parse(p, client, NOW))
        .isInstanceOf(AuthorizationRequest.PageError.class);
  }

  @Nested
  @DisplayName("stage 1, §4.1.2.1: \"MUST NOT automatically redirect\"")
  class ClientAndRedirect {

    @Test
    void parseWhenNoClientIdOrAnUnknownClientThenAPage() {
      shownOnAPage(APP, params("client_id", null)).hasMessageContaining("client_id is missing");
      shownOnAPage(null, params()).hasMessageContaining("not registered");
    }

    @Test
    void parseWhenTheClientMayNotUseTheCodeFlowThenAPage() {
      shownOnAPage(client(Client.ClientType.CONFIDENTIAL, Set.of(Grants.CLIENT_CREDENTIALS),
          Set.of(), List.of(CB)), params()).hasMessageContaining("may not sign people in");
      shownOnAPage(client(Client.ClientType.CONFIDENTIAL, Set.of(Grants.AUTHORIZATION_CODE),
          Set.of(), List.of()), params("redirect_uri", null))
          .hasMessageContaining("may not sign people in");
    }

    @Test
    @DisplayName("RFC 9700 §4.1.3: redirect URIs compared as simple strings")
    void parseWhenRedirectUriDiffersInAnyWayThenAPage() {
      for (String other : List.of(CB + "/", "https://APP.example.com/cb", CB + "?x=1",
          "https://app.example.com:443/cb", "")) {
        shownOnAPage(APP, params("redirect_uri", other)).as(other)
            .hasMessageContaining("redirect_uri mismatch");
      }
      assertThat(APP.hasRedirect(CB)).isTrue();
      assertThat(APP.hasRedirect(null)).isFalse();
    }

    @Test
    void parseWhenNoRedirectUriAndOneRegisteredThenThatOneNotGiven() {
      AuthorizationRequest r = parse("redirect_uri", null, "scope", "email");
      assertThat(r.redirectUri()).isEqualTo(CB);
      assertThat(r.redirectUriGiven()).isFalse();
      assertThat(parse().redirectUriGiven()).isTrue();
    }

    @Test
    void parseWhenNoRedirectUriAndSeveralRegisteredThenAPage() {
      Client two = client(Client.ClientType.CONFIDENTIAL, Set.of(Grants.AUTHORIZATION_CODE),
          Set.of(), List.of(CB, CB + "2"));
      shownOnAPage(two, params("redirect_uri", null, "scope", "email"))
          .hasMessageContaining("redirect_uri is missing");
      assertThat(AuthorizationRequest.parse(params("redirect_uri", CB + "2"), two, NOW)
          .redirectUri()).isEqualTo(CB + "2");
    }
  }

  @Nested
  @DisplayName("stage 2: errors go back to the client")
  class ToTheClient {

    @Test
    void parseWhenValidThenEveryParameterKept() {
      AuthorizationRequest r = parse("scope", "openid email api:read", "nonce", "n-1",
          "code_challenge", CHALLENGE, "code_challenge_method", "S256", "prompt", "login consent",
          "max_age", "0", "login_hint", "alice@example.com", "response_mode", "form_post",
          "acr_values", Acr.MFA);
      assertThat(r).isEqualTo(new AuthorizationRequest("app", CB, true, "form_post", "st-1",
          Set.of("openid", "email", "api:read"), "n-1", CHALLENGE, Set.of("login", "consent"), 0,
          "alice@example.com", NOW, null, List.of(Acr.MFA), null, ClaimsRequest.NONE));
      assertThat(parse("state", null).state()).isNull();
    }

    @Test
    @DisplayName("OIDC Core §6.1: request objects refused where the object asks")
    void parseWhenRequestObjectThenRequestNotSupportedWithTheObjectsStateAndMode() {
      String object = jwt("{\"state\":\"from-object\",\"response_mode\":\"form_post\"}");
      redirected(APP, params("request", object), "request_not_supported", "from-object",
          "form_post");
      redirected(APP, params("request", jwt("{\"response_mode\":\"query\"}"), "response_mode",
          "form_post"), "request_not_supported", "st-1", "query");
      redirected(APP, params("request", jwt("{\"response_mode\":\"fragment\"}"), "response_mode",
          "form_post"), "request_not_supported", "st-1", "form_post");
      redirected(APP, params("request", "not a jwt", "response_mode", "fragment"),
          "request_not_supported", "st-1", "query");
    }

    @Test
    void parseWhenResponseModeUnknownThenInvalidRequestByQuery() {
      redirected(APP, params("response_mode", "fragment"), "invalid_request", "st-1", "query");
      assertThat(parse().responseMode()).isEqualTo("query");
    }

    @Test
    @DisplayName("OAuth 2.1: code is the only response type")
    void parseWhenResponseTypeMissingOrNotCodeThenRefused() {
      redirected(APP, params("response_type", null, "response_mode", "form_post"),
          "invalid_request", "st-1", "form_post");
      redirected(APP, params("response_type", "token", "response_mode", "form_post"),
          "unsupported_response_type", "st-1", "form_post");
      redirected("unsupported_response_type", "response_type", "code id_token");
    }

    @Test
    void parseWhenRequestUriThenNotSupported() {
      redirected("request_uri_not_supported", "request_uri", "urn:example:bwc4JK-ESC0w8acc191e");
    }

    @Test
    void parseWhenScopeInvalidOrNotAllowedThenInvalidScope() {
      redirected("invalid_scope", "scope", "openid \"quoted\"");
      redirected("invalid_scope", "scope", "openid api:write").hasMessageContaining("api:write");
      assertThat(parse("scope", "openid api:read").scope()).containsExactly("openid", "api:read");
    }

    @Test
    @DisplayName("OIDC Core §11: offline_access only for a client that may refresh")
    void parseWhenOfflineAccessAndTheClientMayNotRefreshThenDroppedFromTheScope() {
      Client noRefresh = client(Client.ClientType.CONFIDENTIAL,
          Set.of(Grants.AUTHORIZATION_CODE), Set.of(), List.of(CB));
      assertThat(AuthorizationRequest.parse(params("scope", "openid offline_access email"),
          noRefresh, NOW).scope()).containsExactly("openid", "email");
      assertThat(parse("scope", "openid offline_access").scope())
          .containsExactly("openid", "offline_access");
    }

    @Test
    @DisplayName("OIDC Core §3.1.2.1: redirect_uri is REQUIRED with openid")
    void parseWhenOpenIdWithoutRedirectUriThenInvalidRequest() {
      redirected("invalid_request", "redirect_uri", null).hasMessageContaining("redirect_uri");
    }

    @Test
    @DisplayName("RFC 9700 §2.1.1: PKCE with S256, never plain")
    void parseWhenPkceIncompleteOrPlainThenInvalidRequest() {
      redirected("invalid_request", "code_challenge", CHALLENGE)
          .hasMessageContaining("S256");
      redirected("invalid_request", "code_challenge", CHALLENGE, "code_challenge_method", "plain")
          .hasMessageContaining("S256");
      redirected("invalid_request", "code_challenge_method", "S256")
          .hasMessageContaining("43-character");
      redirected("invalid_request", "code_challenge", CHALLENGE + "=", "code_challenge_method",
          "S256").hasMessageContaining("43-character");
      assertThat(parse().codeChallenge()).isNull();
    }

    @Test
    @DisplayName("OAuth 2.1 §4.1.1: public clients MUST use PKCE")
    void parseWhenPublicClientWithoutPkceThenInvalidRequest() {
      Client spa = client(Client.ClientType.PUBLIC, Set.of(Grants.AUTHORIZATION_CODE), Set.of(),
          List.of(CB));
      redirected(spa, params(), "invalid_request", "st-1", "query")
          .hasMessageContaining("public clients");
      assertThat(AuthorizationRequest.parse(params("code_challenge", CHALLENGE,
          "code_challenge_method", "S256"), spa, NOW).codeChallenge()).isEqualTo(CHALLENGE);
    }

    @Test
    @DisplayName("OIDC Core §3.1.2.1 prompt: none with any other value is an error")
    void parseWhenPromptThenKnownValuesOnlyAndNoneAlone() {
      assertThat(parse("prompt", " login  select_account ").prompt())
          .containsExactly("login", "select_account");
      assertThat(parse("prompt", "none").prompt()).containsExactly("none");
      assertThat(parse("prompt", "none none").prompt()).containsExactly("none");
      assertThat(parse().prompt()).isEmpty();
      redirected("invalid_request", "prompt", "none login").hasMessageContaining("none");
      redirected("invalid_request", "prompt", "login create").hasMessageContaining("create");
    }

    @Test
    void parseWhenMaxAgeNegativeOrNotANumberThenInvalidRequest() {
      assertThat(parse("max_age", "0").maxAge()).isZero();
      assertThat(parse("max_age", "3600").maxAge()).isEqualTo(3600);
      assertThat(parse().maxAge()).isNull();
      redirected("invalid_request", "max_age", "-1").hasMessageContaining("max_age");
      redirected("invalid_request", "max_age", "1h").hasMessageContaining("max_age");
    }

    @Test
    void parseWhenNonceStateOrLoginHintTooLongThenRefusedOrDropped() {
      assertThat(parse("nonce", "n".repeat(500)).nonce()).hasSize(500);
      redirected("invalid_request", "nonce", "n".repeat(501)).hasMessageContaining("nonce");
      assertThat(parse("state", "s".repeat(2000)).state()).hasSize(2000);
      // The state is not sent back when it is what was wrong.
      redirected(APP, params("state", "s".repeat(2001)), "invalid_request", null, "query");
      assertThat(parse("login_hint", "h".repeat(254)).loginHint()).hasSize(254);
      assertThat(parse("login_hint", "h".repeat(255)).loginHint()).isNull();
    }

    @Test
    void parseWhenAcrValuesThenThoseIssuedHereInOrderOnce() {
      assertThat(parse("acr_values", " urn:example:loa:4  " + Acr.MFA + " " + Acr.PWD + " "
          + Acr.MFA).acrValues()).containsExactly(Acr.MFA, Acr.PWD);
      assertThat(parse("acr_values", "   ").acrValues()).isEmpty();
      assertThat(parse().acrValues()).isEmpty();
      // At most 1000 characters are read.
      String longest = Acr.PWD + " ".repeat(1000 - Acr.PWD.length());
      assertThat(parse("acr_values", longest).acrValues()).containsExactly(Acr.PWD);
      assertThat(parse("acr_values", longest + " ").acrValues()).isEmpty();
    }

    @Test
    @DisplayName("OIDC Core §5.5.1.1: an acr claim with values takes the place of acr_values")
    void parseWhenClaimsRequestAcrThenItDecides() {
      String acrClaim = "{\"id_token\":{\"acr\":{\"essential\":%s,\"values\":[%s]}}}";
      assertThat(parse("acr_values", Acr.PWD, "claims", acrClaim.formatted("false",
          "\"" + Acr.MFA + "\"")).acrValues()).containsExactly(Acr.MFA);
      assertThat(parse("acr_values", Acr.PWD, "claims", acrClaim.formatted("false",
          "\"urn:example:loa:4\"")).acrValues()).isEmpty();
      assertThat(parse("acr_values", Acr.PWD, "claims", acrClaim.formatted("true", ""))
          .acrValues()).containsExactly(Acr.PWD);
      redirected("unmet_authentication_requirements", "claims",
          acrClaim.formatted("true", "\"urn:example:loa:4\""));
      redirected("invalid_request", "claims", "[]").hasMessageContaining("claims");
    }
  }

  @Nested
  @DisplayName("carried through the sign-in pages")
  class Carried {

    @Test
    void toParametersWhenReadBackThenTheSameRequest() {
      AuthorizationRequest full = parse("scope", "openid email", "nonce", "n-1",
          "code_challenge", CHALLENGE, "code_challenge_method", "S256", "prompt", "login consent",
          "max_age", "60", "login_hint", "alice", "acr_values", Acr.MFA, "claims",
          "{\"userinfo\":{\"name\":null}}").withLoginSid("sid-1").withConsentSid("sid-2");
      assertThat(full.loginSid()).isEqualTo("sid-1");
      assertThat(full.consentSid()).isEqualTo("sid-2");
      assertThat(AuthorizationRequest.fromParameters(full.toParameters())).isEqualTo(full);
      AuthorizationRequest bare = parse("redirect_uri", null, "scope", "", "state", null);
      Map<String, String> m = bare.toParameters();
      assertThat(m).containsOnlyKeys("client_id", "redirect_uri", "redirect_uri_given",
          "response_mode", "scope", "prompt", "iat");
      assertThat(m).containsEntry("redirect_uri_given", "false").containsEntry("iat",
          Long.toString(NOW));
      assertThat(AuthorizationRequest.fromParameters(m)).isEqualTo(bare);
    }

    @Test
    void isOpenIdWhenTheScopeHasOpenId() {
      assertThat(parse().isOpenId()).isTrue();
      assertThat(parse("redirect_uri", null, "scope", "email").isOpenId()).isFalse();
    }

    @Test
    @DisplayName("OIDC Core §5.5: single claims are consented to as the scope that gives them")
    void consentScopeWhenClaimsRequestedThenTheirScopesToo() {
      assertThat(parse().consentScope()).containsExactly("openid", "email");
      assertThat(parse("scope", "openid", "claims", "{\"userinfo\":{\"phone_number\":null},"
          + "\"id_token\":{\"name\":null}}").consentScope())
          .containsExactlyInAnyOrder("openid", "phone", "profile");
    }
  }

  static String jwt(String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
  }
}
