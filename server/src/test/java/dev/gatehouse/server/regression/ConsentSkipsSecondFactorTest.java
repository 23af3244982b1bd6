package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GH-01: {@code POST /consent} issued a code for any session, skipping what the authorization
 * endpoint decides: the tenant's second factor, and the freshness {@code prompt=login} and
 * {@code max_age} demand. The sealed request it needs is in every login page.
 */
class ConsentSkipsSecondFactorTest {

  @RegisterExtension
  static final SignInNode NODE = new SignInNode();

  @Test
  void consentWhenPasswordOnlySessionAndTenantRequiresMfaThenNoCode() {
    HostedSignIn t = new HostedSignIn(NODE.server(), "gh01mfa");
    t.requireMfa();
    t.createUser("bob");
    Browser b = new Browser();
    TestServer.Response login = t.go(b, t.authorizeUrl(""));
    String sealed = Browser.hiddenFields(login.text()).get("ar");
    TestServer.Response enrol = t.submit(b, login, Map.of("username", "bob",
        "password", HostedSignIn.PASSWORD));
    assertThat(enrol.text()).contains("Set up an authenticator app");

    // The password alone is in the session; the consent form is posted straight away.
    TestServer.Response consent = t.post(b, login, "/consent", Map.of("ar", sealed,
        "decision", "allow"));
    TestServer.Response after = b.followFrom(consent, t.issuer() + "/consent",
        NODE.server().baseUrl());
    assertThat(HostedSignIn.carriesCode(consent)).as(consent.toString()).isFalse();
    assertThat(HostedSignIn.carriesCode(after)).as(after.toString()).isFalse();
    assertThat(after.text()).contains("Set up an authenticator app");
  }

  @Test
  void consentWhenPromptLoginAndOldSessionThenNoCodeUntilThePasswordIsGivenAgain() {
    HostedSignIn t = new HostedSignIn(NODE.server(), "gh01fresh");
    t.createUser("carol");
    Browser b = new Browser();
    TestServer.Response first = t.allowIfAsked(b, t.signIn(b, "carol", ""));
    assertThat(HostedSignIn.carriesCode(first)).as(first.toString()).isTrue();

    for (String extra : new String[] {"&prompt=login", "&max_age=0"}) {
      TestServer.Response login = t.go(b, t.authorizeUrl(extra));
      assertThat(login.text()).contains("<title>Sign in");
      TestServer.Response consent = t.post(b, login, "/consent", Map.of("ar",
          Browser.hiddenFields(login.text()).get("ar"), "decision", "allow"));
      TestServer.Response after = b.followFrom(consent, t.issuer() + "/consent",
          NODE.server().baseUrl());
      assertThat(HostedSignIn.carriesCode(consent)).as(extra + " " + consent).isFalse();
      assertThat(HostedSignIn.carriesCode(after)).as(extra + " " + after).isFalse();
      assertThat(after.text()).contains("<title>Sign in");
    }
  }
}
