package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.AuthenticatorApp;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GH-04: the throttle was read before a check and the failure counted after it, so parallel
 * requests all passed the read: 40 wrong passwords against a limit of 10 were all checked, and
 * so were 30 TOTP codes. At most {@code lock-after} checks may happen, whatever the concurrency.
 */
class ConcurrentAttemptsBypassLockoutTest {

  static final int LOCK_AFTER = 5;
  static final int PARALLEL = 40;
  @RegisterExtension
  static final SignInNode NODE = new SignInNode(Map.of(
      "GATEHOUSE_SIGNIN_LOCKOUT_LOCK_AFTER", Integer.toString(LOCK_AFTER),
      "GATEHOUSE_SIGNIN_LOCKOUT_BASE_DELAY_MS", "0"));

  /** Sends {@code PARALLEL} requests at once; their statuses. */
  static List<Integer> parallel(IntFunction<TestServer.Response> request) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<Future<Integer>> sent = new ArrayList<>();
      for (int i = 0; i < PARALLEL; i++) {
        int n = i;
        Callable<Integer> c = () -> {
          go.await();
          return request.apply(n).status();
        };
        sent.add(pool.submit(c));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : sent) {
        statuses.add(f.get());
      }
      return statuses;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void passwordsWhenSentInParallelThenAtMostLockAfterChecked() throws Exception {
    HostedSignIn t = new HostedSignIn(NODE.server(), "gh04pwd");
    t.createUser("erin");
    Browser b = new Browser();
    TestServer.Response login = t.go(b, t.authorizeUrl(""));
    Map<String, String> hidden = Browser.hiddenFields(login.text());
    List<Integer> statuses = parallel(i -> {
      Map<String, String> form = new java.util.LinkedHashMap<>(hidden);
      form.put("username", "erin");
      form.put("password", "wrong " + i);
      return b.post(t.issuer() + "/login", form);
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
    // Enrolment at the first sign-in (the policy requires a second factor).
    Browser owner = new Browser();
    TestServer.Response enrol = t.signIn(owner, "frank", "");
    java.util.regex.Matcher m = HostedSignIn.SECRET.matcher(enrol.text());
    assertThat(m.find()).as(enrol.text()).isTrue();
    byte[] key = AuthenticatorApp.base32(m.group(1));
    TestServer.Response codes = t.submit(owner, enrol, Map.of("code",
        AuthenticatorApp.totp(key, 0)));
    assertThat(codes.status()).as(codes.toString()).isEqualTo(200);

    // The attacker has the password and guesses codes in parallel.
    Browser b = new Browser();
    TestServer.Response page = t.signIn(b, "frank", "");
    assertThat(page.text()).contains("Confirm it is you");
    Map<String, String> hidden = Browser.hiddenFields(page.text());
    String now = AuthenticatorApp.totp(key, 0);
    List<Integer> statuses = parallel(i -> {
      Map<String, String> form = new java.util.LinkedHashMap<>(hidden);
      String guess = String.format("%06d", 100000 + i);
      form.put("code", guess.equals(now) ? "999999" : guess);
      return b.post(t.issuer() + "/mfa", form);
    });
    assertThat(statuses).containsOnly(401, 429);
    assertThat(statuses).filteredOn(s -> s == 401).hasSizeLessThanOrEqualTo(LOCK_AFTER);
  }
}
