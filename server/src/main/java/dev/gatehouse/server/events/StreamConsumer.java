package dev.gatehouse.server.events;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A member of a Redis Streams consumer group on an installation's event stream: reads with
 * XREADGROUP, acknowledges with XACK, at least once.
 *
 * <p>An entry read but not acknowledged (the consumer died before handling it) stays in the
 * group's pending list and is read again by the same consumer name when it comes back: this
 * consumer first re-reads its own pending entries (id {@code 0}), then new ones ({@code >}). So an
 * entry can be seen twice, and the relay can publish an event twice if it dies between XADD and
 * marking the event published; both carry the same {@code event_id}, which {@link #poll} uses to
 * drop repeats it has already handed out (a bounded memory of recent ids).
 */
public final class StreamConsumer implements AutoCloseable {

  /** One event from the stream; {@code streamId} is what {@link #ack} takes. */
  public record Entry(String streamId, String eventId, String tenant, String type, long createdAt,
      String payload) {}

  private static final int REMEMBERED = 10_000;

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final String stream;
  private final String group;
  private final Consumer<String> me;
  private final Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  };
  private boolean pendingDrained;

  /**
   * Joins {@code group} of {@code stream} ({@link EventIds#stream}) as {@code consumer}, creating
   * the group (and the stream) when missing: from the stream's start when {@code fromStart}, else
   * with new entries only.
   */
  public StreamConsumer(String redisUrl, String stream, String group, String consumer,
      boolean fromStart) {
    RedisURI uri = RedisURI.create(redisUrl);
    uri.setTimeout(Duration.ofSeconds(35));
    this.client = RedisClient.create(uri);
    this.connection = client.connect();
    this.stream = stream;
    this.group = group;
    this.me = Consumer.from(group, consumer);
    try {
      connection.sync().xgroupCreate(XReadArgs.StreamOffset.from(stream,
          fromStart ? "0" : "$"), group, XGroupCreateArgs.Builder.mkstream());
    } catch (RedisBusyException e) {
      // BUSYGROUP: the group exists; join it where it is.
    }
  }

  /**
   * The next entries for this consumer, at most {@code count}, waiting up to {@code block} for
   * new ones: first this consumer's own unacknowledged entries, then new ones. Entries whose event
   * id was already handed out are acknowledged and left out.
   */
  public List<Entry> poll(int count, Duration block) {
    RedisCommands<String, String> redis = connection.sync();
    List<StreamMessage<String, String>> messages;
    if (!pendingDrained) {
      messages = redis.xreadgroup(me, XReadArgs.Builder.count(count),
          XReadArgs.StreamOffset.from(stream, "0"));
      if (messages.isEmpty()) {
        pendingDrained = true;
      }
    } else {
      messages = List.of();
    }
    if (pendingDrained && messages.isEmpty()) {
      messages = redis.xreadgroup(me, XReadArgs.Builder.count(count).block(block),
          XReadArgs.StreamOffset.lastConsumed(stream));
    }
    List<Entry> out = new ArrayList<>(messages.size());
    for (StreamMessage<String, String> m : messages) {
      Map<String, String> f = m.getBody();
      String eventId = f.get("event_id");
      if (eventId == null || eventId.isEmpty()) {
        ack(m.getId());  // not ours to understand: skip it for good
        continue;
      }
      if (seen.put(eventId, Boolean.TRUE) != null) {
        ack(m.getId());  // the same event again (a relay retry): already handed out
        continue;
      }
      out.add(new Entry(m.getId(), eventId, f.get("tenant"), f.get("type"),
          Long.parseLong(f.getOrDefault("created_at", "0")), f.get("payload")));
    }
    return out;
  }

  /** Acknowledges an entry: it leaves the group's pending list. */
  public void ack(String streamId) {
    connection.sync().xack(stream, group, streamId);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
