package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.AuthenticatorApp;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The steps of sign-in (login, second factor, consent) only record their result; the code comes
 * from the one decision re-run at resume. So posting the steps in any order, from any state,
 * never yields a code until everything owed is done; a consent answer counts only in the session
 * and for the request it was asked for; and a deny is {@code access_denied}.
 */
class SignInStepsTest {

  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_PASSWORDS_ARGON2_MEMORY_KIB",
        "1024", "GATEHOUSE_SIGNIN_LOCKOUT_LOCK_AFTER", "1000"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Every step endpoint, posted with what the browser has: none of them may answer a code. */
  static List<TestServer.Response> everyStep(HostedSignIn t, Browser b, TestServer.Response page,
      String sealed, String code) {
    List<TestServer.Response> answers = new ArrayList<>();
    Map<String, Map<String, String>> steps = new LinkedHashMap<>();
    steps.put("/consent", Map.of("ar", sealed, "decision", "allow"));
    steps.put("/mfa", Map.of("ar", sealed, "code", code));
    steps.put("/mfa/enrol", Map.of("ar", sealed, "code", code));
    steps.put("/mfa/passkey", Map.of("ar", sealed, "challenge", "x", "credential", "{}"));
    steps.put("/passkey/login", Map.of("ar", sealed, "challenge", "x", "credential", "{}"));
    steps.put("/login", Map.of("ar", sealed, "username", "nobody", "password", "wrong"));
    steps.forEach((path, form) -> {
      TestServer.Response r = t.post(b, page, path, form);
      answers.add(r);
      answers.add(b.followFrom(r, t.issuer() + path, server.baseUrl()));
    });
    answers.add(t.go(b, t.issuer() + "/oauth2/authorize/resume?ar=" + sealed));
    return answers;
  }

  static void assertNoCode(String when, List<TestServer.Response> answers) {
    for (TestServer.Response r : answers) {
      assertThat(HostedSignIn.carriesCode(r)).as("%s: %s %s", when, r.status(),
          r.header("Location")).isFalse();
      assertThat(r.status()).as("%s: %s", when, r).isLessThan(500);
    }
  }

  @Test
  void stepsWhenPostedOutOfOrderThenNoCodeInAnyAnswer() {
    HostedSignIn t = new HostedSignIn(server, "steps");
    t.requireMfa();
    t.createUser("ivan");
    byte[] key = t.enrolAtSignIn(new Browser(), "ivan");

    // No session at all.
    Browser b = new Browser();
    TestServer.Response login = t.go(b, t.authorizeUrl(""));
    String sealed = Browser.hiddenFields(login.text()).get("ar");
    assertNoCode("no session", everyStep(t, b, login, sealed, "123456"));

    // The password only: the second factor is owed.
    TestServer.Response mfa = t.submit(b, login, Map.of("username", "ivan",
        "password", HostedSignIn.PASSWORD));
    assertThat(mfa.text()).contains("Confirm it is you");
    String afterPassword = Browser.hiddenFields(mfa.text()).get("ar");
    assertNoCode("password only", everyStep(t, b, mfa, afterPassword, "123456"));
    assertNoCode("password only, the login page's request", everyStep(t, b, mfa, sealed,
        "123456"));

    // Both factors: only consent is owed, and only the consent page's form ends it.
    TestServer.Response consent = t.submit(b, mfa, Map.of("code",
        AuthenticatorApp.totp(key, 1)));
    assertThat(consent.text()).contains("Allow access");
    String consentAr = Browser.hiddenFields(consent.text()).get("ar");
    assertNoCode("consent owed, no binding", List.of(
        t.post(b, consent, "/consent", Map.of("ar", consentAr, "decision", "allow")),
        t.post(b, consent, "/consent", Map.of("ar", consentAr, "decision", "allow",
            "consent", "forged"))));
    TestServer.Response code = t.allowIfAsked(b, consent);
    assertThat(HostedSignIn.carriesCode(code)).as(code.toString()).isTrue();

    // prompt=login in a session with both factors: a second factor alone is no new sign-in.
    TestServer.Response again = t.go(b, t.authorizeUrl("&prompt=login"));
    assertThat(again.text()).contains("<title>Sign in");
    String fresh = Browser.hiddenFields(again.text()).get("ar");
    assertNoCode("prompt=login", everyStep(t, b, again, fresh, AuthenticatorApp.totp(key, 0)));
  }

  @Test
  void consentWhenDeniedThenAccessDeniedAndNoCode() {
    HostedSignIn t = new HostedSignIn(server, "deny");
    t.createUser("judy");
    Browser b = new Browser();
    TestServer.Response consent = t.signIn(b, "judy", "");
    assertThat(consent.text()).contains("Allow access");
    TestServer.Response denied = t.submit(b, consent, Map.of("decision", "deny"));
    assertThat(HostedSignIn.carriesCode(denied)).isFalse();
    assertThat(HostedSignIn.errorOf(denied)).isEqualTo("access_denied");
    assertThat(denied.header("Location")).startsWith(HostedSignIn.REDIRECT).contains("state=s1");
    // Nothing was granted: the next request asks again.
    assertThat(t.go(b, t.authorizeUrl("")).text()).contains("Allow access");
  }

  @Test
  void consentWhenFormCameFromAnotherSessionThenNotAccepted() {
    HostedSignIn t = new HostedSignIn(server, "bound");
    t.createUser("kim");
    t.createUser("leo");
    Browser kim = new Browser();
    TestServer.Response kimConsent = t.signIn(kim, "kim", "");
    Browser leo = new Browser();
    TestServer.Response leoConsent = t.signIn(leo, "leo", "");
    assertThat(leoConsent.text()).contains("Allow access");
    // Leo's browser posts the consent form Kim's page carried (with Leo's CSRF token).
    Map<String, String> form = new LinkedHashMap<>(Browser.hiddenFields(kimConsent.text()));
    form.put("csrf", Browser.hiddenFields(leoConsent.text()).get("csrf"));
    form.put("decision", "allow");
    TestServer.Response r = leo.post(t.issuer() + "/consent", form);
    TestServer.Response after = leo.followFrom(r, t.issuer() + "/consent", server.baseUrl());
    assertThat(HostedSignIn.carriesCode(r)).isFalse();
    assertThat(HostedSignIn.carriesCode(after)).isFalse();
    assertThat(after.text()).contains("Allow access");
  }
}
