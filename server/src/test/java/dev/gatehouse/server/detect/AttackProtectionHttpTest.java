package dev.gatehouse.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attack protection over HTTP: stuffing from one address gets it blocked (policy {@code block}),
 * the block refuses even the right password, admins list and clear it (problem+json for bad
 * input), the detection is an {@code anomaly.detected} event; a sign-in unlike the account's
 * history is asked for a second factor.
 */
class AttackProtectionHttpTest {

  private static final String REDIRECT = "https://app.example.com/cb";

  @Test
  void stuffingWhenPolicyBlocksThenAddressRefusedListedAndClearable() throws Exception {
    try (TestServer server = TestServer.start(TestDatabase.H2, Map.of(
        "GATEHOUSE_SERVER_TRUSTED_PROXIES", "127.0.0.0/8,::1/128",
        "GATEHOUSE_DETECT_RESPONSE", "block",
        "GATEHOUSE_SIGNIN_LOCKOUT_BASE_DELAY_MS", "0",
        "GATEHOUSE_PASSWORDS_ARGON2_MEMORY_KIB", "1024"))) {
      String authorize = setUp(server);
      Browser browser = new Browser();
      // Failures over many names from one address: after a few, the address is blocked (the
      // detectors run beside the requests, so the block lands a little after the fifth name).
      List<Integer> statuses = new java.util.ArrayList<>();
      for (int i = 0; i < 12; i++) {
        statuses.add(login(browser, server, authorize, "45.6.6.6", "curl/8.4", "leaked" + i,
            "hunter2").status());
        server.node().detection().drain();
      }
      assertThat(statuses.subList(0, 5)).containsOnly(401);
      assertThat(statuses.subList(5, 12)).containsOnly(429);
      JsonNode blocks = server.admin("GET", "/admin/v1/tenants/acme/blocks", null).json();
      assertThat(blocks.get("items").findValuesAsText("id")).contains("ip:45.6.6.6");
      // Blocked: even the right password is refused, without a check.
      assertThat(login(browser, server, authorize, "45.6.6.6", "curl/8.4", "erin",
          "a long enough passphrase").status()).isEqualTo(429);
      // Others are not.
      assertThat(login(new Browser(), server, authorize, "81.2.3.4", "Firefox/120", "erin",
          "a long enough passphrase").status()).isEqualTo(303);

      JsonNode events = server.admin("GET", "/admin/v1/tenants/acme/events?after=0&limit=1000",
          null).json();
      JsonNode anomaly = null;
      for (JsonNode e : events.get("items")) {
        if (e.get("type").asText().equals("anomaly.detected")) {
          anomaly = e.get("payload");
        }
        if (e.get("type").asText().equals("login.failed")) {
          assertThat(e.get("payload").get("ip").asText()).isEqualTo("45.6.6.6");
          assertThat(e.get("payload").get("user_agent").asText()).isEqualTo("curl/8.4");
          assertThat(e.get("payload").has("device")).isTrue();
          assertThat(e.get("payload").toString()).doesNotContain("leaked", "hunter2");
        }
      }
      assertThat(anomaly).isNotNull();
      assertThat(anomaly.get("kind").asText()).isEqualTo("credential_stuffing");
      assertThat(anomaly.get("action").asText()).isEqualTo("block");
      assertThat(anomaly.toString()).doesNotContain("leaked", "hunter2");

      assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/blocks/ip:45.6.6.6", null)
          .status()).isEqualTo(204);
      TestServer.Response again = server.admin("DELETE",
          "/admin/v1/tenants/acme/blocks/ip:45.6.6.6", null);
      assertThat(again.status()).isEqualTo(404);
      assertThat(again.header("Content-Type")).startsWith("application/problem+json");
      TestServer.Response bad = server.admin("DELETE", "/admin/v1/tenants/acme/blocks/"
          + URLEncoder.encode("<script>", StandardCharsets.UTF_8), null);
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
      assertThat(server.admin("GET", "/admin/v1/tenants/nope/blocks", null).status())
          .isEqualTo(404);
      assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/blocks", null).json()
          .get("cleared").asInt()).isGreaterThanOrEqualTo(0);
      assertThat(login(browser, server, authorize, "45.6.6.6", "curl/8.4", "erin",
          "a long enough passphrase").status()).isEqualTo(303);
    }
  }

  @Test
  void signInWhenUnlikeTheAccountsHistoryThenSecondFactorOwed() throws Exception {
    try (TestServer server = TestServer.start(TestDatabase.H2, Map.of(
        "GATEHOUSE_SERVER_TRUSTED_PROXIES", "127.0.0.0/8,::1/128",
        "GATEHOUSE_DETECT_STEP_UP_SCORE", "1.5",
        // Six sign-ins in a few seconds make the history: learned at once, not an hour later
        // (holding sign-ins back is RiskModelTest's).
        "GATEHOUSE_DETECT_LEARN_AFTER_SECONDS", "0",
        "GATEHOUSE_PASSWORDS_ARGON2_MEMORY_KIB", "1024"))) {
      String authorize = setUp(server);
      Browser home = new Browser();
      for (int i = 0; i < 6; i++) {
        TestServer.Response r = login(home, server, authorize, "81.2.3.4", "Firefox/120", "erin",
            "a long enough passphrase");
        assertThat(r.status()).isEqualTo(303);
        server.node().detection().drain();
      }
      // Another device, network and browser: the risk score steps up.
      Browser stranger = new Browser();
      TestServer.Response r = login(stranger, server, authorize, "45.3.3.3", "curl/8.4", "erin",
          "a long enough passphrase");
      assertThat(r.status()).isEqualTo(303);
      TestServer.Response resumed = stranger.get(URI.create(server.issuer("acme") + "/login")
          .resolve(r.header("Location")).toString());
      assertThat(resumed.status()).isEqualTo(302);
      assertThat(resumed.header("Location")).contains("/mfa").doesNotContain("code=");
      // The same password from home is not asked for more.
      TestServer.Response usual = login(home, server, authorize, "81.2.3.4", "Firefox/120",
          "erin", "a long enough passphrase");
      TestServer.Response fine = home.get(URI.create(server.issuer("acme") + "/login")
          .resolve(usual.header("Location")).toString());
      assertThat(String.valueOf(fine.header("Location"))).doesNotContain("/mfa");
      server.node().detection().drain();
      JsonNode events = server.admin("GET", "/admin/v1/tenants/acme/events?after=0&limit=1000",
          null).json();
      assertThat(events.get("items").findValuesAsText("type")).contains("risk.assessed");
    }
  }

  private static String setUp(TestServer server) {
    server.createTenant("acme");
    JsonNode client = server.createClient("acme", Map.of("name", "App",
        "grant_types", List.of("authorization_code"), "redirect_uris", List.of(REDIRECT)));
    assertThat(server.admin("POST", "/admin/v1/tenants/acme/users", Map.of("username", "erin",
        "password", "a long enough passphrase")).status()).isEqualTo(201);
    return server.issuer("acme") + "/oauth2/authorize?response_type=code"
        + "&client_id=" + client.get("client_id").asText() + "&redirect_uri="
        + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&scope=openid"
        + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        + "&code_challenge_method=S256&prompt=login";
  }

  /** The login form of a fresh authorization, posted from {@code ip} with {@code ua}. */
  private static TestServer.Response login(Browser browser, TestServer server, String authorize,
      String ip, String ua, String username, String password) {
    TestServer.Response page = browser.follow(authorize, server.baseUrl());
    Map<String, String> form = new HashMap<>(Browser.hiddenFields(page.text()));
    form.put("username", username);
    form.put("password", password);
    return browser.send(HttpRequest.newBuilder(URI.create(Browser.formAction(page.text())))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Forwarded-For", ip).header("User-Agent", ua)
        .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(form))).build());
  }
}
