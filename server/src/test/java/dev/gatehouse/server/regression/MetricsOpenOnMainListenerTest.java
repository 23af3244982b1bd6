package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GH-19: {@code /metrics} (route names, request rates, pool and breaker states) was open to anyone
 * on the main listener. Now it is served on the management listener ({@code management.port}), and
 * on the main listener only to a bearer of {@code management.metrics-token}; health stays on both
 * so that load balancers keep probing the main port.
 */
class MetricsOpenOnMainListenerTest {

  private static final String TOKEN = "m".repeat(40);

  @Test
  void metricsWhenAskedOnTheMainListenerWithoutSettingsThenNotServed() {
    try (TestServer server = TestServer.start(TestDatabase.H2, Map.of(
        "GATEHOUSE_MANAGEMENT_PORT", "-1"))) {
      assertThat(server.get("/metrics").status()).isEqualTo(404);
      assertThat(server.get("/metrics").text()).doesNotContain("http_server_requests");
      assertThat(server.get("/health/live").status()).isEqualTo(200);
      assertThat(server.get("/health/ready").status()).isEqualTo(200);
      assertThat(server.node().managementPort()).isEqualTo(-1);
    }
  }

  @Test
  void metricsWhenManagementPortSetThenServedThereOnlyWithHealth() {
    try (TestServer server = TestServer.start(TestDatabase.H2, Map.of(
        "GATEHOUSE_MANAGEMENT_PORT", "0"))) {
      assertThat(server.get("/metrics").status()).isEqualTo(404);
      TestServer.Response metrics = server.management("/metrics");
      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.text()).contains("http_server_requests");
      assertThat(server.management("/health/ready").status()).isEqualTo(200);
      assertThat(server.management("/health/live").status()).isEqualTo(200);
      // Nothing else: the management port is not a second way into the API.
      assertThat(server.management("/t/system/jwks").status()).isEqualTo(404);
      assertThat(server.management("/admin/v1/tenants").status()).isEqualTo(404);
    }
  }

  @Test
  void metricsWhenTokenSetThenServedOnTheMainListenerToItsBearerOnly() {
    try (TestServer server = TestServer.start(TestDatabase.H2, Map.of(
        "GATEHOUSE_MANAGEMENT_PORT", "-1", "GATEHOUSE_MANAGEMENT_METRICS_TOKEN", TOKEN))) {
      TestServer.Response none = server.get("/metrics");
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(withBearer(server, "x" + TOKEN.substring(1)).status()).isEqualTo(401);
      // An admin access token is not the metrics token.
      assertThat(withBearer(server, server.adminToken()).status()).isEqualTo(401);
      TestServer.Response ok = withBearer(server, TOKEN);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.text()).contains("http_server_requests");
    }
  }

  private static TestServer.Response withBearer(TestServer server, String token) {
    return server.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/metrics"))
        .header("Authorization", "Bearer " + token).GET().build());
  }
}
