package dev.gatehouse.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.testing.TestKeys;
import dev.gatehouse.server.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The invalidation bus on a real Redis, with someone else publishing on its channel: what a node
 * of the installation sends arrives once; a forged or replayed message is never applied.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisInvalidationBusTest {

  private final String installation = "bus" + Secrets.random(6);
  private final String topic = "keys-" + Secrets.random(4);
  private final Tampering tampering = Tampering.untracked();
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final List<String> wire = new CopyOnWriteArrayList<>();
  private RedisInvalidationBus a;
  private RedisInvalidationBus b;
  private RedisClient attackerClient;
  private StatefulRedisConnection<String, String> attacker;
  private StatefulRedisPubSubConnection<String, String> eavesdropper;

  @BeforeAll
  void start() {
    String url = TestRedis.url();
    MasterKey master = TestKeys.masterKey();
    a = new RedisInvalidationBus(url, seal(master), tampering);
    b = new RedisInvalidationBus(url, seal(master), tampering);
    b.subscribe(topic, heard::add);
    attackerClient = RedisClient.create(url);
    attacker = attackerClient.connect();
    eavesdropper = attackerClient.connectPubSub();
    eavesdropper.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, String message) {
        if (message.contains(installation)) {
          wire.add(message);
        }
      }
    });
    eavesdropper.sync().subscribe(RedisInvalidationBus.channel(installation));
    assertThat(within(10_000, () -> a.connected() && b.connected())).isTrue();
  }

  private MessageSeal seal(MasterKey master) {
    return new MessageSeal(master.cacheMac("invalidation", installation), installation,
        Clock.systemUTC());
  }

  @AfterAll
  void stop() {
    if (eavesdropper != null) {
      eavesdropper.close();
      attacker.close();
      attackerClient.shutdown();
    }
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  void whenForgedOrReplayedMessagesPublishedThenOnlyTheGenuineOneIsApplied() {
    long refusedBefore = tampering.count("invalidation");
    attacker.sync().publish(RedisInvalidationBus.channel(installation), "attacker\n" + topic + "\nsystem");
    attacker.sync().publish(RedisInvalidationBus.channel(installation), String.join("\n", "g1", installation,
        "attacker", Long.toString(System.currentTimeMillis()), "nonce", topic, "A".repeat(43),
        "system"));
    a.publish(topic, "acme");
    assertThat(within(2_000, () -> heard.contains("acme") && !wire.isEmpty())).isTrue();
    String genuine = wire.get(0);
    attacker.sync().publish(RedisInvalidationBus.channel(installation), genuine);
    attacker.sync().publish(RedisInvalidationBus.channel(installation),
        genuine.substring(0, genuine.lastIndexOf('\n')) + "\nsystem");
    // A last genuine message: once it is heard, everything published before it was handled.
    a.publish(topic, "done");
    assertThat(within(2_000, () -> heard.contains("done"))).isTrue();
    assertThat(heard).containsExactly("acme", "done");
    // Each node saw the four bad ones (b's and a's subscriptions both read the channel).
    assertThat(tampering.count("invalidation") - refusedBefore).isGreaterThanOrEqualTo(4);
  }

  private static boolean within(long ms, BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }
}
