package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.mfa.ChallengeStore;
import dev.gatehouse.server.mfa.Challenges;
import java.time.Clock;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Found in the sweep after GH-16 (a second spelling of a signed value): a WebAuthn challenge is
 * accepted once, remembered by the hash of its text, but decoded leniently, so the same challenge
 * with base64 padding appended was a new text with the same bytes and was accepted a second time:
 * an intercepted passkey assertion could be replayed within the challenge's lifetime
 * (authenticators without a signature counter do not catch it). Only the canonical unpadded
 * spelling is accepted.
 */
class PaddedWebAuthnChallengeReplayedTest {

  private static final class UsedChallenges implements ChallengeStore {
    private final Set<String> used = new HashSet<>();

    @Override
    public boolean markUsed(String tenantId, String challengeHash, long expiresAt) {
      return used.add(tenantId + "\u0000" + challengeHash);
    }

    @Override
    public int purgeExpired(long now) {
      return 0;
    }
  }

  @Test
  void whenChallengeIsReplayedWithPaddingThenRefused() {
    SecretHasher hasher = MasterKey.load(Base64.getEncoder().encodeToString(new byte[32]),
        Path.of("unused")).secretHasher();
    Challenges challenges = new Challenges(new UsedChallenges(), hasher, Clock.systemUTC());
    String challenge = challenges.issue("acme", "authenticate", "csrf-1");
    assertThat(challenges.consume("acme", "authenticate", "csrf-1", challenge)).isNotNull();
    assertThat(challenges.consume("acme", "authenticate", "csrf-1", challenge)).isNull();
    assertThat(challenges.consume("acme", "authenticate", "csrf-1", challenge + "==")).isNull();
  }
}
