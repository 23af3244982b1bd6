package dev.gatehouse.server.identity;

import io.opentelemetry.api.trace.Span;
import dev.gatehouse.server.observe.Spans;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Hashes what people choose — passwords — with Argon2id (RFC 9106), stored as PHC strings
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), and verifies hashes imported from other
 * systems: bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}) and PBKDF2-SHA256 (PHC
 * {@code $pbkdf2-sha256$i=N$salt$hash} or Django's {@code pbkdf2_sha256$N$salt$hash}). A login that
 * verifies against anything but the current Argon2id parameters is told to rehash.
 *
 * <p>Defaults are OWASP's Argon2id recommendation: 19 MiB, two passes, one lane.
 *
 * <p>Memory. Each Argon2id computation needs its {@code m} KiB at once, as 1 KiB blocks on the
 * heap, live for the whole computation: allocated anew each time, a few sign-ins a second
 * promoted tens of megabytes a second out of the young generation and made the collector run a
 * full collection every half second (measured in the chaos suite's 3,000-user run: 240 full
 * collections, 40 s of pauses in 150 s). So at most {@link #concurrency} computations run at once
 * (more would not finish sooner: each is one CPU-bound lane), and they take their blocks from a
 * pool that keeps that many computations' worth (Bouncy Castle's {@code FixedBlockPool}; each block
 * is cleared before it returns to the pool). Others wait their turn.
 */
public final class PasswordHasher {

  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private final int memoryKib;
  private final int iterations;
  private final int parallelism;
  private final SecureRandom random = new SecureRandom();
  private final String dummyHash;
  private final Semaphore computing;
  private final int concurrency;
  /** Made at the first password check (see {@link Argon2idEngine} for why not at start). */
  private volatile Argon2idEngine engine;

  /** The outcome of a verification. */
  public record Verification(boolean matches, boolean needsRehash) {}

  public PasswordHasher(int memoryKib, int iterations, int parallelism) {
    if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
      throw new IllegalArgumentException("invalid Argon2id parameters");
    }
    this.memoryKib = memoryKib;
    this.iterations = iterations;
    this.parallelism = parallelism;
    this.concurrency = concurrency(memoryKib, Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory());
    this.computing = new Semaphore(concurrency, true);
    this.dummyHash = dummyHash();
  }

  private Argon2idEngine engine() {
    Argon2idEngine e = engine;
    if (e == null) {
      synchronized (this) {
        e = engine;
        if (e == null) {
          e = new Argon2idEngine(memoryKib, parallelism, concurrency);
          engine = e;
        }
      }
    }
    return e;
  }

  /**
   * A hash with the current parameters that no password matches: a random salt and a random
   * output. Verifying against it costs what verifying a real hash costs, which is all it is for;
   * unlike hashing a dummy password, making it costs nothing at start.
   */
  private String dummyHash() {
    byte[] salt = new byte[SALT_BYTES];
    byte[] out = new byte[HASH_BYTES];
    random.nextBytes(salt);
    random.nextBytes(out);
    return encode(salt, out);
  }

  /**
   * How many Argon2id computations of {@code memoryKib} run at once: one per processor, as long
   * as their memory stays within a quarter of the heap; at least one.
   */
  static int concurrency(int memoryKib, int processors, long maxHeapBytes) {
    long byHeap = maxHeapBytes / 4 / (memoryKib * 1024L);
    return (int) Math.max(1, Math.min(processors, byHeap));
  }

  /** OWASP's parameters: m=19 MiB, t=2, p=1. */
  public static PasswordHasher owasp() {
    return new PasswordHasher(19 * 1024, 2, 1);
  }

  public String hash(String password) {
    Span span = Spans.start("password.hash");
    try {
      if (span.isRecording()) {
        span.setAttribute(ALGORITHM, "argon2id");
      }
      return hashUntraced(password);
    } finally {
      span.end();
    }
  }

  private static final io.opentelemetry.api.common.AttributeKey<String> ALGORITHM =
      Spans.key("gatehouse.password.algorithm");

  private String hashUntraced(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] out = argon2(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
    return encode(salt, out);
  }

  private String encode(byte[] salt, byte[] out) {
    return currentPrefix() + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
  }

  /**
   * Verifies {@code password} against {@code stored}; a null or unreadable {@code stored} is
   * checked against a dummy hash so that the time taken does not tell whether an account exists.
   */
  public Verification verify(String password, String stored) {
    Span span = Spans.start("password.verify");
    try {
      if (span.isRecording()) {
        span.setAttribute(ALGORITHM, stored == null || stored.startsWith("$argon2id$") ? "argon2id"
            : stored.startsWith("$2") ? "bcrypt" : "pbkdf2");
      }
      return verifyUntraced(password, stored);
    } finally {
      span.end();
    }
  }

  private Verification verifyUntraced(String password, String stored) {
    if (stored == null) {
      verifyArgon2(password, dummyHash);
      return new Verification(false, false);
    }
    try {
      if (stored.startsWith("$argon2id$")) {
        boolean ok = verifyArgon2(password, stored);
        return new Verification(ok, ok && !stored.startsWith(currentPrefix()));
      }
      if (stored.startsWith("$2a$") || stored.startsWith("$2b$") || stored.startsWith("$2y$")) {
        return new Verification(OpenBSDBCrypt.checkPassword(stored,
            password.toCharArray()), true);
      }
      Optional<Boolean> pbkdf2 = verifyPbkdf2(password, stored);
      if (pbkdf2.isPresent()) {
        return new Verification(pbkdf2.get(), pbkdf2.get());
      }
    } catch (RuntimeException e) {
      // An unreadable stored hash never verifies; fall through to the dummy work.
    }
    verifyArgon2(password, dummyHash);
    return new Verification(false, false);
  }

  /** Whether {@code stored} is a hash format this class can verify (for imports). */
  public static boolean isSupportedHash(String stored) {
    return stored != null && (stored.matches("\\$argon2id\\$v=19\\$m=\\d+,t=\\d+,p=\\d+\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+")
        || stored.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")
        || stored.matches("\\$pbkdf2-sha256\\$(i=)?\\d+\\$[A-Za-z0-9+/.=]+\\$[A-Za-z0-9+/.=]+")
        || stored.matches("pbkdf2_sha256\\$\\d+\\$[^$]+\\$[A-Za-z0-9+/=]+"));
  }

  private String currentPrefix() {
    return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$";
  }

  private boolean verifyArgon2(String password, String phc) {
    // $argon2id$v=19$m=19456,t=2,p=1$salt$hash
    String[] parts = phc.split("\\$");
    if (parts.length != 6 || !"v=19".equals(parts[2])) {
      return false;
    }
    int m = 0;
    int t = 0;
    int p = 0;
    for (String kv : parts[3].split(",")) {
      int v = Integer.parseInt(kv.substring(2));
      switch (kv.charAt(0)) {
        case 'm' -> m = v;
        case 't' -> t = v;
        case 'p' -> p = v;
        default -> {
          return false;
        }
      }
    }
    // Bounds so that a planted hash cannot make one login cost minutes or gigabytes.
    if (m < 8 || m > 1024 * 1024 || t < 1 || t > 20 || p < 1 || p > 16) {
      return false;
    }
    byte[] salt = B64D.decode(parts[4]);
    byte[] expected = B64D.decode(parts[5]);
    byte[] actual = argon2(password, salt, m, t, p, expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  private byte[] argon2(String password, byte[] salt, int m, int t, int p, int length) {
    Argon2idEngine e = engine();
    computing.acquireUninterruptibly();
    try {
      return e.hash(password, salt, m, t, p, length);
    } finally {
      computing.release();
    }
  }

  private static Optional<Boolean> verifyPbkdf2(String password, String stored) {
    int iterations;
    byte[] salt;
    byte[] expected;
    if (stored.startsWith("$pbkdf2-sha256$")) {
      String[] parts = stored.split("\\$");
      iterations = Integer.parseInt(parts[2].startsWith("i=") ? parts[2].substring(2) : parts[2]);
      salt = adaptedBase64(parts[3]);
      expected = adaptedBase64(parts[4]);
    } else if (stored.startsWith("pbkdf2_sha256$")) {
      // Django: the salt is used as its UTF-8 text, the hash is standard base64.
      String[] parts = stored.split("\\$");
      iterations = Integer.parseInt(parts[1]);
      salt = parts[2].getBytes(StandardCharsets.UTF_8);
      expected = Base64.getDecoder().decode(parts[3]);
    } else {
      return Optional.empty();
    }
    if (iterations < 1 || iterations > 10_000_000 || expected.length < 16) {
      return Optional.of(false);
    }
    try {
      SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      byte[] actual = f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations,
          expected.length * 8)).getEncoded();
      return Optional.of(MessageDigest.isEqual(expected, actual));
    } catch (java.security.GeneralSecurityException e) {
      return Optional.of(false);
    }
  }

  /** passlib's adapted base64: '.' instead of '+', no padding. */
  private static byte[] adaptedBase64(String s) {
    return Base64.getDecoder().decode(s.replace('.', '+').replace("=", ""));
  }
}
