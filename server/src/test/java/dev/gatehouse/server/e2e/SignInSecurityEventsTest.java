package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every sign-in security event lands in {@code event_outbox} with its stable type and details,
 * driven through the real pages and token endpoint: login succeeded and failed, account locked,
 * address throttled, CSRF refused, consent granted, code replayed (with the tokens it revoked),
 * refresh token reused (family revoked), session ended by logout and by the admin API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignInSecurityEventsTest {

  static final String REDIRECT = "https://app.example.com/cb";
  static final String POST_LOGOUT = "https://app.example.com/bye";
  static final String PASSWORD = "correct horse battery staple";
  /** RFC 7636 Appendix B. */
  static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

  private final String db = TestDatabase.H2.freshUrl();
  private TestServer server;
  private String clientId;
  private String basic;
  private String userId;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_DB_URL", db,
        "GATEHOUSE_SIGNIN_LOCKOUT_LOCK_AFTER", "2",
        "GATEHOUSE_SIGNIN_LOCKOUT_BASE_DELAY_MS", "0",
        "GATEHOUSE_SIGNIN_IP_THROTTLE_FAILURES", "5"));
    server.createTenant("acme");
    JsonNode client = server.createClient("acme", Map.of("name", "Web App",
        "grant_types", List.of("authorization_code", "refresh_token"),
        "redirect_uris", List.of(REDIRECT), "post_logout_redirect_uris", List.of(POST_LOGOUT)));
    clientId = client.get("client_id").asText();
    basic = TestServer.basic(clientId, client.get("client_secret").asText());
    TestServer.Response user = server.admin("POST", "/admin/v1/tenants/acme/users",
        Map.of("username", "alice", "password", PASSWORD));
    assertThat(user.status()).isEqualTo(201);
    userId = user.json().get("id").asText();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** The outbox events of tenant acme of {@code type}, oldest first, as JSON payloads. */
  private List<JsonNode> events(String type) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db);
         var ps = c.prepareStatement("select payload from event_outbox where tenant_id = 'acme'"
             + " and type = ? order by id")) {
      ps.setString(1, type);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(TestServer.JSON.readTree(rs.getString(1)));
        }
      }
    }
    return out;
  }

  private String authorize(String scope) {
    return server.issuer("acme") + "/oauth2/authorize?response_type=code&client_id=" + clientId
        + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&scope="
        + URLEncoder.encode(scope, StandardCharsets.UTF_8) + "&code_challenge=" + CHALLENGE
        + "&code_challenge_method=S256&state=s";
  }

  /** Walks login and consent as needed; the code sent back to the client. */
  private String code(Browser browser, String scope) {
    TestServer.Response r = browser.follow(authorize(scope), server.baseUrl());
    for (int step = 0; step < 3 && r.status() == 200; step++) {
      Map<String, String> form = new HashMap<>(Browser.hiddenFields(r.text()));
      String action = Browser.formAction(r.text());
      if (r.text().contains("name=\"password\"")) {
        form.put("username", "alice");
        form.put("password", PASSWORD);
      } else {
        form.put("decision", "allow");
      }
      r = browser.followFrom(browser.post(action, form), action, server.baseUrl());
    }
    String location = r.header("Location");
    assertThat(location).as("%s", r).startsWith(REDIRECT);
    String query = URI.create(location).getRawQuery();
    for (String p : query.split("&")) {
      if (p.startsWith("code=")) {
        return URLDecoder.decode(p.substring(5), StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no code in " + location);
  }

  private TestServer.Response exchange(String code) {
    return server.postForm("/t/acme/oauth2/token", "grant_type=authorization_code&code=" + code
        + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
        + "&code_verifier=" + VERIFIER, basic);
  }

  private TestServer.Response refresh(String token) {
    return server.postForm("/t/acme/oauth2/token", "grant_type=refresh_token&refresh_token="
        + URLEncoder.encode(token, StandardCharsets.UTF_8), basic);
  }

  @Test
  @Order(1)
  void signInWhenPasswordAndConsentThenLoginSucceededAndConsentGranted() throws Exception {
    assertThat(exchange(code(new Browser(), "openid offline_access")).status()).isEqualTo(200);
    JsonNode login = events("login.succeeded").get(0);
    assertThat(login.get("user_id").asText()).isEqualTo(userId);
    assertThat(login.get("client_id").asText()).isEqualTo(clientId);
    assertThat(login.get("sid").asText()).isNotBlank();
    assertThat(login.get("ip").asText()).isNotBlank();
    JsonNode consent = events("consent.granted").get(0);
    assertThat(consent.get("user_id").asText()).isEqualTo(userId);
    assertThat(consent.get("scope").asText()).isEqualTo("openid offline_access");
  }

  @Test
  @Order(2)
  void codeWhenReplayedThenCodeReplayedNamesTheRevokedTokens() throws Exception {
    String code = code(new Browser(), "openid offline_access");
    JsonNode tokens = exchange(code).json();
    assertThat(exchange(code).status()).isEqualTo(400);
    List<JsonNode> replayed = events("code.replayed");
    assertThat(replayed).hasSize(1);
    assertThat(replayed.get(0).get("client_id").asText()).isEqualTo(clientId);
    String jti = TestServer.JSON.readTree(java.util.Base64.getUrlDecoder().decode(
        tokens.get("access_token").asText().split("\\.")[1])).get("jti").asText();
    assertThat(replayed.get(0).get("revoked_access_token").asText()).contains(jti);
    assertThat(replayed.get(0).get("revoked_refresh_family").asText()).isNotBlank();
    // The refresh token issued from the replayed code is dead.
    assertThat(refresh(tokens.get("refresh_token").asText()).status()).isEqualTo(400);
  }

  @Test
  @Order(3)
  void refreshTokenWhenReusedThenRefreshReusedWithTheFamily() throws Exception {
    JsonNode tokens = exchange(code(new Browser(), "openid offline_access")).json();
    String first = tokens.get("refresh_token").asText();
    assertThat(refresh(first).status()).isEqualTo(200);
    assertThat(refresh(first).status()).isEqualTo(400);
    List<JsonNode> reused = events("refresh.reused");
    assertThat(reused).hasSize(1);
    assertThat(reused.get(0).get("user_id").asText()).isEqualTo(userId);
    assertThat(reused.get(0).get("family_id").asText()).isNotBlank();
    // Both tokens of the family (the rotated one and its successor) are marked revoked.
    assertThat(reused.get(0).get("revoked").asInt()).isEqualTo(2);
  }

  @Test
  @Order(4)
  void sessionWhenLogoutOrAdminRevokeThenSessionEndedWithTheReason() throws Exception {
    Browser browser = new Browser();
    exchange(code(browser, "openid"));
    TestServer.Response confirm = browser.get(server.issuer("acme") + "/logout?client_id="
        + clientId + "&post_logout_redirect_uri=" + URLEncoder.encode(POST_LOGOUT,
            StandardCharsets.UTF_8));
    Map<String, String> form = new HashMap<>(Browser.hiddenFields(confirm.text()));
    form.put("confirm", "yes");
    assertThat(browser.post(Browser.formAction(confirm.text()), form).status()).isEqualTo(303);

    Browser other = new Browser();
    exchange(code(other, "openid"));
    JsonNode sessions = server.admin("GET", "/admin/v1/tenants/acme/sessions?user=" + userId,
        null).json().get("items");
    for (JsonNode s : sessions) {
      assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/sessions/"
          + s.get("sid").asText(), null).status()).isEqualTo(204);
    }
    List<JsonNode> ended = events("session.ended");
    assertThat(ended).extracting(e -> e.get("reason").asText()).startsWith("logout")
        .contains("admin");
    assertThat(ended).allSatisfy(e -> assertThat(e.get("user_id").asText()).isEqualTo(userId));
  }

  @Test
  @Order(5)
  void formWhenCsrfTokenMissingThenCsrfRefused() throws Exception {
    Browser browser = new Browser();
    TestServer.Response page = browser.follow(authorize("openid"), server.baseUrl());
    Map<String, String> form = new HashMap<>(Browser.hiddenFields(page.text()));
    form.remove("csrf");
    form.put("username", "alice");
    form.put("password", PASSWORD);
    assertThat(browser.post(Browser.formAction(page.text()), form).status()).isEqualTo(403);
    assertThat(events("csrf.refused")).hasSize(1);
  }

  @Test
  @Order(6)
  void failuresWhenRepeatedThenLoginFailedAccountLockedAndIpThrottledOnce() throws Exception {
    Browser browser = new Browser();
    TestServer.Response page = browser.follow(authorize("openid"), server.baseUrl());
    List<Integer> statuses = new ArrayList<>();
    // Two failures lock "bob"; three more (other names) reach the address cap of five.
    for (String name : List.of("bob", "bob", "carol", "dave", "erin", "frank")) {
      Map<String, String> form = new HashMap<>(Browser.hiddenFields(page.text()));
      form.put("username", name);
      form.put("password", "wrong");
      page = browser.post(Browser.formAction(page.text()), form);
      statuses.add(page.status());
    }
    assertThat(statuses).containsExactly(401, 401, 401, 401, 401, 429);
    List<JsonNode> failed = events("login.failed");
    assertThat(failed).hasSize(5);
    assertThat(failed.get(0).get("username_hash").asText())
        .isEqualTo(failed.get(1).get("username_hash").asText())
        .isNotEqualTo(failed.get(2).get("username_hash").asText())
        .doesNotContain("bob");
    List<JsonNode> locked = events("account.locked");
    assertThat(locked).hasSize(1);
    assertThat(locked.get(0).get("username_hash").asText())
        .isEqualTo(failed.get(0).get("username_hash").asText());
    assertThat(events("ip.throttled")).hasSize(1);
  }
}
