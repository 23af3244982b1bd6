package dev.gatehouse.server.identity;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * BouncyCastle's Argon2id (RFC 9106, version 0x13), with the memory of the computations that may
 * run at once kept for reuse. The only class that names BouncyCastle: its jar is signed, and the
 * JVM verifies the whole jar when the first of its classes loads (about 0.3 s). {@link
 * PasswordHasher} makes this class at the first password check, so a start never waits for that
 * (nor would it if the class were in the start-up AOT cache: linking a cached class that named a
 * BouncyCastle type loaded that type, and verified the jar, at every start).
 */
final class Argon2idEngine {

  private final int memoryKib;
  private final int parallelism;
  private final Argon2BytesGenerator.FixedBlockPool blocks;

  /** For hashes of {@code memoryKib} and {@code parallelism}, {@code concurrency} at once. */
  Argon2idEngine(int memoryKib, int parallelism, int concurrency) {
    this.memoryKib = memoryKib;
    this.parallelism = parallelism;
    this.blocks = new Argon2BytesGenerator.FixedBlockPool(
        concurrency * Argon2BytesGenerator.getBlockCount(memoryKib, parallelism));
  }

  /** Argon2id of {@code password} (UTF-8): {@code length} bytes. */
  byte[] hash(String password, byte[] salt, int m, int t, int p, int length) {
    Argon2Parameters.Builder params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(m).withIterations(t).withParallelism(p).withSalt(salt);
    if (m == memoryKib && p == parallelism) {
      // Hashes of other parameters (imported, or made before a change) allocate their own.
      params.withBlockPool(blocks);
    }
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params.build());
    byte[] out = new byte[length];
    gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
