package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.mfa.Totp;
import dev.gatehouse.server.testing.AuthenticatorApp;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Strong authentication over HTTP on a real node: TOTP enrolment on the account page, a step-up
 * with {@code acr_values}, the tokens' acr and amr, replay and recovery codes at sign-in, forced
 * enrolment under a required policy, the second-factor lock, and the admin API. Codes are computed
 * from the secret the page shows, as an authenticator app would (the RFC 6238 vectors and
 * oathtool check {@link Totp} itself, in TotpTest).
 */
class MfaFlowTest {

  static final String REDIRECT = "http://127.0.0.1:9/callback";
  static final String PASSWORD = "a long enough passphrase";
  static final String MFA = "urn:gatehouse:acr:mfa";
  static final Pattern SECRET = Pattern.compile("data-secret=\"([A-Z2-7]+)\"");
  static final Pattern CODES = Pattern.compile("<li><code>([a-z2-9-]{14})</code></li>");

  static TestServer server;
  static JsonNode client;
  static String tenant = "acme";

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_SIGNIN_LOCKOUT_LOCK_AFTER", "4",
        "GATEHOUSE_SIGNIN_LOCKOUT_BASE_DELAY_MS", "1"));
    server.createTenant(tenant);
    client = server.createClient(tenant, Map.of("name", "MFA App",
        "grant_types", List.of("authorization_code"), "redirect_uris", List.of(REDIRECT)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String createUser(String username) {
    TestServer.Response r = server.admin("POST", "/admin/v1/tenants/" + tenant + "/users",
        Map.of("username", username, "password", PASSWORD));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  static String authorizeUrl(String extra) {
    return server.issuer(tenant) + "/oauth2/authorize?response_type=code&scope=openid&client_id="
        + client.get("client_id").asText() + "&redirect_uri="
        + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&state=s1" + extra;
  }

  /** Follows the flow until it leaves the server or stops on a page. */
  static TestServer.Response go(Browser b, String url) {
    return b.follow(url, server.baseUrl());
  }

  static TestServer.Response submit(Browser b, TestServer.Response page, Map<String, String> in) {
    return HostedSignIn.submit(b, server.baseUrl(), page, in);
  }

  /** Submits the form whose action ends with {@code suffix}. */
  static TestServer.Response submitTo(Browser b, TestServer.Response page, String suffix,
      Map<String, String> in) {
    String html = page.text();
    int at = html.indexOf("action=\"" + server.issuer(tenant) + suffix + "\"");
    assertThat(at).as("a form posting to %s in %s", suffix, html).isPositive();
    String formHtml = html.substring(html.lastIndexOf("<form", at), html.indexOf("</form>", at));
    return submit(b, new TestServer.Response(200, Map.of(),
        formHtml.getBytes(StandardCharsets.UTF_8)), in);
  }

  /** Password sign-in from an authorization request; the answer after the password. */
  static TestServer.Response signIn(Browser b, String username, String extra) {
    TestServer.Response login = go(b, authorizeUrl(extra));
    assertThat(login.text()).contains("<title>Sign in");
    return submit(b, login, Map.of("username", username, "password", PASSWORD));
  }

  /** Allows consent if asked; returns the code from the redirect. */
  static String code(Browser b, TestServer.Response r) {
    if (r.status() == 200 && r.text().contains("Allow access")) {
      r = submit(b, r, Map.of("decision", "allow"));
    }
    assertThat(r.status()).as(r.text()).isEqualTo(302);
    String loc = r.header("Location");
    assertThat(loc).startsWith(REDIRECT);
    Matcher m = Pattern.compile("code=([^&]+)").matcher(loc);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  static JsonNode[] tokens(String code) {
    TestServer.Response t = server.postForm("/t/" + tenant + "/oauth2/token",
        "grant_type=authorization_code&code=" + code + "&redirect_uri="
            + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8),
        TestServer.basic(client.get("client_id").asText(), client.get("client_secret").asText()));
    assertThat(t.status()).as(t.toString()).isEqualTo(200);
    return new JsonNode[] {claims(t.json().get("id_token").asText()),
        claims(t.json().get("access_token").asText())};
  }

  static JsonNode claims(String jwt) {
    try {
      return TestServer.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> amr(JsonNode claims) {
    List<String> out = new ArrayList<>();
    claims.get("amr").forEach(n -> out.add(n.asText()));
    return out;
  }

  static String group(Pattern p, String html) {
    Matcher m = p.matcher(html);
    assertThat(m.find()).as("%s in %s", p, html).isTrue();
    return m.group(1);
  }

  static List<String> all(Pattern p, String html) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(html);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  static String totp(byte[] secret, long offset) {
    return AuthenticatorApp.totp(secret, offset);
  }

  static byte[] base32(String s) {
    return AuthenticatorApp.base32(s);
  }

  /** Enrols TOTP on the account page of a signed-in browser; the secret and recovery codes. */
  static Object[] enrolOnAccountPage(Browser b) {
    TestServer.Response account = go(b, server.issuer(tenant) + "/account");
    assertThat(account.text()).contains("id=\"totp-status\">Off.");
    TestServer.Response enrol = submitTo(b, account, "/account/totp", Map.of());
    String secret = group(SECRET, enrol.text());
    assertThat(enrol.text()).contains("<svg").contains("otpauth://totp/");
    byte[] key = base32(secret);
    TestServer.Response codes = submit(b, enrol, Map.of("code", totp(key, 0)));
    List<String> recovery = all(CODES, codes.text());
    assertThat(recovery).hasSize(10);
    TestServer.Response back = submit(b, codes, Map.of());
    assertThat(back.text()).contains("id=\"totp-status\">On.")
        .contains("id=\"recovery-remaining\">10 unused.");
    return new Object[] {key, recovery};
  }

  @Test
  void stepUpWhenAcrValuesAskForMfaThenSecondFactorAndTokensShowIt() throws Exception {
    String userId = createUser("alice");
    // Two browsers sign in with the password; the user has no second factor yet.
    Browser a = new Browser();
    JsonNode[] first = tokens(code(a, signIn(a, "alice", "")));
    assertThat(first[0].get("acr").asText()).isEqualTo("urn:gatehouse:acr:pwd");
    assertThat(amr(first[0])).containsExactly("pwd");
    assertThat(first[1].get("acr").asText()).isEqualTo("urn:gatehouse:acr:pwd");
    Browser b = new Browser();
    tokens(code(b, signIn(b, "alice", "")));

    // In the first, the user sets up an authenticator app; the second's session is still
    // password-only.
    Object[] enrolled = enrolOnAccountPage(a);
    byte[] key = (byte[]) enrolled[0];

    // prompt=none cannot step up.
    TestServer.Response none = go(b, authorizeUrl("&prompt=none&acr_values="
        + URLEncoder.encode(MFA, StandardCharsets.UTF_8)));
    assertThat(none.header("Location")).contains("error=interaction_required");

    TestServer.Response page = go(b, authorizeUrl("&acr_values="
        + URLEncoder.encode(MFA, StandardCharsets.UTF_8)));
    assertThat(page.text()).contains("Confirm it is you");
    TestServer.Response wrong = submitTo(b, page, "/mfa", Map.of("code",
        totp(key, 0).equals("000000") ? "111111" : "000000"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.text()).contains("role=\"alert\"");
    // The enrolment used this step; the next one (within the ±1 window) is fresh.
    JsonNode[] stepped = tokens(code(b, submitTo(b, wrong, "/mfa", Map.of("code",
        totp(key, 1)))));
    assertThat(stepped[0].get("acr").asText()).isEqualTo(MFA);
    assertThat(amr(stepped[0])).containsExactly("pwd", "otp", "mfa");
    assertThat(stepped[1].get("acr").asText()).isEqualTo(MFA);
    assertThat(amr(stepped[1])).containsExactly("pwd", "otp", "mfa");
    assertThat(stepped[0].get("auth_time").asLong())
        .isGreaterThanOrEqualTo(first[0].get("auth_time").asLong());
    assertThat(stepped[0].get("sub").asText()).isEqualTo(userId);

    // Another browser: the password is followed by the second factor (the user has one); the
    // code just used is a replay, a recovery code works once.
    Browser other = new Browser();
    TestServer.Response second = signIn(other, "alice", "");
    assertThat(second.text()).contains("Confirm it is you");
    TestServer.Response replay = submitTo(other, second, "/mfa", Map.of("code", totp(key, 1)));
    assertThat(replay.status()).isEqualTo(401);
    @SuppressWarnings("unchecked")
    String recovery = ((List<String>) enrolled[1]).get(0);
    JsonNode[] viaRecovery = tokens(code(other, submitTo(other, replay, "/mfa",
        Map.of("code", recovery))));
    assertThat(amr(viaRecovery[0])).containsExactly("pwd", "otp", "mfa");

    Browser third = new Browser();
    TestServer.Response again = submitTo(third, signIn(third, "alice", ""), "/mfa",
        Map.of("code", recovery));
    assertThat(again.status()).isEqualTo(401);

    // The admin API sees the factors and resets them.
    String factors = "/admin/v1/tenants/" + tenant + "/users/" + userId + "/factors";
    JsonNode listed = server.admin("GET", factors, null).json();
    assertThat(listed.get("totp").get("enrolled").asBoolean()).isTrue();
    assertThat(listed.get("recovery_codes_remaining").asInt()).isEqualTo(9);
    assertThat(server.admin("DELETE", factors, null).status()).isEqualTo(200);
    assertThat(server.admin("GET", factors, null).json().get("totp").get("enrolled")
        .asBoolean()).isFalse();
    // Without factors and under the optional policy, the password is enough again.
    Browser fourth = new Browser();
    assertThat(tokens(code(fourth, signIn(fourth, "alice", "")))[0].get("acr").asText())
        .isEqualTo("urn:gatehouse:acr:pwd");

    JsonNode events = server.admin("GET", "/admin/v1/tenants/" + tenant + "/events?after=0&limit=1000", null).json();
    assertThat(events.toString()).contains("mfa.enrolled", "mfa.failed", "mfa.verified",
        "mfa.recovery_code_used", "mfa.reset", "admin.user.factors_reset");
  }

  @Test
  void requiredPolicyWhenUserHasNoFactorThenEnrolmentAtSignInAndLockAfterFailures() {
    String other = "globex" + System.nanoTime() % 1000;
    server.createTenant(other);
    JsonNode c = server.createClient(other, Map.of("name", "App",
        "grant_types", List.of("authorization_code"), "redirect_uris", List.of(REDIRECT)));
    String saved = tenant;
    JsonNode savedClient = client;
    tenant = other;
    client = c;
    try {
      TestServer.Response put = server.admin("PUT", "/admin/v1/tenants/" + other
          + "/mfa-policy", Map.of("policy", "required"));
      assertThat(put.status()).as(put.toString()).isEqualTo(200);
      createUser("bob");
      Browser b = new Browser();
      TestServer.Response enrol = signIn(b, "bob", "");
      assertThat(enrol.text()).contains("Set up an authenticator app").contains("requires a"
          + " second factor");
      byte[] key = base32(group(SECRET, enrol.text()));
      TestServer.Response codes = submit(b, enrol, Map.of("code", totp(key, 0)));
      assertThat(all(CODES, codes.text())).hasSize(10);
      JsonNode[] t = tokens(code(b, submit(b, codes, Map.of())));
      assertThat(t[0].get("acr").asText()).isEqualTo(MFA);

      // Wrong codes lock the second factor (lock-after=4 here), and the lock is an event.
      Browser attacker = new Browser();
      TestServer.Response page = signIn(attacker, "bob", "");
      for (int i = 0; i < 4; i++) {
        page = submitTo(attacker, page, "/mfa", Map.of("code", "99999" + i));
        assertThat(page.status()).isEqualTo(401);
      }
      TestServer.Response locked = submitTo(attacker, page, "/mfa", Map.of("code",
          totp(key, 1)));
      assertThat(locked.status()).isEqualTo(429);
      assertThat(server.admin("GET", "/admin/v1/tenants/" + other + "/events?after=0&limit=1000", null).text())
          .contains("mfa.locked");
    } finally {
      tenant = saved;
      client = savedClient;
    }
  }

  @Test
  void secondFactorPageWhenNothingDueThenPromptLoginStillAsksForThePassword() {
    createUser("frank");
    Browser b = new Browser();
    code(b, signIn(b, "frank", ""));
    // prompt=login sends the browser to the login page with the sealed request...
    TestServer.Response login = go(b, authorizeUrl("&prompt=login"));
    assertThat(login.text()).contains("<title>Sign in");
    String sealed = Browser.hiddenFields(login.text()).get("ar");
    // ...which, taken to the second-factor page instead, must not count as a fresh sign-in.
    TestServer.Response r = go(b, server.issuer(tenant) + "/mfa?ar=" + sealed);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).contains("<title>Sign in");
  }

  @Test
  void adminApiWhenBadInputThenProblemJson() {
    String base = "/admin/v1/tenants/" + tenant;
    TestServer.Response bad = server.admin("PUT", base + "/mfa-policy", Map.of("policy",
        "sometimes"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
    assertThat(server.admin("PUT", base + "/mfa-policy", Map.of("policy", "groups")).status())
        .isEqualTo(400);
    assertThat(server.admin("PUT", base + "/mfa-policy", Map.of("policy", "optional",
        "rp_id", "example.com", "origins", List.of("https://evil.test"))).status())
        .isEqualTo(400);
    assertThat(server.admin("PUT", base + "/mfa-policy", Map.of("policy", "optional",
        "extra", 1)).status()).isEqualTo(400);
    TestServer.Response missing = server.admin("GET", base + "/users/nobody/factors", null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
    assertThat(server.admin("GET", "/admin/v1/tenants/nope/mfa-policy", null).status())
        .isEqualTo(404);
    TestServer.Response ok = server.admin("PUT", base + "/mfa-policy", Map.of("policy",
        "optional", "rp_id", "localhost", "origins", List.of(server.baseUrl())));
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    assertThat(server.admin("GET", base + "/mfa-policy", null).json().get("rp_id").asText())
        .isEqualTo("localhost");
    server.admin("PUT", base + "/mfa-policy", Map.of("policy", "optional"));
  }

  @Test
  void discoveryWhenFetchedThenAdvertisesAcrValues() {
    JsonNode d = server.get("/t/" + tenant + "/.well-known/openid-configuration").json();
    assertThat(d.get("acr_values_supported").toString()).contains("urn:gatehouse:acr:pwd",
        MFA);
  }

  @Test
  void accountPageWhenNotSignedInThenLinkToSignIn() {
    TestServer.Response r = new Browser().get(server.issuer(tenant) + "/account");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).contains("id=\"account-login\"");
    assertThat(server.get("/assets/passkey.js").text()).contains("navigator.credentials");
    assertThat(URI.create(server.issuer(tenant)).getHost()).isEqualTo("localhost");
  }
}
