package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.AuthenticatorApp;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.Burst;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GH-04: the throttle was read before a check and the failure counted after it, so parallel
 * requests all passed the read: 40 wrong passwords against a limit of 10 were all checked, and
 * so were 30 TOTP codes. At most {@code lock-after} checks may happen, whatever the concurrency.
 */
class ConcurrentAttemptsBypassLockoutTest {

  static final int LOCK_AFTER = 3;
  static final int PARALLEL = 40;
  @RegisterExtension
  static final SignInNode NODE = new SignInNode(Map.of(
      "GATEHOUSE_SIGNIN_LOCKOUT_LOCK_AFTER", Integer.toString(LOCK_AFTER),
      "GATEHOUSE_SIGNIN_LOCKOUT_BASE_DELAY_MS", "0"));

  @Test
  void passwordsWhenSentInParallelThenAtMostLockAfterChecked() throws Exception {
    HostedSignIn t = new HostedSignIn(NODE.server(), "gh04pwd");
    t.createUser("erin");
    Browser b = new Browser();
    TestServer.Response login = t.go(b, t.authorizeUrl(""));
    Map<String, String> hidden = Browser.hiddenFields(login.text());
    List<Integer> statuses = Burst.post(b, t.issuer() + "/login", PARALLEL, i -> {
      Map<String, String> form = new LinkedHashMap<>(hidden);
      form.put("username", "erin");
      form.put("password", "wrong " + i);
      return form;
    });
    // 401: the password was checked and was wrong; 429: refused without a check.
    assertThat(statuses).containsOnly(401, 429);
    assertThat(statuses).filteredOn(s -> s == 401).hasSizeLessThanOrEqualTo(LOCK_AFTER);
    TestServer.Response right = t.submit(b, login, Map.of("username", "erin",
        "password", HostedSignIn.PASSWORD));
    assertThat(right.status()).isEqualTo(429);
  }

  @Test
  void totpCodesWhenSentInParallelThenAtMostLockAfterChecked() throws Exception {
    HostedSignIn t = new HostedSignIn(NODE.server(), "gh04otp");
    t.requireMfa();
    t.createUser("frank");
    byte[] key = t.enrolAtSignIn(new Browser(), "frank");

    // The attacker has the password and guesses codes in parallel.
    Browser b = new Browser();
    TestServer.Response page = t.signIn(b, "frank", "");
    assertThat(page.text()).contains("Confirm it is you");
    Map<String, String> hidden = Browser.hiddenFields(page.text());
    String now = AuthenticatorApp.totp(key, 0);
    List<Integer> statuses = Burst.post(b, t.issuer() + "/mfa", PARALLEL, i -> {
      Map<String, String> form = new LinkedHashMap<>(hidden);
      String guess = String.format("%06d", 100000 + i);
      form.put("code", guess.equals(now) ? "999999" : guess);
      return form;
    });
    assertThat(statuses).containsOnly(401, 429);
    assertThat(statuses).filteredOn(s -> s == 401).hasSizeLessThanOrEqualTo(LOCK_AFTER);
  }
}
