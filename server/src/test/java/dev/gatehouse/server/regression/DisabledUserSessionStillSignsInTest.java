package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GH-02, the sign-in side: an SSO session kept producing codes after its user was disabled or
 * deleted. The sign-in policy treats such a session as no session at all.
 */
class DisabledUserSessionStillSignsInTest {

  @RegisterExtension
  static final SignInNode NODE = new SignInNode();

  @Test
  void authorizeWhenUserDisabledOrDeletedThenNoCodeFromTheOldSession() {
    HostedSignIn t = new HostedSignIn(NODE.server(), "gh02");
    for (String change : new String[] {"disable", "delete"}) {
      String userId = t.createUser("henry-" + change);
      Browser b = new Browser();
      TestServer.Response first = t.allowIfAsked(b, t.signIn(b, "henry-" + change, ""));
      assertThat(HostedSignIn.carriesCode(first)).as(first.toString()).isTrue();
      // Signed in: the session alone answers the next request.
      assertThat(HostedSignIn.carriesCode(t.go(b, t.authorizeUrl("")))).isTrue();

      String path = "/admin/v1/tenants/gh02/users/" + userId;
      TestServer.Response r = change.equals("disable")
          ? NODE.server().admin("PATCH", path, Map.of("disabled", true))
          : NODE.server().admin("DELETE", path, null);
      assertThat(r.status()).as(r.toString()).isBetween(200, 204);

      TestServer.Response again = t.go(b, t.authorizeUrl(""));
      assertThat(HostedSignIn.carriesCode(again)).as(change + " " + again).isFalse();
      assertThat(again.text()).contains("<title>Sign in");
      TestServer.Response none = t.go(b, t.authorizeUrl("&prompt=none"));
      assertThat(HostedSignIn.errorOf(none)).as(change).isEqualTo("login_required");
    }
  }
}
