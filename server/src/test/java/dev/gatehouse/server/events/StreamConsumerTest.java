package dev.gatehouse.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.cli.Main;
import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * Consumer groups on the event stream: each entry to one member, acknowledged after handling,
 * re-read after a crash (at least once), and repeats of an event id dropped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamConsumerTest {

  /** A stream of its own, as an installation of its own would have. */
  private final String stream = EventIds.stream("test" + Secrets.random(6));
  private String url;
  private RedisClient redis;
  private StatefulRedisConnection<String, String> connection;

  @BeforeAll
  void start() {
    url = TestRedis.url();
    redis = RedisClient.create(url);
    connection = redis.connect();
  }

  @AfterAll
  void stop() {
    if (connection != null) {
      connection.close();
      redis.shutdown();
    }
  }

  /** What the relay writes: one entry per outbox event. */
  private void publish(String tenant, long eventId) {
    connection.sync().xadd(stream, Map.of("event_id", Long.toString(eventId),
        "tenant", tenant, "type", "test.event", "created_at", "1", "payload", "{\"n\":" + eventId
            + "}"));
  }

  private static List<Long> ids(List<StreamConsumer.Entry> entries, String tenant) {
    return entries.stream().filter(e -> tenant.equals(e.tenant()))
        .map(e -> Long.parseLong(e.eventId())).toList();
  }

  private List<StreamConsumer.Entry> drain(StreamConsumer c, boolean ack) {
    List<StreamConsumer.Entry> all = new ArrayList<>();
    List<StreamConsumer.Entry> got;
    do {
      got = c.poll(100, Duration.ofMillis(200));
      all.addAll(got);
      if (ack) {
        got.forEach(e -> c.ack(e.streamId()));
      }
    } while (!got.isEmpty());
    return all;
  }

  @Test
  void groupWhenEventRepeatedByTheRelayThenHandedOutOnce() {
    String tenant = "t" + Secrets.random(6);
    try (StreamConsumer c = new StreamConsumer(url, stream, "g-" + tenant, "one", false)) {
      publish(tenant, 1);
      publish(tenant, 2);
      publish(tenant, 2);  // the relay died after XADD, before marking it published
      publish(tenant, 3);
      assertThat(ids(drain(c, true), tenant)).containsExactly(1L, 2L, 3L);
    }
  }

  @Test
  void groupWhenConsumerDiesBeforeAckThenItGetsTheEntryAgainAndOtherMembersNever() {
    String tenant = "t" + Secrets.random(6);
    String group = "g-" + tenant;
    try (StreamConsumer first = new StreamConsumer(url, stream, group, "worker-1", false);
        StreamConsumer other = new StreamConsumer(url, stream, group, "worker-2", false)) {
      publish(tenant, 10);
      publish(tenant, 11);
      // Read, then "crash" before acknowledging: the entries stay pending for worker-1.
      assertThat(ids(drain(first, false), tenant)).containsExactly(10L, 11L);
      assertThat(ids(drain(other, true), tenant)).isEmpty();
    }
    try (StreamConsumer again = new StreamConsumer(url, stream, group, "worker-1", false)) {
      assertThat(ids(drain(again, true), tenant)).containsExactly(10L, 11L);
    }
    try (StreamConsumer after = new StreamConsumer(url, stream, group, "worker-1", false)) {
      assertThat(ids(drain(after, true), tenant)).isEmpty();  // acknowledged: gone
    }
  }

  @Test
  void tailWhenGroupGivenThenPrintsTheTenantsEventsFromTheStream() {
    String tenant = "t" + Secrets.random(6);
    String group = "cli-" + tenant;
    // Create the group first (new entries only), as a first `tail --group` run would.
    new StreamConsumer(url, stream, group, "setup", false).close();
    publish("someone-else", 99);
    publish(tenant, 21);
    publish(tenant, 22);
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = new CommandLine(new Main()).execute("events", "tail", "--tenant", tenant,
          "--group", group, "--redis", url, "--stream", stream, "--count", "2");
    } finally {
      System.setOut(old);
    }
    assertThat(code).isZero();
    String[] lines = buf.toString(StandardCharsets.UTF_8).trim().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).contains("\"event_id\":\"21\"").contains("\"payload\":{\"n\":21}");
    assertThat(lines[1]).contains("\"event_id\":\"22\"");
  }
}
