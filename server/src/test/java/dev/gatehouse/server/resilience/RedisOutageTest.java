package dev.gatehouse.server.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TcpProxy;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestRedis;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two nodes sharing a database and a Redis that goes away (a real network fault through a
 * {@link TcpProxy}): no token request fails while it is gone, the Redis breaker opens instead of
 * every call waiting, and the nodes hear each other again by themselves once it returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageTest {

  private TcpProxy proxy;
  private TestServer a;
  private TestServer b;
  private String jwtAuth;
  private String opaqueAuth;

  @BeforeAll
  void start() throws Exception {
    URI redis = URI.create(TestRedis.url());
    proxy = TcpProxy.to(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort());
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> shared = Map.of(
        "GATEHOUSE_DB_URL", TestDatabase.H2.freshUrl(),
        "GATEHOUSE_MASTER_KEY", Base64.getEncoder().encodeToString(key),
        "GATEHOUSE_REDIS_URL", "redis://127.0.0.1:" + proxy.port(),
        "GATEHOUSE_SERVER_BASE_URL", "https://login.cluster.test");
    a = TestServer.start(TestDatabase.H2, shared);
    b = TestServer.start(TestDatabase.H2, shared);
    a.createTenant("acme");
    jwtAuth = auth(a.createClient("acme", Map.of("name", "api")));
    opaqueAuth = auth(a.createClient("acme", Map.of("name", "legacy",
        "token_format", "opaque")));
    assertThat(deletionSeenAcross(10_000)).as("bus connected before the outage").isTrue();
  }

  @AfterAll
  void stop() {
    for (TestServer s : new TestServer[] {b, a}) {
      if (s != null) {
        s.close();
      }
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private static String auth(JsonNode client) {
    return TestServer.basic(client.get("client_id").asText(),
        client.get("client_secret").asText());
  }

  private static String token(TestServer node, String auth) {
    TestServer.Response r = node.postForm("/t/acme/oauth2/token", "grant_type=client_credentials",
        auth);
    return r.status() == 200 ? r.json().get("access_token").asText() : null;
  }

  private boolean active(TestServer node, String token) {
    TestServer.Response r = node.postForm("/t/acme/oauth2/introspect", "token=" + token, jwtAuth);
    return r.status() == 200 && r.json().get("active").asBoolean();
  }

  private static int tokenStatus(TestServer node, String auth) {
    return node.postForm("/t/acme/oauth2/token", "grant_type=client_credentials", auth).status();
  }

  /**
   * Whether a client deleted through a stops authenticating at b within 500 ms, tried until the
   * deadline. Only the invalidation bus carries that so fast (b caches a client for 30 s), unlike
   * a revocation, which b's copy of the revocation list also learns by its poll every second.
   */
  private boolean deletionSeenAcross(long deadlineMs) throws InterruptedException {
    long end = System.currentTimeMillis() + deadlineMs;
    while (System.currentTimeMillis() < end) {
      JsonNode c = a.createClient("acme", Map.of("name", "short-lived"));
      String auth = auth(c);
      if (tokenStatus(b, auth) != 200) {
        continue;
      }
      a.admin("DELETE", "/admin/v1/tenants/acme/clients/" + c.get("client_id").asText(), null);
      long seenBy = System.currentTimeMillis() + 500;
      while (System.currentTimeMillis() < seenBy) {
        if (tokenStatus(b, auth) == 401) {
          return true;
        }
        Thread.sleep(10);
      }
    }
    return false;
  }

  @Test
  void whenRedisDownThenNoTokenRequestFailsAndTheNodesHearEachOtherAgainWhenItReturns()
      throws Exception {
    proxy.cut();
    List<String> failures = new ArrayList<>();
    long end = System.currentTimeMillis() + 3_000;
    int requests = 0;
    while (System.currentTimeMillis() < end) {
      for (TestServer node : new TestServer[] {a, b}) {
        String jwt = token(node, jwtAuth);
        String opaque = token(node, opaqueAuth);
        requests += 2;
        if (jwt == null || opaque == null) {
          failures.add("token at " + node.httpUrl());
          continue;
        }
        if (!active(node == a ? b : a, jwt)) {
          failures.add("introspection");
        }
        // A revocation still works (database), its message to the other node is dropped.
        TestServer.Response r = node.postForm("/t/acme/oauth2/revoke", "token=" + jwt, jwtAuth);
        requests += 2;
        if (r.status() != 200 || active(node, jwt)) {
          failures.add("revocation at " + node.httpUrl() + ": " + r);
        }
      }
    }
    assertThat(failures).as("failed of %d requests", requests).isEmpty();
    TestServer.Response ready = a.get("/health/ready");
    assertThat(ready.status()).as("Redis is not needed to serve").isEqualTo(200);
    assertThat(ready.json().at("/checks/redis").asText()).isEqualTo("DOWN");
    // Open, or half-open probing: not closed.
    assertThat(a.scrape())
        .contains("resilience4j_circuitbreaker_state{name=\"redis\",state=\"closed\"} 0.0");

    proxy.restore();
    long t0 = System.currentTimeMillis();
    assertThat(deletionSeenAcross(10_000)).as("bus back after Redis returned").isTrue();
    System.out.printf("[redis outage] %d requests, none failed; bus back %d ms after Redis%n",
        requests, System.currentTimeMillis() - t0);
    // The breaker closes after a few successful calls (half-open probes) of the node's traffic.
    String redisCheck = "";
    long closeBy = System.currentTimeMillis() + 15_000;
    while (!redisCheck.equals("UP") && System.currentTimeMillis() < closeBy) {
      String t = token(a, jwtAuth);
      a.postForm("/t/acme/oauth2/revoke", "token=" + t, jwtAuth);
      redisCheck = a.get("/health/ready").json().at("/checks/redis").asText();
      Thread.sleep(20);
    }
    assertThat(redisCheck).isEqualTo("UP");
  }
}
