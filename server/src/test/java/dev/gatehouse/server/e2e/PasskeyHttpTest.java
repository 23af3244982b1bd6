package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.SoftwareAuthenticator;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The passkey endpoints over HTTP with a {@link SoftwareAuthenticator} (no browser): registration
 * on the account page, a passkey as the second factor after a password, username-less sign-in,
 * clone detection, re-authentication before a change, and signing in to the account page. The
 * browser path of the same ceremonies is {@link PasskeySeleniumTest}.
 */
class PasskeyHttpTest {

  static final String REDIRECT = "http://127.0.0.1:9/callback";
  static final String PASSWORD = "a long enough passphrase";

  TestServer server;
  JsonNode client;
  String issuer;

  TestServer.Response go(Browser b, String url) {
    return b.follow(url, server.baseUrl());
  }

  /** Submits the form posting to {@code issuer + suffix}: its hidden fields, then {@code in}. */
  TestServer.Response submitTo(Browser b, TestServer.Response page, String suffix,
      Map<String, String> in) {
    String html = page.text();
    int at = html.indexOf("action=\"" + issuer + suffix + "\"");
    assertThat(at).as("a form posting to %s in %s", suffix, html).isPositive();
    String form = html.substring(html.lastIndexOf("<form", at), html.indexOf("</form>", at));
    Map<String, String> fields = new LinkedHashMap<>(Browser.hiddenFields(form));
    fields.putAll(in);
    return b.followFrom(b.post(issuer + suffix, fields), issuer + suffix, server.baseUrl());
  }

  static String attr(String html, String name) {
    Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(html);
    assertThat(m.find()).as("%s in %s", name, html).isTrue();
    return m.group(1);
  }

  String authorize() {
    return issuer + "/oauth2/authorize?response_type=code&scope=openid&client_id="
        + client.get("client_id").asText() + "&redirect_uri="
        + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
  }

  TestServer.Response password(Browser b) {
    TestServer.Response login = go(b, authorize());
    return submitTo(b, login, "/login", Map.of("username", "dave", "password", PASSWORD));
  }

  List<String> amr(Browser b, TestServer.Response r) {
    if (r.status() == 200 && r.text().contains("Allow access")) {
      r = submitTo(b, r, "/consent", Map.of("decision", "allow"));
    }
    assertThat(r.status()).as(r.text()).isEqualTo(302);
    Matcher m = Pattern.compile("code=([^&]+)").matcher(r.header("Location"));
    assertThat(m.find()).isTrue();
    TestServer.Response t = server.postForm("/t/acme/oauth2/token", "grant_type="
        + "authorization_code&code=" + m.group(1) + "&redirect_uri="
        + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8),
        TestServer.basic(client.get("client_id").asText(), client.get("client_secret").asText()));
    assertThat(t.status()).as(t.toString()).isEqualTo(200);
    JsonNode id = MfaFlowTest.claims(t.json().get("id_token").asText());
    List<String> out = new ArrayList<>();
    id.get("amr").forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void passkeyWhenRegisteredThenSecondFactorAndUsernamelessSignInAndCloneRefused()
      throws Exception {
    String db = TestDatabase.H2.freshUrl();
    try (TestServer s = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_DB_URL", db))) {
      server = s;
      server.createTenant("acme");
      issuer = server.issuer("acme");
      client = server.createClient("acme", Map.of("name", "App",
          "grant_types", List.of("authorization_code"), "redirect_uris", List.of(REDIRECT)));
      String userId = server.admin("POST", "/admin/v1/tenants/acme/users", Map.of("username",
          "dave", "password", PASSWORD)).json().get("id").asText();
      SoftwareAuthenticator key = new SoftwareAuthenticator("localhost", server.baseUrl());

      // Register on the account page after a password sign-in.
      Browser a = new Browser();
      assertThat(amr(a, password(a))).containsExactly("pwd");
      TestServer.Response account = go(a, issuer + "/account");
      String challenge = attr(account.text(), "data-challenge");
      assertThat(attr(account.text(), "data-rp-id")).isEqualTo("localhost");
      key.counter = 1;
      TestServer.Response added = submitTo(a, account, "/account/passkeys", Map.of(
          "credential", key.create(challenge), "name", "Key A"));
      assertThat(added.status()).as(added.text()).isEqualTo(200);
      assertThat(added.text()).contains("Key A").contains("class=\"passkey-name\"");
      // The same challenge again: refused (single use).
      TestServer.Response again = submitTo(a, added, "/account/passkeys", Map.of(
          "challenge", challenge, "credential", key.create(challenge), "name", "Again"));
      assertThat(again.status()).isEqualTo(400);

      // After a password, the passkey is the second factor.
      Browser b = new Browser();
      TestServer.Response second = password(b);
      assertThat(second.text()).contains("Confirm it is you").contains(key.credentialIdB64());
      key.counter = 2;
      TestServer.Response done = submitTo(b, second, "/mfa/passkey", Map.of("credential",
          key.get(attr(second.text().substring(second.text().indexOf("data-passkey")),
              "data-challenge"), userId)));
      assertThat(amr(b, done)).containsExactly("pwd", "hwk", "user", "mfa");

      // Username-less: the passkey alone, from the login page.
      Browser c = new Browser();
      TestServer.Response login = go(c, authorize());
      assertThat(login.text()).contains("autocomplete=\"username webauthn\"");
      key.counter = 3;
      TestServer.Response signedIn = submitTo(c, login, "/passkey/login", Map.of("credential",
          key.get(attr(login.text().substring(login.text().indexOf("data-passkey")),
              "data-challenge"), userId)));
      assertThat(amr(c, signedIn)).containsExactly("hwk", "user", "mfa");

      // A counter that goes back: a cloned authenticator is suspected; refused and recorded.
      Browser d = new Browser();
      TestServer.Response login2 = go(d, authorize());
      key.counter = 2;
      TestServer.Response cloned = submitTo(d, login2, "/passkey/login", Map.of("credential",
          key.get(attr(login2.text().substring(login2.text().indexOf("data-passkey")),
              "data-challenge"), userId)));
      assertThat(cloned.status()).isEqualTo(401);
      assertThat(cloned.text()).contains("role=\"alert\"").contains("copied");
      assertThat(server.admin("GET", "/admin/v1/tenants/acme/events?after=0&limit=1000", null)
          .text()).contains("mfa.passkey_clone_suspected");

      // A change needs a recent sign-in: age the session, and the password is asked for again.
      try (Connection conn = DriverManager.getConnection(db)) {
        conn.createStatement().executeUpdate("update sso_session set auth_time = auth_time"
            + " - 3600");
      }
      TestServer.Response reauth = submitTo(a, go(a, issuer + "/account"),
          "/account/recovery-codes", Map.of());
      assertThat(reauth.text()).contains("Confirm your password");
      assertThat(submitTo(a, reauth, "/account/reauth", Map.of("password", "wrong")).status())
          .isEqualTo(401);
      TestServer.Response back = submitTo(a, reauth, "/account/reauth", Map.of("password",
          PASSWORD));
      assertThat(back.text()).contains("Your account");
      TestServer.Response codes = submitTo(a, back, "/account/recovery-codes", Map.of());
      List<String> recovery = new ArrayList<>();
      Matcher m = Pattern.compile("<li><code>([a-z2-9-]{14})</code></li>").matcher(codes.text());
      while (m.find()) {
        recovery.add(m.group(1));
      }
      assertThat(recovery).hasSize(10);

      // Signing in to the account page directly: password, then the second factor.
      Browser e = new Browser();
      TestServer.Response signInFirst = go(e, issuer + "/account");
      assertThat(signInFirst.text()).contains("id=\"account-login\"");
      TestServer.Response loginPage = go(e, issuer + "/login?next=account");
      TestServer.Response mfa = submitTo(e, loginPage, "/login", Map.of("username", "dave",
          "password", PASSWORD));
      assertThat(mfa.text()).contains("Confirm it is you");
      TestServer.Response mine = submitTo(e, mfa, "/mfa", Map.of("code", recovery.get(0)));
      assertThat(mine.text()).contains("id=\"account-username\">dave");
      TestServer.Response removed = submitTo(e, mine, "/account/passkeys/remove", Map.of());
      assertThat(removed.text()).contains("Passkey removed.").contains("No passkeys yet.");
    }
  }
}
