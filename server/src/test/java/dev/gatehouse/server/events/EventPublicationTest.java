package dev.gatehouse.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestRedis;
import dev.gatehouse.server.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Events written to the outbox (here: policy decisions) reach the Redis Stream with their event
 * ids, and the admin API serves them to {@code gatehouse events tail}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventPublicationTest {

  private TestServer server;
  private RedisClient redis;
  private StatefulRedisConnection<String, String> connection;
  private String token;

  @BeforeAll
  void start() {
    String url = TestRedis.url();
    redis = RedisClient.create(url);
    connection = redis.connect();
    server = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_REDIS_URL", url));
    server.createTenant("events");
    assertThat(server.admin("PUT", "/admin/v1/tenants/events/policies",
        Map.of("policies", "permit(principal, action == Action::\"read\", resource);"))
        .status()).isEqualTo(200);
    JsonNode pep = server.createClient("events", Map.of("name", "pep", "scope", "authorize"));
    token = server.postForm("/t/events/oauth2/token", "grant_type=client_credentials",
        TestServer.basic(pep.get("client_id").asText(), pep.get("client_secret").asText()))
        .json().get("access_token").asText();
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (connection != null) {
      connection.close();
      redis.shutdown();
    }
  }

  @Test
  void decisionEventIsPublishedToTheStreamAndServedToTail() throws Exception {
    JsonNode head = server.admin("GET", "/admin/v1/tenants/events/events", null).json();
    long start = head.get("last_id").asLong();
    String streamKey = head.get("stream").asText();
    TestServer.Response decision = server.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(server.httpUrl() + "/t/events/v1/authorize"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"principal\":{\"type\":\"User\",\"id\":\"alice\"},\"action\":\"read\","
                + "\"resource\":{\"type\":\"Doc\",\"id\":\"d1\"},\"context\":{}}"))
        .build());
    assertThat(decision.status()).isEqualTo(200);
    assertThat(decision.json().get("decision").asText()).isEqualTo("allow");

    // Other events may come first (the admin token's own token.issued is written asynchronously
    // and can land after `last_id` was read): look for the decision among what follows.
    JsonNode event = null;
    long after = start;
    for (int i = 0; i < 20 && event == null; i++) {
      JsonNode page = server.admin("GET", "/admin/v1/tenants/events/events?after=" + after
          + "&wait=10", null).json();
      for (JsonNode item : page.get("items")) {
        after = Math.max(after, item.get("id").asLong());
        if (event == null && item.get("type").asText().equals("policy.decision")) {
          event = item;
        }
      }
    }
    assertThat(event).as("a policy.decision event after id %s", start).isNotNull();
    String eventId = event.get("event_id").asText();
    assertThat(eventId).endsWith("-" + event.get("id").asText());

    boolean published = false;
    for (int i = 0; i < 100 && !published; i++) {
      List<StreamMessage<String, String>> stream = connection.sync().xrange(streamKey,
          io.lettuce.core.Range.create("-", "+"));
      published = stream.stream().anyMatch(m -> eventId.equals(m.getBody().get("event_id"))
          && "events".equals(m.getBody().get("tenant"))
          && "policy.decision".equals(m.getBody().get("type")));
      if (!published) {
        Thread.sleep(100);
      }
    }
    assertThat(published).as("event %s on the stream", eventId).isTrue();
  }

  @Test
  void eventsOfUnknownTenantOrBadCursorThenProblem() {
    assertThat(server.admin("GET", "/admin/v1/tenants/nope/events", null).status())
        .isEqualTo(404);
    assertThat(server.admin("GET", "/admin/v1/tenants/events/events?after=x", null).status())
        .isEqualTo(400);
    assertThat(server.admin("GET", "/admin/v1/tenants/events/events?after=0&wait=99", null)
        .status()).isEqualTo(400);
  }
}
