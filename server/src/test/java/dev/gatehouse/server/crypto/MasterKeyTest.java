package dev.gatehouse.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master key: AES-256-GCM sealing of private keys and the keyed hash of secrets. */
class MasterKeyTest {

  private static byte[] random32() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private final MasterKey key = new MasterKey(random32());
  private final byte[] secret = "pkcs8 private key bytes".getBytes(StandardCharsets.UTF_8);

  @Test
  void decryptWhenSameKeyAndContextThenPlaintext() {
    String sealed = key.encrypt(secret, "acme/kid1");
    assertThat(sealed).startsWith("v1.");
    assertThat(key.decrypt(sealed, "acme/kid1")).isEqualTo(secret);
  }

  @Test
  void encryptWhenSamePlaintextTwiceThenDifferentCiphertexts() {
    assertThat(key.encrypt(secret, "c")).isNotEqualTo(key.encrypt(secret, "c"));
  }

  @Test
  void encryptWhenCalledThenPlaintextDoesNotAppear() {
    String sealed = key.encrypt(secret, "c");
    assertThat(new String(Base64.getUrlDecoder().decode(sealed.substring(3)),
        StandardCharsets.ISO_8859_1)).doesNotContain("private key");
  }

  @Test
  void decryptWhenContextDiffersThenFails() {
    String sealed = key.encrypt(secret, "acme/kid1");
    assertThatThrownBy(() -> key.decrypt(sealed, "globex/kid1"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void decryptWhenKeyDiffersThenFails() {
    String sealed = key.encrypt(secret, "acme/kid1");
    assertThatThrownBy(() -> new MasterKey(random32()).decrypt(sealed, "acme/kid1"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void decryptWhenCiphertextTamperedThenFails() {
    String sealed = key.encrypt(secret, "c");
    char last = sealed.charAt(sealed.length() - 2);
    String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A')
        + sealed.charAt(sealed.length() - 1);
    assertThatThrownBy(() -> key.decrypt(tampered, "c")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> key.decrypt("v2.whatever", "c"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> key.decrypt("v1.!!!", "c"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> key.decrypt("v1.AAAA", "c"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void constructorWhenNot32BytesThenRefused() {
    assertThatThrownBy(() -> new MasterKey(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void loadWhenNoKeyConfiguredThenFileCreatedWithMode600AndReused(@TempDir Path dir)
      throws Exception {
    MasterKey first = MasterKey.load(null, dir);
    Path file = dir.resolve("master.key");
    assertThat(file).exists();
    assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).hasSize(32);
    String sealed = first.encrypt(secret, "c");
    MasterKey second = MasterKey.load("", dir);
    assertThat(second.decrypt(sealed, "c")).isEqualTo(secret);
    assertThat(second.secretHasher().hash("s")).isEqualTo(first.secretHasher().hash("s"));
  }

  @Test
  void loadWhenConfiguredInBase64OrBase64UrlThenSameKey(@TempDir Path dir) {
    byte[] raw = random32();
    raw[0] = (byte) 0xfb; // base64 '+' / '-' at the start, so both alphabets differ
    String std = Base64.getEncoder().encodeToString(raw);
    String url = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    MasterKey a = MasterKey.load(std, dir);
    MasterKey b = MasterKey.load(" " + url + "\n", dir);
    assertThat(b.decrypt(a.encrypt(secret, "c"), "c")).isEqualTo(secret);
    assertThat(dir.resolve("master.key")).doesNotExist();
  }

  @Test
  void loadWhenConfiguredValueIsNot32BytesOrNotBase64ThenRefused(@TempDir Path dir) {
    assertThatThrownBy(() -> MasterKey.load(Base64.getEncoder().encodeToString(new byte[31]), dir))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> MasterKey.load("not base64 at all!", dir))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secretHasherWhenDifferentMasterKeysThenDifferentHashes() {
    assertThat(key.secretHasher().hash("s"))
        .isNotEqualTo(new MasterKey(random32()).secretHasher().hash("s"));
  }

  @Test
  void writePrivateWhenFileExistsThenReplacedAndStillMode600(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("f.json");
    Files.writeString(file, "old");
    MasterKey.writePrivate(file, "new");
    assertThat(Files.readString(file)).isEqualTo("new");
    assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }
}
