package dev.gatehouse.server.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.server.crypto.CacheMac;
import dev.gatehouse.server.crypto.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Authenticates the messages of the {@link RedisInvalidationBus}: anyone who can publish on Redis
 * could otherwise make every node drop its caches at will, or (with a forged cache entry) reload
 * what they wrote.
 *
 * <p>A message is {@code g1 \n installation \n node \n sent-at-ms \n nonce \n topic \n mac \n key},
 * the MAC ({@link CacheMac}, a key of its own) over all of it. A node accepts a message of its own
 * installation whose MAC holds, sent within {@link #WINDOW} of its clock, with a nonce it has not
 * seen: a recorded message cannot be replayed later, nor twice within the window. A message naming
 * another installation (each has its own channel, so only a copy would) is ignored without a
 * word; any other refusal is counted.
 */
public final class MessageSeal {

  /** How far a message's time may be from the receiver's: clock skew plus delivery. */
  static final Duration WINDOW = Duration.ofSeconds(30);
  private static final String FORMAT = "g1";

  /** A message that passed: who sent it, and what changed. */
  public record Message(String node, String topic, String key) {}

  private final CacheMac mac;
  private final String installation;
  private final Clock clock;
  private final Cache<String, Boolean> seenNonces = Caffeine.newBuilder()
      .maximumSize(100_000).expireAfterWrite(WINDOW.multipliedBy(2)).build();

  public MessageSeal(CacheMac mac, String installation, Clock clock) {
    this.mac = mac;
    this.installation = installation;
    this.clock = clock;
  }

  /** The channel this installation's messages go on. */
  public String channel() {
    return RedisInvalidationBus.channel(installation);
  }

  /** The message {@code node} sends to say {@code key} of {@code topic} changed. */
  public String seal(String node, String topic, String key) {
    long now = clock.millis();
    String nonce = Secrets.random(12);
    String context = context(installation, node, nonce, topic);
    return String.join("\n", FORMAT, installation, node, Long.toString(now), nonce, topic,
        mac.tag(context, now, key), key);
  }

  /** The message in {@code raw} if genuine, fresh and new; refusals go to {@code tampering}. */
  public Optional<Message> open(String raw, Tampering tampering) {
    String[] p = raw.split("\n", 8);
    if (p.length != 8 || !FORMAT.equals(p[0])) {
      return refuse(tampering, "unknown shape");
    }
    if (!installation.equals(p[1])) {
      return Optional.empty();
    }
    long sentAt;
    try {
      sentAt = Long.parseLong(p[3]);
    } catch (NumberFormatException e) {
      return refuse(tampering, "unknown shape");
    }
    if (!mac.verify(context(p[1], p[2], p[4], p[5]), sentAt, p[7], p[6])) {
      return refuse(tampering, "MAC wrong");
    }
    if (Math.abs(clock.millis() - sentAt) > WINDOW.toMillis()) {
      return refuse(tampering, "outside the time window");
    }
    if (seenNonces.asMap().putIfAbsent(p[4], Boolean.TRUE) != null) {
      return refuse(tampering, "replayed");
    }
    return Optional.of(new Message(p[2], p[5], p[7]));
  }

  private Optional<Message> refuse(Tampering tampering, String why) {
    tampering.rejected("invalidation", channel() + " (" + why + ")");
    return Optional.empty();
  }

  private static String context(String installation, String node, String nonce, String topic) {
    return installation + "\u0000" + node + "\u0000" + nonce + "\u0000" + topic;
  }
}
