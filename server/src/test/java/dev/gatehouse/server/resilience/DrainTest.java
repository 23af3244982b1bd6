package dev.gatehouse.server.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * On shutdown a node first reports not ready while it keeps serving (for
 * {@code server.drain-delay-ms}), so that a load balancer probing readiness stops sending before
 * the listener closes.
 */
class DrainTest {

  @Test
  void whenClosingThenNotReadyFirstWhileRequestsAreStillServed() throws Exception {
    TestServer server = TestServer.start(TestDatabase.H2,
        Map.of("GATEHOUSE_SERVER_DRAIN_DELAY_MS", "2000"));
    CompletableFuture<Void> closing = null;
    try {
      server.createTenant("acme");
      JsonNode c = server.createClient("acme", Map.of("name", "api"));
      String auth = TestServer.basic(c.get("client_id").asText(), c.get("client_secret").asText());
      assertThat(server.get("/health/ready").status()).isEqualTo(200);

      closing = CompletableFuture.runAsync(server::close);
      TestServer.Response ready = server.get("/health/ready");
      for (int i = 0; i < 100 && ready.status() == 200; i++) {
        Thread.sleep(10);
        ready = server.get("/health/ready");
      }
      assertThat(ready.status()).as(ready.toString()).isEqualTo(503);
      assertThat(ready.json().get("reason").asText()).contains("shutting down");
      assertThat(ready.json().at("/checks/database").asText()).isEqualTo("UP");
      // Still serving: the load balancer may send a few more before it notices.
      TestServer.Response token = server.postForm("/t/acme/oauth2/token",
          "grant_type=client_credentials", auth);
      assertThat(token.status()).as(token.toString()).isEqualTo(200);
      assertThat(closing).isNotDone();
    } finally {
      if (closing != null) {
        closing.get();
      } else {
        server.close();
      }
    }
  }
}
