package dev.gatehouse.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  // Small parameters keep the suite fast; the format and logic are the same as OWASP's.
  private final PasswordHasher hasher = new PasswordHasher(64, 1, 1);

  @Test
  void hashWhenVerifiedWithSamePasswordThenMatchesWithoutRehash() {
    String hash = hasher.hash("correct horse battery");
    assertThat(hash).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
    assertThat(hasher.verify("correct horse battery", hash))
        .isEqualTo(new PasswordHasher.Verification(true, false));
    assertThat(hasher.verify("correct horse batterY", hash).matches()).isFalse();
  }

  /**
   * Hashes made by the Argon2 reference implementation (the {@code argon2} command of the PHC
   * winner's C code, Debian package {@code argon2}), not by our code:
   * <pre>
   * echo -n "correct horse battery staple" | argon2 gatehouse-ref-salt -id -t 2 -m 10 -p 1 -l 32 -e
   * echo -n "pässwörd ünïcode" | argon2 sixteen-byte-slt -id -t 3 -m 11 -p 2 -l 32 -e
   * </pre>
   * (UTF-8 input). A hash another Argon2id implementation wrote must verify here, or imported
   * users could not sign in.
   */
  @Test
  void verifyWhenHashFromReferenceImplementationThenMatches() {
    String one = "$argon2id$v=19$m=1024,t=2,p=1$Z2F0ZWhvdXNlLXJlZi1zYWx0"
        + "$fvEvLpDVYSiEtFXHqbd+jlD5V4i1A4t8t2Avs23jMo4";
    assertThat(hasher.verify("correct horse battery staple", one).matches()).isTrue();
    assertThat(hasher.verify("correct horse battery stapl", one).matches()).isFalse();
    // The same parameters as the hasher's own: computed in pooled blocks, the second time in
    // blocks the first returned.
    PasswordHasher same = new PasswordHasher(1024, 2, 1);
    for (int i = 0; i < 2; i++) {
      assertThat(same.verify("correct horse battery staple", one).matches()).isTrue();
      assertThat(same.verify("correct horse battery stapl", one).matches()).isFalse();
    }
    String lanes = "$argon2id$v=19$m=2048,t=3,p=2$c2l4dGVlbi1ieXRlLXNsdA"
        + "$R3pacOnriwXPErBYVDgAaZlRNIPeSMuJS9qsWAXIXQY";
    assertThat(hasher.verify("pässwörd ünïcode", lanes).matches()).isTrue();
    assertThat(hasher.verify("passwörd ünïcode", lanes).matches()).isFalse();
  }

  @Test
  void hashWhenSamePasswordTwiceThenSaltsDiffer() {
    assertThat(hasher.hash("same password")).isNotEqualTo(hasher.hash("same password"));
  }

  @Test
  void verifyWhenArgon2ParametersDifferFromCurrentThenNeedsRehash() {
    String old = new PasswordHasher(32, 1, 1).hash("pw-for-upgrade");
    assertThat(hasher.verify("pw-for-upgrade", old))
        .isEqualTo(new PasswordHasher.Verification(true, true));
  }

  @Test
  void verifyWhenOwaspDefaultsThenParametersInPhcString() {
    assertThat(PasswordHasher.owasp().hash("x")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
  }

  @Test
  void verifyWhenImportedBcryptThenMatchesAndNeedsRehash() {
    // OpenBSD bcrypt test vector: bcrypt("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.").
    String bcrypt = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
    assertThat(PasswordHasher.isSupportedHash(bcrypt)).isTrue();
    assertThat(hasher.verify("U*U", bcrypt))
        .isEqualTo(new PasswordHasher.Verification(true, true));
    assertThat(hasher.verify("U*V", bcrypt).matches()).isFalse();
  }

  @Test
  void verifyWhenImportedDjangoPbkdf2ThenMatches() {
    // Computed independently with Python's hashlib.pbkdf2_hmac.
    String django = "pbkdf2_sha256$10000$NaClSalt1234$"
        + "qVQPn+ed3Rz9XlmV0jHeGosnNSAt7UakZ1ovTiHnnwM=";
    assertThat(PasswordHasher.isSupportedHash(django)).isTrue();
    assertThat(hasher.verify("correct horse battery", django))
        .isEqualTo(new PasswordHasher.Verification(true, true));
    assertThat(hasher.verify("wrong", django).matches()).isFalse();
  }

  @Test
  void verifyWhenImportedPhcPbkdf2ThenMatches() {
    // passlib's format: adapted base64 ('.' for '+'), computed with Python's hashlib.
    String phc = "$pbkdf2-sha256$i=12000$MDEyMzQ1Njc4OWFiY2RlZg$"
        + "Muw3ojs9HUqj8/1nSCU/XmvofGtT.btsyjuT5F11aDg";
    assertThat(PasswordHasher.isSupportedHash(phc)).isTrue();
    assertThat(hasher.verify("correct horse battery", phc).matches()).isTrue();
  }

  @Test
  void verifyWhenStoredHashMissingOrGarbageThenNoMatchAndNoException() {
    assertThat(hasher.verify("x", null).matches()).isFalse();
    assertThat(hasher.verify("x", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA").matches())
        .isFalse();
    assertThat(hasher.verify("x", "$2a$05$short").matches()).isFalse();
    assertThat(hasher.verify("x", "plaintext").matches()).isFalse();
    assertThat(PasswordHasher.isSupportedHash("plaintext")).isFalse();
  }

  @Test
  void concurrencyWhenManyProcessorsThenBoundedByAQuarterOfTheHeap() {
    long mib = 1024 * 1024;
    assertThat(PasswordHasher.concurrency(19 * 1024, 2, 192 * mib)).isEqualTo(2);
    assertThat(PasswordHasher.concurrency(19 * 1024, 16, 192 * mib)).isEqualTo(2);
    assertThat(PasswordHasher.concurrency(19 * 1024, 16, 1024 * mib)).isEqualTo(13);
    assertThat(PasswordHasher.concurrency(19 * 1024, 2, 32 * mib)).as("at least one").isEqualTo(1);
  }

  @Test
  void hashWhenManyAtOnceFromPooledBlocksThenEachStillVerifiesAndOnlyItsOwnPassword()
      throws Exception {
    // Blocks go back to a shared pool after each computation: a block handed to two at once, or
    // returned with data in it, would make these hashes wrong.
    java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 24; i++) {
        String password = "password-" + i;
        results.add(pool.submit(() -> {
          String stored = hasher.hash(password);
          return hasher.verify(password, stored).matches()
              && !hasher.verify(password + "x", stored).matches();
        }));
      }
      for (var r : results) {
        assertThat(r.get()).isTrue();
      }
    }
  }
}
