package dev.gatehouse.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.crypto.MasterKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the token endpoint signs with: one small row per tenant, decrypted once per kid. */
class KeyServiceTest {

  /** A key table in memory that counts how it is read. */
  static final class CountingStore implements KeyStore {
    final List<StoredKey> rows = new ArrayList<>();
    final AtomicInteger wholeSetReads = new AtomicInteger();
    final AtomicInteger activeReads = new AtomicInteger();

    @Override
    public synchronized List<StoredKey> findByTenant(String tenantId) {
      wholeSetReads.incrementAndGet();
      return rows.stream().filter(k -> k.tenantId().equals(tenantId)).toList();
    }

    @Override
    public synchronized java.util.Optional<StoredKey> findActive(String tenantId,
        KeyAlgorithm alg) {
      activeReads.incrementAndGet();
      return rows.stream().filter(k -> k.tenantId().equals(tenantId) && k.alg() == alg
          && k.state() == KeyState.ACTIVE).reduce((first, second) -> second);
    }

    @Override
    public synchronized void insert(StoredKey key) {
      rows.add(key);
    }

    @Override
    public synchronized boolean rotate(String tenantId, KeyAlgorithm alg, String nextKid,
        long now, long publishUntil, StoredKey newNext) {
      for (int i = 0; i < rows.size(); i++) {
        StoredKey k = rows.get(i);
        if (k.tenantId().equals(tenantId) && k.alg() == alg) {
          KeyState state = k.kid().equals(nextKid) ? KeyState.ACTIVE
              : k.state() == KeyState.ACTIVE ? KeyState.RETIRED : k.state();
          rows.set(i, new StoredKey(k.tenantId(), k.kid(), k.alg(), state, k.publicJwk(),
              k.privateKeyEnc(), k.createdAt(), k.retiredAt(), state == KeyState.RETIRED
                  ? Long.valueOf(publishUntil) : k.publishUntil()));
        }
      }
      rows.add(newNext);
      return true;
    }

    @Override
    public int purgeRetired(String tenantId, long now) {
      return 0;
    }
  }

  @TempDir
  Path dir;

  private KeyService service(CountingStore store) {
    MasterKey master = MasterKey.load(Base64.getEncoder().encodeToString(new byte[32]), dir);
    return new KeyService(store, master, Clock.systemUTC(), Duration.ofHours(1));
  }

  @Test
  void signingKeyWhenCachedThenReadsOnlyTheActiveRowOnce() {
    CountingStore store = new CountingStore();
    KeyService keys = service(store);
    keys.initialise("acme", KeyAlgorithm.ES256);
    store.wholeSetReads.set(0);

    String kid = keys.signingKey("acme", KeyAlgorithm.ES256).kid();
    for (int i = 0; i < 10; i++) {
      assertThat(keys.signingKey("acme", KeyAlgorithm.ES256).kid()).isEqualTo(kid);
    }

    assertThat(store.activeReads).as("one small read, then the cache").hasValue(1);
    assertThat(store.wholeSetReads).as("the token path never loads the whole key set").hasValue(0);
  }

  @Test
  void signingKeyAfterRotationThenNextKeySigns() {
    CountingStore store = new CountingStore();
    KeyService keys = service(store);
    keys.initialise("acme", KeyAlgorithm.ES256);
    String before = keys.signingKey("acme", KeyAlgorithm.ES256).kid();

    String promoted = keys.rotate("acme", KeyAlgorithm.ES256);

    assertThat(promoted).isNotEqualTo(before);
    assertThat(keys.signingKey("acme", KeyAlgorithm.ES256).kid()).isEqualTo(promoted);
  }

  @Test
  void signingKeyWhenTenantHasNoneThenCreatesActiveAndNext() {
    CountingStore store = new CountingStore();
    KeyService keys = service(store);

    SigningKey key = keys.signingKey("fresh", KeyAlgorithm.EdDSA);

    assertThat(keys.describe("fresh")).extracting(StoredKey::state)
        .containsExactlyInAnyOrder(KeyState.ACTIVE, KeyState.NEXT);
    assertThat(keys.verificationKey("fresh", key.kid())).isPresent();
  }

  @Test
  void initialiseWhenSeveralAlgorithmsThenActiveAndNextOfEach() {
    CountingStore store = new CountingStore();
    KeyService keys = service(store);

    keys.initialise("acme", List.of(KeyAlgorithm.ES256, KeyAlgorithm.EdDSA));

    assertThat(keys.describe("acme")).extracting(k -> k.alg() + "/" + k.state())
        .containsExactlyInAnyOrder("ES256/ACTIVE", "ES256/NEXT", "EdDSA/ACTIVE", "EdDSA/NEXT");
    assertThat(keys.algorithms("acme")).containsExactly(KeyAlgorithm.ES256, KeyAlgorithm.EdDSA);
  }

  @Test
  void describeNeverHoldsSealedPrivateKeys() {
    CountingStore store = new CountingStore();
    KeyService keys = service(store);
    keys.initialise("acme", KeyAlgorithm.ES256);

    assertThat(keys.describe("acme")).isNotEmpty()
        .allSatisfy(k -> assertThat(k.privateKeyEnc()).isNull());
  }

  @Test
  void signWhenManyTenantsShareThePooledSignersThenEachVerifiesWithItsOwnKey() throws Exception {
    CountingStore store = new CountingStore();
    KeyService keys = service(store);
    for (String tenant : List.of("a", "b", "c")) {
      SigningKey key = keys.signingKey(tenant, KeyAlgorithm.ES256);
      String jws = key.sign("at+jwt", "{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8));
      int dot = jws.lastIndexOf('.');
      Signature verify = Signature.getInstance("SHA256withECDSAinP1363Format");
      verify.initVerify(keys.verificationKey(tenant, key.kid()).orElseThrow().publicKey());
      verify.update(jws.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
      assertThat(verify.verify(Base64.getUrlDecoder().decode(jws.substring(dot + 1))))
          .as("tenant %s", tenant).isTrue();
    }
  }
}
