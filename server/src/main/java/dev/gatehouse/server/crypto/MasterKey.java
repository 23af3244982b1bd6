package dev.gatehouse.server.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that protects every other secret at rest: it encrypts private signing keys (AES-256-GCM)
 * and keys the hash of server-generated secrets (HMAC-SHA-256).
 *
 * <p>It comes from {@code GATEHOUSE_MASTER_KEY} (32 bytes, base64 or base64url) or, for a
 * one-node start, from {@code <data dir>/master.key}, created with mode 600 and a warning.
 * Sub-keys are derived from it (HMAC as a KDF with distinct labels) so that encryption, hashing and
 * the MACs of what is kept in Redis ({@link #cacheMac}) never share a key.
 */
public final class MasterKey {

  private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String FORMAT_PREFIX = "v1.";

  private final SecretKey encryptionKey;
  private final byte[] hashingKey;
  /** The root of the Redis MACs' keys: the master key itself is not kept. */
  private final byte[] redisMacRoot;
  private final String checkValue;
  private final SecureRandom random = new SecureRandom();

  MasterKey(byte[] master) {
    if (master.length != 32) {
      throw new IllegalArgumentException("the master key must be 32 bytes, not " + master.length);
    }
    this.encryptionKey = new SecretKeySpec(derive(master, "gatehouse/encryption/v1"), "AES");
    this.hashingKey = derive(master, "gatehouse/secret-hash/v1");
    this.redisMacRoot = hkdfExpand(master, "gatehouse/redis-mac/v1");
    // Its own derived key: the check value reveals nothing about the encryption or hashing keys.
    this.checkValue = Base64.getUrlEncoder().withoutPadding().encodeToString(
        derive(derive(master, "gatehouse/key-check/v1"), "gatehouse key check value"));
  }

  /**
   * The key check value: identifies this master key (an HMAC of a constant under a key derived
   * from it) without revealing it, so an installation can tell whether a node has the right key.
   */
  public String checkValue() {
    return checkValue;
  }

  /** From the configured value if present, else from (or into) the data dir's key file. */
  public static MasterKey load(String configured, Path dataDir) {
    if (configured != null && !configured.isBlank()) {
      return new MasterKey(decode(configured.trim(), "GATEHOUSE_MASTER_KEY"));
    }
    Path file = dataDir.resolve("master.key");
    try {
      if (Files.exists(file)) {
        return new MasterKey(decode(Files.readString(file).trim(), file.toString()));
      }
      byte[] fresh = new byte[32];
      new SecureRandom().nextBytes(fresh);
      Files.createDirectories(dataDir);
      writePrivate(file, Base64.getEncoder().encodeToString(fresh) + "\n");
      LOG.warn("no GATEHOUSE_MASTER_KEY set: generated {} (mode 600); set GATEHOUSE_MASTER_KEY"
          + " from a secret store in production and keep a backup, or encrypted keys are lost",
          file);
      return new MasterKey(fresh);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create master key file " + file, e);
    }
  }

  /** Writes a file readable by its owner only (mode 600 where the file system has modes). */
  public static void writePrivate(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static byte[] decode(String value, String source) {
    try {
      byte[] key = value.contains("-") || value.contains("_")
          ? Base64.getUrlDecoder().decode(value)
          : Base64.getDecoder().decode(value);
      if (key.length != 32) {
        throw new IllegalArgumentException(source + " must hold 32 bytes in base64, not "
            + key.length);
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + " must be 32 bytes in base64: " + e.getMessage());
    }
  }

  private static byte[] derive(byte[] master, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(master, "HmacSHA256"));
      return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Encrypts {@code plaintext}; {@code context} is bound as associated data (e.g. tenant/kid). */
  public String encrypt(byte[] plaintext, String context) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      byte[] out = new byte[nonce.length + sealed.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
      return FORMAT_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    }
  }

  /** Decrypts what {@link #encrypt} produced under the same context; fails if either changed. */
  public byte[] decrypt(String sealed, String context) {
    if (!sealed.startsWith(FORMAT_PREFIX)) {
      throw new IllegalStateException("unknown encrypted key format");
    }
    try {
      byte[] in = Base64.getUrlDecoder().decode(sealed.substring(FORMAT_PREFIX.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, encryptionKey,
          new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot decrypt a stored key: wrong master key?", e);
    }
  }

  /**
   * The MAC of one use ({@code cache}, {@code invalidation}) of what this installation keeps in
   * Redis, under a key of its own: HKDF-Expand (RFC 5869 §2.3) with the use and the installation
   * as info, from a root itself expanded from the master key (which is uniformly random, so it
   * serves as HKDF's pseudorandom key without the extract step).
   */
  public CacheMac cacheMac(String use, String installationId) {
    return new CacheMac(hkdfExpand(redisMacRoot, use + "\u0000" + installationId));
  }

  /** One block of HKDF-Expand: T(1) = HMAC(PRK, info || 0x01), 32 bytes. */
  static byte[] hkdfExpand(byte[] prk, String info) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      mac.update(info.getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(new byte[] {1});
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A hasher for server-generated secrets, keyed by this master key. */
  public SecretHasher secretHasher() {
    return new SecretHasher(hashingKey);
  }
}
