package dev.gatehouse.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenID Connect features the OpenID Foundation's OP certification plans check, each against a
 * real server over HTTP: request objects refused the way the client asked for the answer, the
 * RP-initiated logout error pages, standard claims by scope, front-channel logout and
 * third-party-initiated login metadata.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcCoreTest {

  static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  static final String FRONTCHANNEL = "https://app.example.com/fc?x=1";
  static final String POST_LOGOUT = "https://app.example.com/bye";

  private TestServer server;
  private HostedSignIn site;
  private JsonNode rp;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2, java.util.Map.of("GATEHOUSE_PASSWORDS_ARGON2_MEMORY_KIB", "1024"));
    site = new HostedSignIn(server, "oidc");
    rp = server.createClient("oidc", Map.of("name", "Front RP",
        "grant_types", List.of("authorization_code"),
        "redirect_uris", List.of(HostedSignIn.REDIRECT),
        "post_logout_redirect_uris", List.of(POST_LOGOUT),
        "frontchannel_logout_uri", FRONTCHANNEL,
        "frontchannel_logout_session_required", true,
        "initiate_login_uri", "https://app.example.com/start"));
    TestServer.Response u = server.admin("POST", "/admin/v1/tenants/oidc/users", Map.of(
        "username", "carol", "password", HostedSignIn.PASSWORD, "display_name", "Carol Q",
        "email", "carol@example.com", "email_verified", true,
        "claims", Map.of("given_name", "Carol", "family_name", "Quinn", "birthdate", "1990-02-03",
            "locale", "fr-FR", "zoneinfo", "Europe/Paris", "website", "https://carol.example",
            "phone_number", "+33 1 23 45 67 89", "phone_number_verified", true,
            "address", Map.of("locality", "Paris", "country", "FR"))));
    assertThat(u.status()).as("%s", u).isEqualTo(201);
  }

  /** Signs carol in for {@code rp} with {@code scope}; the token response. */
  private JsonNode tokens(Browser b, String scope) {
    return tokens(b, rp, scope, "");
  }

  /** Signs carol in for {@code client} with {@code scope} and {@code extra}; the tokens. */
  private JsonNode tokens(Browser b, JsonNode client, String scope, String extra) {
    TestServer.Response back = HostedSignIn.walkToClient(b, server.baseUrl(),
        b.follow(authorizeUrl(client, scope, extra), server.baseUrl()), "carol",
        HostedSignIn.PASSWORD);
    return exchange(client, back);
  }

  /** An authorization request of {@code client}. */
  private String authorizeUrl(JsonNode client, String scope, String extra) {
    return site.authorizeUrl(extra).replace("client_id=" + site.clientId(),
        "client_id=" + client.get("client_id").asText()).replace("scope=openid", "scope="
        + URLEncoder.encode(scope, StandardCharsets.UTF_8));
  }

  /** The token response to {@code client} for the code in {@code back}, its redirect. */
  private JsonNode exchange(JsonNode client, TestServer.Response back) {
    String location = back.header("Location");
    String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
    return tokenRequest(client, "grant_type=authorization_code&code=" + code + "&redirect_uri="
        + URLEncoder.encode(HostedSignIn.REDIRECT, StandardCharsets.UTF_8) + "&code_verifier="
        + VERIFIER);
  }

  private JsonNode tokenRequest(JsonNode client, String form) {
    TestServer.Response t = server.postForm("/t/oidc/oauth2/token", form,
        TestServer.basic(client.get("client_id").asText(), client.get("client_secret").asText()));
    assertThat(t.status()).as("%s", t).isEqualTo(200);
    return t.json();
  }

  private JsonNode userinfo(String accessToken) {
    TestServer.Response r = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
        server.httpUrl() + "/t/oidc/userinfo")).header("Authorization", "Bearer " + accessToken)
        .GET().build());
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String unsignedJwt(String payloadJson) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".";
  }

  @Nested
  @DisplayName("OIDC Core §6.1 request objects")
  class RequestObjects {

    @Test
    void authorizeWhenUnsignedRequestObjectAsksFormPostThenErrorIsPostedWithItsState() {
      String request = unsignedJwt("{\"response_mode\":\"form_post\",\"state\":\"inside\","
          + "\"client_id\":\"" + site.clientId() + "\"}");
      TestServer.Response r = new Browser().get(site.authorizeUrl("&request=" + request)
          .replace("&state=s1", ""));
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(Browser.formAction(r.text())).isEqualTo(HostedSignIn.REDIRECT);
      assertThat(Browser.hiddenFields(r.text())).containsEntry("error", "request_not_supported")
          .containsEntry("state", "inside");
    }

    @Test
    void authorizeWhenRequestObjectStateDiffersThenTheObjectsStateIsReturned() {
      String request = unsignedJwt("{\"state\":\"from-object\"}");
      TestServer.Response r = new Browser().get(site.authorizeUrl("&request=" + request));
      assertThat(r.status()).isEqualTo(302);
      assertThat(r.header("Location")).startsWith(HostedSignIn.REDIRECT + "?")
          .contains("error=request_not_supported").contains("state=from-object")
          .doesNotContain("state=s1");
    }

    @Test
    void authorizeWhenRequestObjectUnreadableThenQueryStateAndModeAreUsed() {
      TestServer.Response r = new Browser().get(site.authorizeUrl("&request=not-a-jwt"));
      assertThat(r.header("Location")).contains("error=request_not_supported")
          .contains("state=s1");
    }
  }

  @Nested
  @DisplayName("RP-Initiated Logout 1.0 §2, §3")
  class LogoutErrors {

    @Test
    void logoutWhenReturnAddressWithoutHintOrClientThenPageSaysWhatIsMissing() {
      TestServer.Response r = new Browser().get(site.issuer() + "/logout?post_logout_redirect_uri="
          + URLEncoder.encode(HostedSignIn.REDIRECT, StandardCharsets.UTF_8));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.header("Location")).isNull();
      assertThat(r.text()).contains("id_token_hint or a client_id")
          .doesNotContain("not registered");
    }
  }

  @Nested
  @DisplayName("OIDC Core §5.1, §5.4 standard claims by scope")
  class StandardClaimsByScope {

    @Test
    void userinfoWhenProfileAddressPhoneScopesThenTheirClaimsAreReleased() {
      JsonNode info = userinfo(tokens(new Browser(), "openid profile address phone")
          .get("access_token").asText());
      assertThat(info.path("given_name").asText()).isEqualTo("Carol");
      assertThat(info.path("family_name").asText()).isEqualTo("Quinn");
      assertThat(info.path("birthdate").asText()).isEqualTo("1990-02-03");
      assertThat(info.path("locale").asText()).isEqualTo("fr-FR");
      assertThat(info.path("zoneinfo").asText()).isEqualTo("Europe/Paris");
      assertThat(info.path("website").asText()).isEqualTo("https://carol.example");
      assertThat(info.path("name").asText()).isEqualTo("Carol Q");
      assertThat(info.path("phone_number").asText()).isEqualTo("+33 1 23 45 67 89");
      assertThat(info.path("phone_number_verified").asBoolean()).isTrue();
      assertThat(info.path("address").path("locality").asText()).isEqualTo("Paris");
      assertThat(info.has("email")).as("email scope not asked").isFalse();
    }

    @Test
    void userinfoWhenOnlyOpenidThenNoProfileClaims() {
      JsonNode info = userinfo(tokens(new Browser(), "openid").get("access_token").asText());
      assertThat(info.has("given_name")).isFalse();
      assertThat(info.has("address")).isFalse();
      assertThat(info.has("phone_number")).isFalse();
    }

    @Test
    void adminWhenClaimUnknownOrMalformedThen400() {
      for (Map<String, Object> claims : List.<Map<String, Object>>of(Map.of("shoe_size", "42"),
          Map.of("birthdate", "3 Feb 1990"), Map.of("address", "Paris"),
          Map.of("phone_number_verified", "yes"), Map.of("picture", "javascript:alert(1)"))) {
        TestServer.Response r = server.admin("POST", "/admin/v1/tenants/oidc/users", Map.of(
            "username", "bad" + claims.hashCode(), "claims", claims));
        assertThat(r.status()).as("%s -> %s", claims, r).isEqualTo(400);
      }
    }

    @Test
    void adminWhenClaimsPatchedThenTheyReplaceTheStoredOnes() {
      TestServer.Response u = server.admin("POST", "/admin/v1/tenants/oidc/users", Map.of(
          "username", "dave", "claims", Map.of("nickname", "D", "gender", "male")));
      String id = u.json().get("id").asText();
      TestServer.Response p = server.admin("PATCH", "/admin/v1/tenants/oidc/users/" + id,
          Map.of("claims", Map.of("nickname", "Davy")));
      assertThat(p.status()).as("%s", p).isEqualTo(200);
      assertThat(p.json().get("claims").toString()).isEqualTo("{\"nickname\":\"Davy\"}");
    }

    @Test
    void discoveryWhenFetchedThenAddressPhoneAndTheirClaimsAreAdvertised() {
      JsonNode d = server.get("/t/oidc/.well-known/openid-configuration").json();
      assertThat(d.get("scopes_supported").toString()).contains("\"address\"")
          .contains("\"phone\"");
      assertThat(d.get("claims_supported").toString()).contains("\"given_name\"")
          .contains("\"phone_number_verified\"").contains("\"address\"");
    }
  }

  @Nested
  @DisplayName("OIDC Core §5.5 requesting claims using the claims request parameter")
  class ClaimsParameter {

    static final String MFA = "urn:gatehouse:acr:mfa";

    private String claims(String json) {
      return "&claims=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("§5.5 userinfo: \"Requests that the listed individual Claims be returned from the"
        + " UserInfo Endpoint\"")
    void userinfoWhenClaimsRequestedForUserinfoOnlyThenReturnedThereAndNotInTheIdToken() {
      JsonNode t = tokens(new Browser(), rp, "openid", claims("{\"userinfo\":{\"given_name\":"
          + "{\"essential\":true},\"email\":null}}"));
      JsonNode info = userinfo(t.get("access_token").asText());
      assertThat(info.path("given_name").asText()).isEqualTo("Carol");
      assertThat(info.path("email").asText()).isEqualTo("carol@example.com");
      assertThat(info.has("family_name")).as("not requested").isFalse();
      Map<String, Object> idToken = decode(t.get("id_token").asText());
      assertThat(idToken).doesNotContainKeys("given_name", "email");
    }

    @Test
    @DisplayName("§5.5 id_token: \"Requests that the listed individual Claims be returned in the"
        + " ID Token\"")
    void idTokenWhenClaimsRequestedForIdTokenThenInTheIdTokenAndNotFromUserinfo() {
      JsonNode t = tokens(new Browser(), rp, "openid", claims("{\"id_token\":{\"family_name\":"
          + "null,\"address\":{\"essential\":true},\"phone_number_verified\":null}}"));
      Map<String, Object> idToken = decode(t.get("id_token").asText());
      assertThat(idToken).containsEntry("family_name", "Quinn")
          .containsEntry("phone_number_verified", true);
      assertThat(idToken.get("address")).isEqualTo(Map.of("locality", "Paris", "country", "FR"));
      JsonNode info = userinfo(t.get("access_token").asText());
      assertThat(info.has("family_name")).isFalse();
      assertThat(info.has("address")).isFalse();
    }

    @Test
    @DisplayName("§5.5.1: \"an Authorization Server ... MUST NOT generate an error when Claims are"
        + " not returned, whether they are Essential or Voluntary\"")
    void tokensWhenEssentialClaimTheUserLacksThenOmittedWithoutError() {
      JsonNode t = tokens(new Browser(), rp, "openid", claims("{\"userinfo\":{\"picture\":"
          + "{\"essential\":true},\"locale\":null,\"shoe_size\":{\"essential\":true}},"
          + "\"id_token\":{\"nickname\":{\"essential\":true},\"birthdate\":null}}"));
      JsonNode info = userinfo(t.get("access_token").asText());
      assertThat(info.has("picture")).isFalse();
      assertThat(info.has("shoe_size")).isFalse();
      assertThat(info.path("locale").asText()).isEqualTo("fr-FR");
      Map<String, Object> idToken = decode(t.get("id_token").asText());
      assertThat(idToken).doesNotContainKey("nickname").containsEntry("birthdate", "1990-02-03");
    }

    @Test
    void refreshWhenClaimsWereRequestedThenRefreshedTokensCarryThemToo() {
      JsonNode opaque = server.createClient("oidc", Map.of("name", "Opaque RP",
          "grant_types", List.of("authorization_code", "refresh_token"),
          "token_format", "opaque", "redirect_uris", List.of(HostedSignIn.REDIRECT)));
      JsonNode t = tokens(new Browser(), opaque, "openid offline_access",
          claims("{\"userinfo\":{\"website\":null},\"id_token\":{\"zoneinfo\":null}}"));
      assertThat(userinfo(t.get("access_token").asText()).path("website").asText())
          .isEqualTo("https://carol.example");
      JsonNode refreshed = tokenRequest(opaque, "grant_type=refresh_token&refresh_token="
          + t.get("refresh_token").asText());
      assertThat(userinfo(refreshed.get("access_token").asText()).path("website").asText())
          .isEqualTo("https://carol.example");
      assertThat(decode(refreshed.get("id_token").asText()))
          .containsEntry("zoneinfo", "Europe/Paris");
    }

    @Test
    @DisplayName("§5.5: claims asked for by name need the consent their scope would need")
    void authorizeWhenClaimsNeedAScopeNotConsentedThenConsentIsAskedForIt() {
      JsonNode fresh = server.createClient("oidc", Map.of("name", "Consent RP",
          "grant_types", List.of("authorization_code"),
          "redirect_uris", List.of(HostedSignIn.REDIRECT)));
      Browser b = new Browser();
      tokens(b, fresh, "openid", "");
      String email = claims("{\"userinfo\":{\"email\":null}}");
      TestServer.Response none = b.get(authorizeUrl(fresh, "openid", "&prompt=none" + email));
      assertThat(none.header("Location")).contains("error=consent_required");
      TestServer.Response page = b.follow(authorizeUrl(fresh, "openid", email),
          server.baseUrl());
      assertThat(page.text()).contains("Allow access").contains("See your email address");
      TestServer.Response back = site.allowIfAsked(b, page);
      assertThat(userinfo(exchange(fresh, back).get("access_token").asText()).path("email")
          .asText()).isEqualTo("carol@example.com");
    }

    @Test
    void authorizeWhenClaimsNearTheSizeBoundThenSignInCompletesThroughThePages() {
      StringBuilder json = new StringBuilder("{\"userinfo\":{\"given_name\":null");
      for (int i = 0; json.length() < 3600; i++) {
        json.append(",\"http://example.com/claims/c").append(i).append("\":null");
      }
      json.append("},\"id_token\":{\"sub\":{\"value\":\"").append("s".repeat(255))
          .append("\"}}}");
      // POSTed (RFC 6749 §3.1 lets the endpoint take POST): as a query it would pass the
      // server's bound on the request line.
      Browser b = new Browser();
      String url = authorizeUrl(rp, "openid", "");
      Map<String, String> form = new java.util.LinkedHashMap<>();
      for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
        String[] kv = pair.split("=", 2);
        form.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
      form.put("claims", json.toString());
      String endpoint = url.substring(0, url.indexOf('?'));
      TestServer.Response login = b.followFrom(b.post(endpoint, form), endpoint,
          server.baseUrl());
      assertThat(login.text()).contains("<title>Sign in");
      TestServer.Response back = HostedSignIn.walkToClient(b, server.baseUrl(), login, "carol",
          HostedSignIn.PASSWORD);
      assertThat(back.header("Location")).as("no such subject here")
          .contains("error=login_required").contains("state=s1");
    }

    @Test
    void authorizeWhenClaimsMalformedThenInvalidRequestAtTheRedirectUriWithState() {
      for (String bad : List.of("{\"userinfo\":", "[\"name\"]",
          "{\"userinfo\":{\"name\":{\"essential\":\"yes\"}}}")) {
        TestServer.Response r = new Browser().get(authorizeUrl(rp, "openid", claims(bad)));
        assertThat(r.status()).as("%s -> %s", bad, r).isEqualTo(302);
        assertThat(r.header("Location")).startsWith(HostedSignIn.REDIRECT + "?")
            .contains("error=invalid_request").contains("state=s1");
      }
    }

    @Test
    void authorizeWhenClaimsMalformedAndFormPostThenTheErrorIsPostedWithState() {
      TestServer.Response r = new Browser().get(authorizeUrl(rp, "openid",
          "&response_mode=form_post" + claims("{\"id_token\":[]}")));
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(Browser.formAction(r.text())).isEqualTo(HostedSignIn.REDIRECT);
      assertThat(Browser.hiddenFields(r.text())).containsEntry("error", "invalid_request")
          .containsEntry("state", "s1");
    }

    @Test
    @DisplayName("§5.5.1.1: an essential acr with values is met, stepping up as acr_values does")
    void authorizeWhenAcrRequestedAsEssentialMfaThenSecondFactorIsOwedAndIdTokenSaysMfa() {
      Browser b = new Browser();
      TestServer.Response back = signInEnrollingAnAuthenticator(b, "erin");
      Map<String, Object> idToken = decode(exchange(rp, back).get("id_token").asText());
      assertThat(idToken).containsEntry("acr", MFA);
    }

    /**
     * A new user {@code username} signs in for an essential MFA acr: having no second factor, the
     * essential acr makes them set one up, as acr_values does. The redirect back to the client.
     */
    private TestServer.Response signInEnrollingAnAuthenticator(Browser b, String username) {
      TestServer.Response u = server.admin("POST", "/admin/v1/tenants/oidc/users", Map.of(
          "username", username, "password", HostedSignIn.PASSWORD));
      assertThat(u.status()).as("%s", u).isEqualTo(201);
      String acr = claims("{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\""
          + MFA + "\"]}}}");
      TestServer.Response login = b.follow(authorizeUrl(rp, "openid", acr), server.baseUrl());
      assertThat(login.text()).contains("<title>Sign in");
      TestServer.Response enrol = site.submit(b, login, Map.of("username", username,
          "password", HostedSignIn.PASSWORD));
      java.util.regex.Matcher secret = HostedSignIn.SECRET.matcher(enrol.text());
      assertThat(secret.find()).as("an enrolment page: %s", enrol).isTrue();
      byte[] key = dev.gatehouse.server.testing.AuthenticatorApp.base32(secret.group(1));
      TestServer.Response codes = site.submit(b, enrol, Map.of("code",
          dev.gatehouse.server.testing.AuthenticatorApp.totp(key, 0)));
      return site.allowIfAsked(b, site.submit(b, codes, Map.of()));
    }

    @Test
    @DisplayName("§5.5.1.1: \"the Authorization Server MUST return an acr Claim Value that matches"
        + " one of the requested values\", also when the session achieved a stronger one")
    void authorizeWhenEssentialPwdRequestedOfAnMfaSessionThenIdTokenSaysPwd() {
      Browser b = new Browser();
      TestServer.Response back = signInEnrollingAnAuthenticator(b, "fay");
      assertThat(decode(exchange(rp, back).get("id_token").asText())).containsEntry("acr", MFA);

      // The same MFA session; the client now asks for the password level, as an essential claim.
      TestServer.Response again = site.allowIfAsked(b, b.follow(authorizeUrl(rp, "openid",
          claims("{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\""
              + "urn:gatehouse:acr:pwd\"]}}}")), server.baseUrl()));
      Map<String, Object> idToken = decode(exchange(rp, again).get("id_token").asText());
      assertThat(idToken).containsEntry("acr", "urn:gatehouse:acr:pwd");
      assertThat(String.valueOf(idToken.get("amr"))).as("amr still says how").contains("otp");
    }

    @Test
    void authorizeWhenPasswordSessionAndEssentialMfaWithPromptNoneThenInteractionRequired() {
      Browser b = new Browser();
      assertThat(decode(tokens(b, rp, "openid", "").get("id_token").asText()))
          .containsEntry("acr", "urn:gatehouse:acr:pwd");
      TestServer.Response r = b.get(authorizeUrl(rp, "openid", "&prompt=none" + claims(
          "{\"id_token\":{\"acr\":{\"essential\":true,\"value\":\"" + MFA + "\"}}}")));
      assertThat(r.header("Location")).startsWith(HostedSignIn.REDIRECT + "?")
          .contains("error=interaction_required").contains("state=s1");
    }

    @Test
    @DisplayName("§5.5.1.1: \"If this is an Essential Claim and the requirement cannot be met, then"
        + " the Authorization Server MUST treat that outcome as a failed authentication attempt\"")
    void authorizeWhenEssentialAcrValuesAreAllUnknownThenUnmetAuthenticationRequirements() {
      TestServer.Response r = new Browser().get(authorizeUrl(rp, "openid", claims(
          "{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"urn:example:loa:4\"]}}}")));
      assertThat(r.header("Location")).startsWith(HostedSignIn.REDIRECT + "?")
          .contains("error=unmet_authentication_requirements").contains("state=s1");
    }

    @Test
    void authorizeWhenVoluntaryAcrValuesAreUnknownThenSignInGoesOn() {
      Browser b = new Browser();
      JsonNode t = tokens(b, rp, "openid", claims("{\"id_token\":{\"acr\":{\"values\":"
          + "[\"urn:example:loa:4\"]}}}"));
      assertThat(decode(t.get("id_token").asText())).containsEntry("acr",
          "urn:gatehouse:acr:pwd");
    }

    @Test
    @DisplayName("§5.5.1: a sub value gets a positive response only for that End-User")
    void authorizeWhenSubValueIsAnotherUserThenLoginRequired() {
      Browser b = new Browser();
      String sub = decode(tokens(b, rp, "openid", "").get("id_token").asText()).get("sub")
          .toString();
      TestServer.Response other = b.get(authorizeUrl(rp, "openid", claims(
          "{\"id_token\":{\"sub\":{\"value\":\"someone-else\"}}}")));
      assertThat(other.header("Location")).contains("error=login_required")
          .contains("state=s1");
      TestServer.Response same = b.get(authorizeUrl(rp, "openid", claims(
          "{\"id_token\":{\"sub\":{\"value\":\"" + sub + "\"}}}")));
      assertThat(HostedSignIn.carriesCode(same)).as("%s", same).isTrue();
    }

    @Test
    void discoveryWhenFetchedThenClaimsParameterIsSupported() {
      JsonNode d = server.get("/t/oidc/.well-known/openid-configuration").json();
      assertThat(d.path("claims_parameter_supported").asBoolean()).isTrue();
    }
  }

  @Nested
  @DisplayName("Front-Channel Logout 1.0 §2, §3")
  class FrontChannelLogout {

    @Test
    void logoutWhenClientHasFrontchannelUriThenPageFramesItWithIssAndSidThenContinues() {
      Browser b = new Browser();
      JsonNode t = tokens(b, "openid");
      String idToken = t.get("id_token").asText();
      String sid = TestServer.JSON.valueToTree(decode(idToken)).path("sid").asText();
      TestServer.Response r = b.get(site.issuer() + "/logout?id_token_hint=" + idToken
          + "&post_logout_redirect_uri=" + URLEncoder.encode(POST_LOGOUT, StandardCharsets.UTF_8)
          + "&state=st");
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      String frame = FRONTCHANNEL + "&amp;iss=" + URLEncoder.encode(site.issuer(),
          StandardCharsets.UTF_8) + "&amp;sid=" + sid;
      assertThat(r.text()).contains("<iframe class=\"logout-frame\" src=\"" + frame + "\"")
          .contains("href=\"" + POST_LOGOUT + "?state=st\"");
      assertThat(r.header("Content-Security-Policy")).contains("frame-src https://app.example.com;")
          .contains("frame-ancestors 'none'");
      // The session is over.
      assertThat(b.get(site.authorizeUrl("&prompt=none")).header("Location"))
          .contains("error=login_required");
    }

    @Test
    void discoveryWhenFetchedThenFrontchannelLogoutWithSessionIsAdvertised() {
      JsonNode d = server.get("/t/oidc/.well-known/openid-configuration").json();
      assertThat(d.path("frontchannel_logout_supported").asBoolean()).isTrue();
      assertThat(d.path("frontchannel_logout_session_supported").asBoolean()).isTrue();
    }
  }

  @Nested
  @DisplayName("OIDC Core §4 third-party-initiated login")
  class ThirdPartyInitiatedLogin {

    @Test
    void adminWhenInitiateLoginUriRegisteredThenItIsKept() {
      TestServer.Response c = server.admin("GET", "/admin/v1/tenants/oidc/clients/"
          + rp.get("client_id").asText(), null);
      assertThat(c.json().path("initiate_login_uri").asText())
          .isEqualTo("https://app.example.com/start");
      assertThat(c.json().path("frontchannel_logout_uri").asText()).isEqualTo(FRONTCHANNEL);
    }

    @Test
    void adminWhenInitiateLoginUriNotHttpsThen400() {
      TestServer.Response r = server.admin("POST", "/admin/v1/tenants/oidc/clients", Map.of(
          "name", "x", "grant_types", List.of("authorization_code"),
          "redirect_uris", List.of(HostedSignIn.REDIRECT),
          "initiate_login_uri", "ftp.example://start"));
      assertThat(r.status()).as("%s", r).isEqualTo(400);
    }
  }

  private static Map<String, Object> decode(String jwt) {
    try {
      return TestServer.JSON.readValue(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
          new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
