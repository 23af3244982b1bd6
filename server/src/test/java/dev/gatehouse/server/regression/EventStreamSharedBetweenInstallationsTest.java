package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestRedis;
import dev.gatehouse.server.testing.TestServer;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two installations sharing a Redis wrote to one stream, {@code gatehouse:events}, with entries
 * that named no installation: a consumer group saw the other installation's events for a tenant of
 * the same name, and {@code event_id}, the documented idempotency key, collided between them.
 */
class EventStreamSharedBetweenInstallationsTest {

  @Test
  void streamWhenTwoInstallationsShareRedisThenEachHasItsOwnStreamAndIds() throws Exception {
    String url = TestRedis.url();
    RedisClient redis = RedisClient.create(url);
    try (TestServer a = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_REDIS_URL", url));
        TestServer b = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_REDIS_URL", url));
        StatefulRedisConnection<String, String> c = redis.connect()) {
      a.createTenant("same");
      b.createTenant("same");
      String streamA = stream(a);
      String streamB = stream(b);
      assertThat(streamA).isNotEqualTo(streamB).doesNotContain("gatehouse:events");

      // The tenant creations are events of the system tenant, each installation's first.
      List<String> idsA = published(c, streamA);
      List<String> idsB = published(c, streamB);
      assertThat(idsA).isNotEmpty().doesNotContainAnyElementsOf(idsB);
      assertThat(idsB).isNotEmpty();
    } finally {
      redis.shutdown();
    }
  }

  private static String stream(TestServer s) {
    JsonNode head = s.admin("GET", "/admin/v1/tenants/same/events", null).json();
    return head.get("stream").asText();
  }

  /** The event ids on {@code stream}, waiting up to 10 s for the relay to publish. */
  private static List<String> published(StatefulRedisConnection<String, String> c, String stream)
      throws InterruptedException {
    List<StreamMessage<String, String>> entries = List.of();
    for (int i = 0; i < 100 && entries.isEmpty(); i++) {
      entries = c.sync().xrange(stream, Range.create("-", "+"));
      if (entries.isEmpty()) {
        Thread.sleep(100);
      }
    }
    return entries.stream().map(m -> m.getBody().get("event_id")).toList();
  }
}
