package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Brute-force protection over HTTP, with thresholds set through configuration. */
class LoginLockoutTest {

  @Test
  void loginWhenTooManyFailuresThenLockedEvenWithTheRightPassword() throws Exception {
    String db = TestDatabase.H2.freshUrl();
    try (TestServer server = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_DB_URL", db,
        "GATEHOUSE_SIGNIN_LOCKOUT_LOCK_AFTER", "3",
        "GATEHOUSE_SIGNIN_LOCKOUT_BASE_DELAY_MS", "0"))) {
      server.createTenant("acme");
      String redirect = "https://app.example.com/cb";
      JsonNode client = server.createClient("acme", Map.of("name", "App",
          "grant_types", List.of("authorization_code"), "redirect_uris", List.of(redirect)));
      assertThat(server.admin("POST", "/admin/v1/tenants/acme/users", Map.of("username", "erin",
          "password", "a long enough passphrase")).status()).isEqualTo(201);
      String authorize = server.issuer("acme") + "/oauth2/authorize?response_type=code"
          + "&client_id=" + client.get("client_id").asText() + "&redirect_uri="
          + URLEncoder.encode(redirect, StandardCharsets.UTF_8) + "&scope=openid"
          + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
          + "&code_challenge_method=S256";
      Browser browser = new Browser();
      TestServer.Response page = browser.follow(authorize, server.baseUrl());
      for (int i = 0; i < 3; i++) {
        TestServer.Response r = submit(browser, page, "erin", "wrong " + i);
        assertThat(r.status()).isEqualTo(401);
        page = r;
      }
      TestServer.Response locked = submit(browser, page, "erin", "a long enough passphrase");
      assertThat(locked.status()).isEqualTo(429);
      assertThat(locked.text()).contains("Too many failed attempts");
      // An unknown name locks the same way: the lock tells nothing about who exists.
      for (int i = 0; i < 3; i++) {
        page = submit(browser, page, "nobody", "x" + i);
      }
      assertThat(submit(browser, page, "nobody", "y").status()).isEqualTo(429);

      // Each failure is an event in the outbox, and so is each lock (once, when it begins); the
      // refusals during a lock are not (they cost nothing to send, so they could flood it).
      List<String> types = new java.util.ArrayList<>();
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(db);
           java.sql.ResultSet rs = c.createStatement().executeQuery(
               "select type from event_outbox where tenant_id = 'acme' order by id")) {
        while (rs.next()) {
          types.add(rs.getString(1));
        }
      }
      assertThat(types).filteredOn(t -> !t.startsWith("admin.")).containsExactly("login.failed", "login.failed", "login.failed",
          "account.locked", "login.failed", "login.failed", "login.failed", "account.locked");
    }
  }

  private static TestServer.Response submit(Browser browser, TestServer.Response page,
      String username, String password) {
    Map<String, String> form = new HashMap<>(Browser.hiddenFields(page.text()));
    form.put("username", username);
    form.put("password", password);
    return browser.post(Browser.formAction(page.text()), form);
  }
}
