package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two nodes on one database and no Redis (so no invalidation bus): each keeps its own copy of the
 * revocation list, so introspecting JWTs costs the database nothing per token, and a revocation
 * through one node reaches the other by the copy's poll, well before the five seconds its cache of
 * "not revoked" answers used to hide it for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationListAcrossNodesTest {

  /** Below the 5 s a node used to cache "not revoked", above a poll (1 s) on a loaded machine. */
  private static final long PROPAGATION_LIMIT_MS = 3_500;

  private TestServer a;
  private TestServer b;
  private JsonNode service;
  private JsonNode resourceServer;

  @BeforeAll
  void start() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    Map<String, String> shared = Map.of(
        "GATEHOUSE_DB_URL", TestDatabase.H2.freshUrl(),
        "GATEHOUSE_MASTER_KEY", Base64.getEncoder().encodeToString(key),
        "GATEHOUSE_SERVER_BASE_URL", "https://login.cluster.test");
    a = TestServer.start(TestDatabase.H2, shared);
    b = TestServer.start(TestDatabase.H2, shared);
    a.createTenant("acme");
    resourceServer = a.createClient("acme", Map.of("name", "api"));
    service = a.createClient("acme", Map.of("name", "billing",
        "audience", List.of(resourceServer.get("client_id").asText())));
  }

  @AfterAll
  void stop() {
    for (TestServer node : new TestServer[] {a, b}) {
      if (node != null) {
        node.close();
      }
    }
  }

  private String issueAt(TestServer node) {
    TestServer.Response r = node.postForm("/t/acme/oauth2/token", "grant_type=client_credentials",
        Rfc7662IntrospectionTest.basic(service));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("access_token").asText();
  }

  private boolean activeAt(TestServer node, String token) {
    TestServer.Response r = node.postForm("/t/acme/oauth2/introspect",
        "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
        Rfc7662IntrospectionTest.basic(resourceServer));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("active").asBoolean();
  }

  /** Connections the node has taken from its pool so far (HikariCP's acquisition count). */
  private static double connectionsTaken(TestServer node) {
    Matcher m = Pattern.compile("(?m)^hikaricp_connections_acquire_seconds_count\\{[^}]*"
        + "pool=\"gatehouse\"[^}]*} ([0-9.Ee+]+)$").matcher(node.scrape());
    assertThat(m.find()).as("the pool's acquisition count in /metrics").isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void introspectWhenManyJwtsIssuedElsewhereThenTheirRevocationIsNotAskedOfTheDatabase() {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      tokens.add(issueAt(a));
    }
    // Warm what b reads once: the introspecting client, the tenant, its key, the list's copy.
    assertThat(activeAt(b, issueAt(a))).isTrue();

    double before = connectionsTaken(b);
    for (String token : tokens) {
      assertThat(activeAt(b, token)).isTrue();
    }
    double taken = connectionsTaken(b) - before;

    // The copy's polls (one a second) take a few; one read per token would take 40.
    assertThat(taken).as("connections taken for 40 introspections").isLessThan(10);
  }

  @Test
  void introspectWhenRevokedThroughTheOtherNodeWithoutABusThenInactiveWithinAPoll()
      throws InterruptedException {
    String token = issueAt(a);
    assertThat(activeAt(b, token)).as("b has seen it active").isTrue();

    TestServer.Response revoked = a.postForm("/t/acme/oauth2/revoke",
        "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
        Rfc7662IntrospectionTest.basic(service));
    assertThat(revoked.status()).as("%s", revoked).isEqualTo(200);
    long revokedAt = System.currentTimeMillis();

    while (activeAt(b, token)) {
      assertThat(System.currentTimeMillis() - revokedAt)
          .as("ms until b saw the revocation").isLessThan(PROPAGATION_LIMIT_MS);
      Thread.sleep(50);
    }
  }
}
