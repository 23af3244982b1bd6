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
    String clientId = rp.get("client_id").asText();
    String url = site.authorizeUrl("").replace("client_id=" + site.clientId(),
        "client_id=" + clientId).replace("scope=openid", "scope="
        + URLEncoder.encode(scope, StandardCharsets.UTF_8));
    TestServer.Response back = HostedSignIn.walkToClient(b, server.baseUrl(),
        b.follow(url, server.baseUrl()), "carol", HostedSignIn.PASSWORD);
    String location = back.header("Location");
    String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
    TestServer.Response t = server.postForm("/t/oidc/oauth2/token", "grant_type="
        + "authorization_code&code=" + code + "&redirect_uri=" + URLEncoder.encode(
            HostedSignIn.REDIRECT, StandardCharsets.UTF_8) + "&code_verifier=" + VERIFIER,
        TestServer.basic(clientId, rp.get("client_secret").asText()));
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
