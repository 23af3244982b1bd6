package dev.gatehouse.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node configured with a Redis that does not answer works as one without Redis: tokens,
 * introspection, revocation and admin changes succeed from L1 and the database, and readiness
 * says Redis is down.
 */
class RedisDownTest {

  @Test
  void nodeWhenRedisUnreachableThenEveryRequestStillSucceeds() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (TestServer node = TestServer.start(TestDatabase.H2,
        Map.of("GATEHOUSE_REDIS_URL", "redis://127.0.0.1:" + closedPort))) {
      node.createTenant("alone");
      JsonNode c = node.createClient("alone", Map.of("name", "svc"));
      JsonNode o = node.createClient("alone", Map.of("name", "ref", "token_format", "opaque"));
      for (JsonNode client : new JsonNode[] {c, o}) {
        String basic = TestServer.basic(client.get("client_id").asText(),
            client.get("client_secret").asText());
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
          TestServer.Response r = node.postForm("/t/alone/oauth2/token",
              "grant_type=client_credentials", basic);
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        // No request waits for a Redis timeout each time.
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
        String token = node.postForm("/t/alone/oauth2/token", "grant_type=client_credentials",
            basic).json().get("access_token").asText();
        assertThat(node.postForm("/t/alone/oauth2/introspect", "token=" + token, basic).json()
            .get("active").asBoolean()).isTrue();
        assertThat(node.postForm("/t/alone/oauth2/revoke", "token=" + token, basic).status())
            .isEqualTo(200);
        assertThat(node.postForm("/t/alone/oauth2/introspect", "token=" + token, basic).json()
            .get("active").asBoolean()).isFalse();
      }
      assertThat(node.admin("POST", "/admin/v1/tenants/alone/keys/rotate", null).status())
          .isEqualTo(200);
      assertThat(node.admin("DELETE", "/admin/v1/tenants/alone/clients/"
          + c.get("client_id").asText(), null).status()).isEqualTo(204);
      // The node did try the Redis it was given: readiness reports Redis down (its breaker
      // open after the failed calls), and the node ready all the same.
      TestServer.Response ready = node.get("/health/ready");
      assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
      assertThat(ready.json().at("/checks/redis").asText()).as(ready.toString())
          .isEqualTo("DOWN");
      assertThat(ready.json().get("status").asText()).isEqualTo("UP");
    }
  }
}
