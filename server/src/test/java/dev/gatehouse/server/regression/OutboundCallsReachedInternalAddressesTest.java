package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * GH-08: webhooks and back-channel logout were delivered to loopback and internal addresses, and
 * the deliveries list told a connection refused from a timeout from an HTTP status: a port scanner
 * for anyone with a tenant's admin rights.
 */
class OutboundCallsReachedInternalAddressesTest {

  private static final String LOOPBACK_ALLOWED = "GATEHOUSE_OUTBOUND_ALLOWED_NETWORKS";

  @Test
  void webhookWhenUrlPointsInsideThenRegistrationRefusedWithProblem() {
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      server.createTenant("ssrf");
      for (String url : List.of("http://127.0.0.1:6379/", "http://localhost:8080/admin",
          "http://[::1]/x", "http://10.0.0.5/x", "http://169.254.169.254/latest/meta-data/",
          "http://[::ffff:127.0.0.1]/x", "http://100.64.0.1/", "http://[fd00::1]/",
          "http://0.0.0.0:5432/", "https://192.168.1.1/")) {
        TestServer.Response r = server.admin("POST", "/admin/v1/tenants/ssrf/webhooks",
            Map.of("url", url));
        assertThat(r.status()).as(url).isEqualTo(400);
        assertThat(r.header("content-type")).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).as(url).contains("not allowed");
      }
    }
  }

  @Test
  void backchannelLogoutUriWhenLoopbackThenClientRefusedWithProblem() {
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      server.createTenant("ssrf-bc");
      TestServer.Response r = server.admin("POST", "/admin/v1/tenants/ssrf-bc/clients", Map.of(
          "name", "rp", "grant_types", List.of("authorization_code"),
          "redirect_uris", List.of("https://rp.example/cb"),
          "backchannel_logout_uri", "http://127.0.0.1:6379/bc"));
      assertThat(r.status()).as(r.toString()).isEqualTo(400);
      assertThat(r.header("content-type")).startsWith("application/problem+json");
      assertThat(r.json().get("detail").asText()).contains("backchannel_logout_uri")
          .contains("not allowed");
    }
  }

  @Test
  void webhookWhenTargetIsNoLongerAllowedThenNotConnectedAtDelivery() throws Exception {
    Path data = Files.createTempDirectory("gatehouse-ssrf");
    String db = TestDatabase.H2.freshUrl();
    Map<String, String> env = Map.of("GATEHOUSE_DATA_DIR", data.toString(),
        "GATEHOUSE_DB_URL", db, "GATEHOUSE_WEBHOOKS_POLL_MS", "20",
        "GATEHOUSE_WEBHOOKS_MAX_ATTEMPTS", "1");
    try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger connections = new AtomicInteger();
      Thread.ofVirtual().start(() -> {
        while (!target.isClosed()) {
          try (Socket s = target.accept()) {
            connections.incrementAndGet();
          } catch (Exception e) {
            return;
          }
        }
      });
      // Registered while the operator allowed loopback (or while its name resolved outside).
      Map<String, String> allowing = new java.util.HashMap<>(env);
      allowing.put(LOOPBACK_ALLOWED, "127.0.0.1/32");
      try (TestServer before = TestServer.start(TestDatabase.H2, allowing)) {
        before.createTenant("rebind");
        TestServer.Response made = before.admin("POST", "/admin/v1/tenants/rebind/webhooks",
            Map.of("url", "http://127.0.0.1:" + target.getLocalPort() + "/hook",
                "event_types", List.of("admin.user.created")));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
      }
      try (TestServer after = TestServer.start(TestDatabase.H2, env)) {
        after.admin("POST", "/admin/v1/tenants/rebind/users", Map.of("username", "ada"));

        assertThat(eventually(() -> !deliveries(after, "rebind", "dead").isEmpty())).isTrue();
        JsonNode dead = deliveries(after, "rebind", "dead").get(0);
        assertThat(dead.get("last_error").asText()).startsWith("refused");
        assertThat(dead.has("last_status")).isFalse();
        assertThat(connections).hasValue(0);
      }
    }
  }

  @Test
  void deliveryErrorWhenTargetDoesNotAnswerHttpThenTheSameGenericText() throws Exception {
    try (ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int closedPort;
      try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
        closedPort = s.getLocalPort();
      }
      Thread.ofVirtual().start(() -> acceptAndClose(closing));
      List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread.ofVirtual().start(() -> {
        while (!silent.isClosed()) {
          try {
            held.add(silent.accept());
          } catch (Exception e) {
            return;
          }
        }
      });
      try (TestServer server = TestServer.start(TestDatabase.H2, Map.of(
          LOOPBACK_ALLOWED, "127.0.0.1/32", "GATEHOUSE_WEBHOOKS_POLL_MS", "20",
          "GATEHOUSE_WEBHOOKS_MAX_ATTEMPTS", "1", "GATEHOUSE_WEBHOOKS_TIMEOUT_MS", "300"))) {
        server.createTenant("scan");
        for (int port : List.of(closedPort, closing.getLocalPort(), silent.getLocalPort())) {
          TestServer.Response r = server.admin("POST", "/admin/v1/tenants/scan/webhooks",
              Map.of("url", "http://127.0.0.1:" + port + "/", "event_types",
                  List.of("admin.group.created")));
          assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        server.admin("POST", "/admin/v1/tenants/scan/groups", Map.of("name", "ops"));

        assertThat(eventually(() -> deliveries(server, "scan", "dead").size() == 3)).isTrue();
        for (JsonNode d : deliveries(server, "scan", "dead")) {
          assertThat(d.get("last_error").asText()).as(d.toString()).isEqualTo("delivery failed");
          assertThat(d.has("last_status")).isFalse();
        }
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  private static void acceptAndClose(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        server.accept().close();
      } catch (Exception e) {
        return;
      }
    }
  }

  private static List<JsonNode> deliveries(TestServer server, String tenant, String status) {
    JsonNode page = server.admin("GET", "/admin/v1/tenants/" + tenant
        + "/webhooks/deliveries?status=" + status, null).json();
    List<JsonNode> out = new ArrayList<>();
    page.get("items").forEach(out::add);
    return out;
  }

  private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }
}
