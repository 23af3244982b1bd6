package dev.gatehouse.server.mfa;

import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.crypto.Secrets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recovery codes: ten single-use codes that stand in for a lost authenticator. They are shown
 * once, when generated, and stored only as keyed hashes (HMAC-SHA-256 under the master key);
 * generating a new set replaces every old code.
 *
 * <p>Each code is 12 characters of a 32-letter alphabet without look-alikes (60 bits): guessing
 * online is bounded by the second-factor throttle, and offline needs the master key.
 */
public final class RecoveryCodes {

  public static final int COUNT = 10;
  private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
  private static final int LENGTH = 12;

  private final RecoveryCodeStore store;
  private final SecretHasher hasher;
  private final Clock clock;

  public RecoveryCodes(RecoveryCodeStore store, SecretHasher hasher, Clock clock) {
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
  }

  /** Generates a new set, replacing the old one; the codes, to show once, as xxxx-xxxx-xxxx. */
  public List<String> regenerate(String tenantId, String userId) {
    List<String> codes = new ArrayList<>(COUNT);
    List<String> hashes = new ArrayList<>(COUNT);
    for (int i = 0; i < COUNT; i++) {
      StringBuilder b = new StringBuilder();
      for (int j = 0; j < LENGTH; j++) {
        if (j > 0 && j % 4 == 0) {
          b.append('-');
        }
        b.append(ALPHABET.charAt(Secrets.random().nextInt(ALPHABET.length())));
      }
      codes.add(b.toString());
      hashes.add(hash(tenantId, userId, b.toString()));
    }
    store.replaceAll(tenantId, userId, hashes, clock.instant().getEpochSecond());
    return codes;
  }

  /** Uses a code: true once for each code generated, false for anything else. */
  public boolean use(String tenantId, String userId, String code) {
    if (code == null || code.length() > 40) {
      return false;
    }
    return store.use(tenantId, userId, hash(tenantId, userId, code),
        clock.instant().getEpochSecond());
  }

  public int remaining(String tenantId, String userId) {
    return store.remaining(tenantId, userId);
  }

  public int deleteAll(String tenantId, String userId) {
    return store.deleteAll(tenantId, userId);
  }

  /** Hashed in a canonical form (lower case, no separators), bound to tenant and user. */
  private String hash(String tenantId, String userId, String code) {
    String canonical = code.toLowerCase(Locale.ROOT).replaceAll("[\\s-]", "");
    return hasher.hash("mfa-recovery\u0000" + tenantId + "\u0000" + userId + "\u0000" + canonical);
  }
}
