package dev.gatehouse.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Health and metrics endpoints; request metrics keep a bounded set of labels. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsHttpTest {

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void healthWhenDatabaseUpThenLiveAndReady() {
    assertThat(server.get("/health/live").json().get("status").asText()).isEqualTo("UP");
    TestServer.Response ready = server.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("checks").get("database").asText()).isEqualTo("UP");
  }

  @Test
  void metricsWhenScrapedThenPrometheusTextWithRequestTimersByRoutePattern() {
    server.get("/t/system/jwks");
    TestServer.Response r = server.management("/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/plain");
    assertThat(r.text()).contains("http_server_requests_seconds_count")
        .contains("route=\"/t/{tenant}/jwks\"");
  }

  @Test
  void metricsWhenClientsSendRandomPathsTenantsAndMethodsThenNoneBecomesALabel() {
    List<String> noise = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      noise.add(id);
      server.get("/nothing-" + id);
      server.get("/t/t" + id + "/jwks");
      server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health/live"))
          .method("M" + id.toUpperCase(), HttpRequest.BodyPublishers.noBody()).build());
    }
    TestServer.Response metrics = server.management("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    String scrape = metrics.text();
    // The requests were measured (under their route pattern, or none): an empty or absent
    // scrape must not pass for one without the noise.
    assertThat(scrape).contains("http_server_requests_seconds_count")
        .contains("route=\"/t/{tenant}/jwks\"");
    for (String id : noise) {
      assertThat(scrape).doesNotContainIgnoringCase(id);
    }
  }
}
