package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GH-07: the per-address cap on failed sign-ins had no tenant in its key and saw only the TCP
 * peer, so behind a reverse proxy failures at one tenant refused every sign-in of every tenant.
 * Now the cap counts per tenant, and the client address comes from {@code Forwarded} /
 * {@code X-Forwarded-For} only when the peer is a configured trusted proxy.
 */
class PerIpCapIsGlobalTest {

  static final int CAP = 3;

  static Map<String, String> settings(String trustedProxies) {
    Map<String, String> env = new LinkedHashMap<>(Map.of(
        "GATEHOUSE_SIGNIN_IP_THROTTLE_FAILURES", Integer.toString(CAP),
        "GATEHOUSE_SIGNIN_LOCKOUT_BASE_DELAY_MS", "0",
        "GATEHOUSE_PASSWORDS_ARGON2_MEMORY_KIB", "1024"));
    if (trustedProxies != null) {
      env.put("GATEHOUSE_SERVER_TRUSTED_PROXIES", trustedProxies);
    }
    return env;
  }

  /** A login POST from the login page {@code page}, with extra request headers. */
  static TestServer.Response login(HostedSignIn t, Browser b, TestServer.Response page,
      String username, String password, String... headers) {
    Map<String, String> form = new LinkedHashMap<>(Browser.hiddenFields(page.text()));
    form.put("username", username);
    form.put("password", password);
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(t.issuer() + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(form)));
    if (headers.length > 0) {
      r.headers(headers);
    }
    return b.send(r.build());
  }

  @Test
  void failuresWhenAtOneTenantThenAnotherTenantStillSignsIn() {
    try (TestServer server = TestServer.start(TestDatabase.H2, settings(null))) {
      HostedSignIn a = new HostedSignIn(server, "gh07a");
      HostedSignIn other = new HostedSignIn(server, "gh07b");
      other.createUser("gina");
      Browser b = new Browser();
      TestServer.Response pageA = a.go(b, a.authorizeUrl(""));
      for (int i = 0; i < CAP; i++) {
        assertThat(login(a, b, pageA, "user" + i, "wrong").status()).isEqualTo(401);
      }
      assertThat(login(a, b, pageA, "another", "wrong").status()).isEqualTo(429);
      TestServer.Response pageB = other.go(b, other.authorizeUrl(""));
      TestServer.Response ok = login(other, b, pageB, "gina", HostedSignIn.PASSWORD);
      assertThat(ok.status()).as(ok.toString()).isEqualTo(303);
    }
  }

  @Test
  void forwardedForWhenPeerIsNotATrustedProxyThenIgnored() {
    try (TestServer server = TestServer.start(TestDatabase.H2, settings(null))) {
      HostedSignIn a = new HostedSignIn(server, "gh07c");
      Browser b = new Browser();
      TestServer.Response page = a.go(b, a.authorizeUrl(""));
      for (int i = 0; i < CAP; i++) {
        login(a, b, page, "user" + i, "wrong", "X-Forwarded-For", "198.51.100." + i);
      }
      // A new forged address each time does not escape the cap.
      assertThat(login(a, b, page, "x", "wrong", "X-Forwarded-For", "198.51.100.99",
          "Forwarded", "for=198.51.100.98").status()).isEqualTo(429);
    }
  }

  @Test
  void forwardedForWhenPeerIsATrustedProxyThenTheClientAddressCounts() {
    try (TestServer server = TestServer.start(TestDatabase.H2,
        settings("10.0.0.0/8, 127.0.0.1/32, ::1/128"))) {
      HostedSignIn a = new HostedSignIn(server, "gh07d");
      Browser b = new Browser();
      TestServer.Response page = a.go(b, a.authorizeUrl(""));
      for (int i = 0; i < CAP; i++) {
        assertThat(login(a, b, page, "user" + i, "wrong", "X-Forwarded-For",
            "203.0.113.7, 10.1.2.3").status()).isEqualTo(401);
      }
      assertThat(login(a, b, page, "x", "wrong", "X-Forwarded-For", "203.0.113.7").status())
          .isEqualTo(429);
      // Another client behind the same proxy is not capped; RFC 7239 Forwarded works too.
      assertThat(login(a, b, page, "x", "wrong", "X-Forwarded-For", "203.0.113.8").status())
          .isEqualTo(401);
      assertThat(login(a, b, page, "y", "wrong", "Forwarded",
          "for=\"[2001:db8::1]:4711\";proto=https, for=10.0.0.5").status()).isEqualTo(401);
      // The events carry the client's address, not the proxy's.
      String events = server.admin("GET", "/admin/v1/tenants/gh07d/events?after=0&limit=1000",
          null).text();
      assertThat(events).contains("203.0.113.7", "203.0.113.8", "2001:db8:0:0:0:0:0:1");
    }
  }
}
