package dev.gatehouse.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.testing.TestKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Invalidation messages: only genuine, fresh, first-seen messages of this installation pass. */
class MessageSealTest {

  private final MasterKey master = TestKeys.masterKey();
  private final Instant now = Instant.parse("2026-12-07T03:00:00Z");
  private final Tampering tampering = Tampering.untracked();
  private final MessageSeal sender = seal(master, "inst1", now);
  private final MessageSeal receiver = seal(master, "inst1", now);

  private static MessageSeal seal(MasterKey key, String installation, Instant at) {
    return new MessageSeal(key.cacheMac("invalidation", installation), installation,
        Clock.fixed(at, ZoneOffset.UTC));
  }

  @Test
  void genuineMessageWhenOpenedThenDelivered() {
    String raw = sender.seal("node-a", "keys", "system");
    assertThat(receiver.open(raw, tampering))
        .hasValue(new MessageSeal.Message("node-a", "keys", "system"));
    assertThat(tampering.count("invalidation")).isZero();
  }

  @Test
  void forgedMessageWhenOpenedThenIgnoredAndCounted() {
    String raw = sender.seal("node-a", "keys", "system");
    String[] p = raw.split("\n", 8);
    assertThat(receiver.open("attacker\nkeys\nsystem", tampering)).isEmpty();
    assertThat(receiver.open(raw.replace("\nkeys\n", "\nclients\n"), tampering)).isEmpty();
    assertThat(receiver.open(raw.substring(0, raw.lastIndexOf('\n')) + "\nacme", tampering))
        .isEmpty();
    assertThat(receiver.open(String.join("\n", p[0], p[1], p[2], p[3], p[4], p[5],
        "A".repeat(43), p[7]), tampering)).isEmpty();
    assertThat(seal(TestKeys.masterKey(), "inst1", now).open(raw, tampering)).isEmpty();
    assertThat(tampering.count("invalidation")).isEqualTo(5);
  }

  @Test
  void messageWhenReplayedThenIgnored() {
    String raw = sender.seal("node-a", "keys", "system");
    assertThat(receiver.open(raw, tampering)).isPresent();
    assertThat(receiver.open(raw, tampering)).isEmpty();
    MessageSeal later = seal(master, "inst1", now.plus(MessageSeal.WINDOW).plusSeconds(1));
    assertThat(later.open(sender.seal("node-a", "keys", "acme"), tampering)).isEmpty();
    MessageSeal earlier = seal(master, "inst1", now.minus(Duration.ofMinutes(5)));
    assertThat(earlier.open(sender.seal("node-a", "keys", "acme"), tampering)).isEmpty();
    assertThat(tampering.count("invalidation")).isEqualTo(3);
  }

  @Test
  void messageWhenOfAnotherInstallationThenIgnoredQuietly() {
    String raw = seal(master, "inst2", now).seal("node-a", "keys", "system");
    assertThat(receiver.open(raw, tampering)).isEmpty();
    assertThat(tampering.count("invalidation")).isZero();
  }
}
