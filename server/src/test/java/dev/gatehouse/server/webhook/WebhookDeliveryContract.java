package dev.gatehouse.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Webhooks end to end: a real node delivers events to a real HTTP receiver, signed as Standard
 * Webhooks says, retried after failures, dead-lettered after the limit, and redelivered on demand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebhookDeliveryContract {

  private static final int MAX_ATTEMPTS = 3;

  private TestServer server;
  private Receiver receiver;

  abstract TestDatabase database();

  @BeforeAll
  void start() throws Exception {
    receiver = new Receiver();
    server = TestServer.start(database(), Map.of(
        "GATEHOUSE_WEBHOOKS_POLL_MS", "20",
        "GATEHOUSE_WEBHOOKS_BACKOFF_MS", "40",
        "GATEHOUSE_WEBHOOKS_MAX_BACKOFF_MS", "200",
        "GATEHOUSE_WEBHOOKS_MAX_ATTEMPTS", Integer.toString(MAX_ATTEMPTS),
        "GATEHOUSE_WEBHOOKS_TIMEOUT_MS", "2000",
        // The receiver listens on loopback, which outbound calls refuse unless allow-listed.
        "GATEHOUSE_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.1/32"));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void webhookWhenEventMatchesThenSignedPostArrivesOnce() throws Exception {
    server.createTenant("hooks-ok");
    JsonNode hook = createWebhook("hooks-ok", "/ok", List.of("admin.client.*"));
    String secret = hook.get("secret").asText();
    assertThat(secret).startsWith("whsec_");
    assertThat(WebhookSignature.key(secret)).hasSize(32);
    String clientId = server.createClient("hooks-ok", Map.of("name", "app"))
        .get("client_id").asText();

    assertThat(eventually(() -> receiver.to("/ok").size() == 1)).isTrue();
    Receiver.Request r = receiver.to("/ok").get(0);
    long ts = Long.parseLong(r.headers().get("webhook-timestamp"));
    String id = r.headers().get("webhook-id");
    // Checked with an HMAC computed here, not with production code: what a receiver's own
    // Standard Webhooks library would compute over `id.timestamp.body`.
    assertThat(Math.abs(System.currentTimeMillis() / 1000 - ts)).isLessThan(300);
    assertThat(r.headers().get("webhook-signature").split(" "))
        .contains(StandardWebhooks.signature(secret, id, ts, r.body()));
    assertThat(StandardWebhooks.signature(secret, id, ts,
        "{\"tampered\":1}".getBytes(StandardCharsets.UTF_8)))
        .isNotIn((Object[]) r.headers().get("webhook-signature").split(" "));
    JsonNode body = TestServer.JSON.readTree(r.body());
    assertThat(body.get("type").asText()).isEqualTo("admin.client.created");
    assertThat(body.get("event_id").asText()).isEqualTo(id);
    assertThat(body.at("/data/target").asText()).isEqualTo(clientId);
    assertThat(body.at("/data/actor").asText())
        .isEqualTo(server.bootstrapAdmin().get("client_id").asText());
    assertThat(r.headers().get("content-type")).isEqualTo("application/json");

    // The secret is shown once: never in a listing.
    JsonNode list = server.admin("GET", "/admin/v1/tenants/hooks-ok/webhooks", null).json();
    assertThat(list.get("items")).hasSize(1);
    assertThat(list.get("items").get(0).has("secret")).isFalse();
    // A user created is not an admin.client.* event: it is not delivered. The outbox is relayed
    // in order, so once a later matching event (the sentinel) has arrived, the user's would have.
    server.admin("POST", "/admin/v1/tenants/hooks-ok/users", Map.of("username", "not-a-client"));
    String sentinel = server.createClient("hooks-ok", Map.of("name", "sentinel"))
        .get("client_id").asText();
    assertThat(eventually(() -> receiver.to("/ok").size() >= 2)).isTrue();
    assertThat(receiver.to("/ok")).hasSize(2);
    assertThat(TestServer.JSON.readTree(receiver.to("/ok").get(1).body()).at("/data/target")
        .asText()).isEqualTo(sentinel);
  }

  @Test
  void webhookWhenReceiverAnswers500ThenRetriedWithTheSameIdUntilDelivered() {
    server.createTenant("hooks-flaky");
    receiver.script("/flaky", 500, 503, 200);
    createWebhook("hooks-flaky", "/flaky", List.of("admin.user.created"));
    server.admin("POST", "/admin/v1/tenants/hooks-flaky/users", Map.of("username", "ada"));

    assertThat(eventually(() -> delivered("hooks-flaky") == 1)).isTrue();
    List<Receiver.Request> got = receiver.to("/flaky");
    assertThat(got).hasSize(3);
    assertThat(got).extracting(r -> r.headers().get("webhook-id")).containsOnly(
        got.get(0).headers().get("webhook-id"));
    JsonNode d = deliveries("hooks-flaky", "delivered").get(0);
    assertThat(d.get("attempts").asInt()).isEqualTo(3);
    assertThat(d.get("last_status").asInt()).isEqualTo(200);
  }

  @Test
  void webhookWhenReceiverKeepsFailingThenDeadLetteredAfterTheLimitAndRedeliverable() {
    server.createTenant("hooks-dead");
    receiver.script("/down", 500);
    createWebhook("hooks-dead", "/down", List.of("admin.group.*"));
    server.admin("POST", "/admin/v1/tenants/hooks-dead/groups", Map.of("name", "ops"));

    assertThat(eventually(() -> deliveries("hooks-dead", "dead").size() == 1)).isTrue();
    assertThat(receiver.to("/down")).hasSize(MAX_ATTEMPTS);
    JsonNode dead = deliveries("hooks-dead", "dead").get(0);
    assertThat(dead.get("attempts").asInt()).isEqualTo(MAX_ATTEMPTS);
    assertThat(dead.get("last_error").asText()).isEqualTo("HTTP 500");

    receiver.script("/down", 200);
    TestServer.Response again = server.admin("POST", "/admin/v1/tenants/hooks-dead/webhooks/"
        + "deliveries/" + dead.get("id").asLong() + "/redeliver", null);
    assertThat(again.status()).isEqualTo(202);
    assertThat(eventually(() -> delivered("hooks-dead") == 1)).isTrue();
    assertThat(deliveries("hooks-dead", "dead")).isEmpty();
    // Redelivering a pending or unknown delivery is a 404, not a 500.
    assertThat(server.admin("POST", "/admin/v1/tenants/hooks-dead/webhooks/deliveries/999999999/"
        + "redeliver", null).status()).isEqualTo(404);
    assertThat(server.admin("POST", "/admin/v1/tenants/hooks-dead/webhooks/deliveries/x/"
        + "redeliver", null).status()).isEqualTo(404);
  }

  @Test
  void webhookWhenAnotherTenantsEventThenNotDelivered() throws Exception {
    server.createTenant("hooks-mine");
    server.createTenant("hooks-other");
    createWebhook("hooks-mine", "/mine", List.of("*"));
    server.createClient("hooks-other", Map.of("name", "x"));
    server.createClient("hooks-mine", Map.of("name", "y"));
    // The sentinel is the last event of hooks-mine: once it arrived, any other tenant's event
    // that was going to be delivered here would have arrived before it.
    server.admin("POST", "/admin/v1/tenants/hooks-mine/groups", Map.of("name", "sentinel"));
    assertThat(eventually(() -> receiver.to("/mine").stream().anyMatch(r ->
        new String(r.body(), StandardCharsets.UTF_8).contains("admin.group.created")))).isTrue();
    for (Receiver.Request r : receiver.to("/mine")) {
      assertThat(TestServer.JSON.readTree(r.body()).get("tenant").asText())
          .isEqualTo("hooks-mine");
    }
  }

  @Test
  void webhookAdminWhenInputIsBadThenProblemNot500() {
    server.createTenant("hooks-bad");
    String base = "/admin/v1/tenants/hooks-bad/webhooks";
    for (Object body : List.of(
        Map.of("url", "ftp://example.com/x"),
        Map.of("url", "http://user:pw@example.com/"),
        Map.of("url", "not a url"),
        Map.of(),
        Map.of("url", "https://example.com/", "event_types", List.of("Bad Type")),
        Map.of("url", "https://example.com/", "colour", "red"))) {
      TestServer.Response r = server.admin("POST", base, body);
      assertThat(r.status()).as(body.toString()).isEqualTo(400);
      assertThat(r.header("content-type")).startsWith("application/problem+json");
    }
    assertThat(server.admin("DELETE", base + "/wh_nope", null).status()).isEqualTo(404);
    assertThat(server.admin("GET", base + "/wh_nope", null).status()).isEqualTo(404);
    assertThat(server.admin("GET", base + "/deliveries?status=lost", null).status())
        .isEqualTo(400);
    assertThat(server.admin("GET", "/admin/v1/tenants/nobody/webhooks", null).status())
        .isEqualTo(404);
    JsonNode made = createWebhook("hooks-bad", "/x", List.of("token.issued"));
    assertThat(server.admin("DELETE", base + "/" + made.get("id").asText(), null).status())
        .isEqualTo(204);
    assertThat(server.admin("GET", base, null).json().get("items")).isEmpty();
  }

  private JsonNode createWebhook(String tenant, String path, List<String> types) {
    TestServer.Response r = server.admin("POST", "/admin/v1/tenants/" + tenant + "/webhooks",
        Map.of("url", receiver.url(path), "event_types", types));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json();
  }

  private List<JsonNode> deliveries(String tenant, String status) {
    JsonNode page = server.admin("GET", "/admin/v1/tenants/" + tenant
        + "/webhooks/deliveries?status=" + status, null).json();
    List<JsonNode> out = new java.util.ArrayList<>();
    page.get("items").forEach(out::add);
    return out;
  }

  private int delivered(String tenant) {
    return deliveries(tenant, "delivered").size();
  }

  static boolean eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    do {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    } while (System.nanoTime() < deadline);
    return false;
  }
}
