package dev.gatehouse.server.keys;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import dev.gatehouse.server.cache.ChangeListeners;
import dev.gatehouse.server.cache.OffLockLoads;
import dev.gatehouse.server.cache.StaleOnOutage;
import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.crypto.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signing keys per tenant and algorithm, their rotation and their publication as a JWKS.
 *
 * <p>Each algorithm has one active key (signs), one next key (already published, so that caches of
 * the JWKS know it before it signs anything) and retired keys, published until every token they
 * signed has expired: rotation retires the active key for the longest access-token lifetime the
 * server allows ({@code tokens.max-access-token-ttl-seconds}).
 *
 * <p>Key rings are cached per tenant; a rotation through this node takes effect at once, one
 * through another node within the refresh interval.
 */
public final class KeyService {

  /** The algorithm of access tokens unless a client asks for another. */
  public static final KeyAlgorithm DEFAULT_ALGORITHM = KeyAlgorithm.ES256;

  /**
   * What a new tenant publishes from the start: the default access token algorithm and RS256,
   * the default ID token algorithm ("The default, if omitted, is RS256", OpenID Connect Dynamic
   * Client Registration §2, id_token_signed_response_alg). A relying party fetches the JWKS
   * before it sees a token, and may cache it: a key made at first use would be missing there.
   */
  public static final List<KeyAlgorithm> PUBLISHED_FROM_THE_START =
      List.of(DEFAULT_ALGORITHM, KeyAlgorithm.RS256);

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] ED25519_SPKI_PREFIX = HEX.parseHex("302a300506032b6570032100");

  private final KeyStore store;
  private final MasterKey masterKey;
  private final Clock clock;
  private final Duration retirementWindow;
  private final AsyncLoadingCache<String, KeyRing> rings;
  /** The decrypted active key per tenant and algorithm: what the token endpoint signs with. */
  private final AsyncLoadingCache<ActiveKey, SigningKey> signers;
  private final ChangeListeners changes = new ChangeListeners();

  private record ActiveKey(String tenantId, KeyAlgorithm alg) {}

  public KeyService(KeyStore store, MasterKey masterKey, Clock clock, Duration retirementWindow) {
    this.store = store;
    this.masterKey = masterKey;
    this.clock = clock;
    this.retirementWindow = retirementWindow;
    NativeEs256.preload();
    // Both caches are bounded by an estimate of the bytes they hold, so that a node serving many
    // tenants keeps a bounded working set and a miss costs one indexed query (docs/benchmarks.md,
    // "Many tenants"). Rings hold public keys and the JWKS document (verification, JWKS, admin);
    // signers hold one decrypted private key each (token issuance), and a refresh re-reads only
    // which key is active: a kid's private key never changes, so it is not decrypted again.
    this.rings = Caffeine.newBuilder()
        .maximumWeight(RING_CACHE_BYTES)
        .weigher((String tenant, KeyRing ring) -> ring.estimatedBytes())
        .refreshAfterWrite(Duration.ofSeconds(60))
        .recordStats()
        .executor(OffLockLoads.EXECUTOR)
        .buildAsync(StaleOnOutage.loader(this::load));
    this.signers = Caffeine.newBuilder()
        .maximumWeight(SIGNER_CACHE_BYTES)
        .weigher((ActiveKey k, SigningKey key) -> key.estimatedBytes())
        .refreshAfterWrite(Duration.ofSeconds(60))
        .recordStats()
        .executor(OffLockLoads.EXECUTOR)
        .buildAsync(new SignerLoader());
  }

  /** Heap the key rings of all tenants may take on this node, estimated. */
  static final long RING_CACHE_BYTES = 12L << 20;
  /** Heap the decrypted signing keys of all tenants may take on this node, estimated. */
  static final long SIGNER_CACHE_BYTES = 24L << 20;

  /** Loads a tenant's active key; a refresh keeps the decrypted key while it is still active. */
  private final class SignerLoader implements com.github.benmanes.caffeine.cache.CacheLoader<
      ActiveKey, SigningKey> {
    @Override
    public SigningKey load(ActiveKey k) {
      return store.findActive(k.tenantId(), k.alg()).map(this::decrypt).orElse(null);
    }

    @Override
    public SigningKey reload(ActiveKey k, SigningKey old) {
      try {
        Optional<StoredKey> active = store.findActive(k.tenantId(), k.alg());
        if (active.isPresent() && active.get().kid().equals(old.kid())) {
          return old;
        }
        return active.map(this::decrypt).orElse(null);
      } catch (dev.gatehouse.server.store.StoreException e) {
        if (e.outage()) {
          return old;
        }
        throw e;
      }
    }

    private SigningKey decrypt(StoredKey k) {
      byte[] pkcs8 = masterKey.decrypt(k.privateKeyEnc(), k.tenantId() + "/" + k.kid());
      return new SigningKey(k.kid(), k.alg(), k.alg().privateKey(pkcs8));
    }
  }

  /** Reports this node's L1 cache as {@code cache.*} meters named {@code signing_keys}. */
  public void monitor(io.micrometer.core.instrument.MeterRegistry registry) {
    io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(registry,
        rings.synchronous(), "signing_keys");
    // The decrypted active keys the token endpoint signs with (one per tenant and algorithm).
    io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(registry,
        signers.synchronous(), "active_signing_keys");
  }

  /** Calls {@code listener} with the tenant id after its keys change through this node. */
  public void onChange(java.util.function.Consumer<String> listener) {
    changes.add(listener);
  }

  /** Creates the active and next keys of {@code alg} for a tenant that has none. */
  public void initialise(String tenantId, KeyAlgorithm alg) {
    initialise(tenantId, List.of(alg));
  }

  /**
   * Creates the active and next keys of each of {@code algs} for a tenant that has none. The key
   * pairs are generated in parallel: two RSA-2048 pairs are most of a new tenant's cost, and of
   * a first start's (the system tenant).
   */
  public void initialise(String tenantId, List<KeyAlgorithm> algs) {
    long now = clock.instant().getEpochSecond();
    List<java.util.concurrent.Future<StoredKey>> made = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (KeyAlgorithm alg : algs) {
        for (KeyState state : List.of(KeyState.ACTIVE, KeyState.NEXT)) {
          made.add(pool.submit(() -> generate(tenantId, alg, state, now)));
        }
      }
    }
    for (var key : made) {
      try {
        store.insert(key.get());
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while generating keys", e);
      }
    }
    forget(tenantId);
    changes.fire(tenantId);
  }

  /**
   * Makes sure the tenant publishes keys of {@code alg} (active and next) before a token needs
   * one: at client registration, so that the JWKS a relying party fetches first already has them.
   */
  public void prepublish(String tenantId, KeyAlgorithm alg) {
    signingKey(tenantId, alg);
  }

  /** The algorithms the tenant has keys of, default first. */
  public List<KeyAlgorithm> algorithms(String tenantId) {
    return OffLockLoads.get(rings, tenantId).stored().stream().map(StoredKey::alg).distinct()
        .sorted(java.util.Comparator.comparing((KeyAlgorithm a) -> a != DEFAULT_ALGORITHM)
            .thenComparing(Enum::ordinal))
        .toList();
  }

  /** The key that signs new tokens of {@code alg}; created on first use if none is published. */
  public SigningKey signingKey(String tenantId, KeyAlgorithm alg) {
    ActiveKey id = new ActiveKey(tenantId, alg);
    SigningKey key = OffLockLoads.get(signers, id);
    if (key == null) {
      synchronized (this) {
        key = OffLockLoads.get(signers, id);
        if (key == null) {
          initialise(tenantId, alg);
          key = OffLockLoads.get(signers, id);
        }
      }
    }
    return key;
  }

  /** A published key by kid: what checks a token this tenant signed. */
  public Optional<VerificationKey> verificationKey(String tenantId, String kid) {
    return Optional.ofNullable(OffLockLoads.get(rings, tenantId).published().get(kid));
  }

  /** The tenant's JWKS document (RFC 7517 §5), public keys only. */
  public byte[] jwks(String tenantId) {
    return OffLockLoads.get(rings, tenantId).jwks();
  }

  /** Key metadata for the admin API: kid, alg, state and dates; never private material. */
  public List<StoredKey> describe(String tenantId) {
    return OffLockLoads.get(rings, tenantId).stored();
  }

  /**
   * Rotates {@code alg}: next becomes active, active is retired and stays published for the
   * retirement window, and a new next key is made. Returns the new active kid.
   */
  public String rotate(String tenantId, KeyAlgorithm alg) {
    for (int attempt = 0; attempt < 3; attempt++) {
      List<StoredKey> keys = store.findByTenant(tenantId);
      Optional<StoredKey> next = keys.stream()
          .filter(k -> k.alg() == alg && k.state() == KeyState.NEXT).findFirst();
      long now = clock.instant().getEpochSecond();
      if (next.isEmpty()) {
        initialise(tenantId, alg);
        return signingKey(tenantId, alg).kid();
      }
      StoredKey newNext = generate(tenantId, alg, KeyState.NEXT, now);
      if (store.rotate(tenantId, alg, next.get().kid(), now,
          now + retirementWindow.toSeconds(), newNext)) {
        store.purgeRetired(tenantId, now);
        forget(tenantId);
        changes.fire(tenantId);
        return next.get().kid();
      }
    }
    throw new IllegalStateException("key rotation kept racing with another rotation");
  }

  /** Forgets cached keys of a tenant (after a change made elsewhere). */
  public void invalidate(String tenantId) {
    forget(tenantId);
  }

  private void forget(String tenantId) {
    rings.synchronous().invalidate(tenantId);
    for (KeyAlgorithm alg : KeyAlgorithm.values()) {
      signers.synchronous().invalidate(new ActiveKey(tenantId, alg));
    }
  }

  private StoredKey generate(String tenantId, KeyAlgorithm alg, KeyState state, long now) {
    KeyPair pair = alg.generate();
    String kid = Secrets.random(12);
    String publicJwk = alg.publicJwk(pair.getPublic(), kid).toJSONString();
    String sealed = masterKey.encrypt(pair.getPrivate().getEncoded(), tenantId + "/" + kid);
    return new StoredKey(tenantId, kid, alg, state, publicJwk, sealed, now, null, null);
  }

  private KeyRing load(String tenantId) {
    long now = clock.instant().getEpochSecond();
    List<StoredKey> stored = store.findByTenant(tenantId);
    Map<String, VerificationKey> published = new HashMap<>();
    List<JWK> jwks = new ArrayList<>();
    List<StoredKey> visible = new ArrayList<>();
    for (StoredKey k : stored) {
      if (k.state() == KeyState.RETIRED && k.publishUntil() != null && k.publishUntil() < now) {
        continue;
      }
      // The ring is public: the sealed private key stays in the database (and the signer cache).
      visible.add(new StoredKey(k.tenantId(), k.kid(), k.alg(), k.state(), k.publicJwk(), null,
          k.createdAt(), k.retiredAt(), k.publishUntil()));
      JWK jwk = parseJwk(k.publicJwk());
      published.put(k.kid(), new VerificationKey(k.kid(), k.alg(), publicKey(k.alg(), jwk)));
      jwks.add(jwk);
    }
    byte[] document = new JWKSet(jwks).toString(true).getBytes(StandardCharsets.UTF_8);
    return new KeyRing(Map.copyOf(published), document, List.copyOf(visible));
  }

  private static JWK parseJwk(String json) {
    try {
      return JWK.parse(json);
    } catch (java.text.ParseException e) {
      throw new IllegalStateException("stored public key is not a JWK", e);
    }
  }

  private static PublicKey publicKey(KeyAlgorithm alg, JWK jwk) {
    try {
      return switch (alg) {
        case ES256 -> ((ECKey) jwk).toECPublicKey();
        case RS256 -> ((RSAKey) jwk).toRSAPublicKey();
        case EdDSA -> {
          byte[] x = ((OctetKeyPair) jwk).getX().decode();
          byte[] spki = new byte[ED25519_SPKI_PREFIX.length + x.length];
          System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
          System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, x.length);
          yield alg.publicKey(spki);
        }
      };
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException("stored public key is unusable", e);
    }
  }
}
