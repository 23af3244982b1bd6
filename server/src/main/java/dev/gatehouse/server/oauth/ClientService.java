package dev.gatehouse.server.oauth;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.server.cache.OffLockLoads;
import dev.gatehouse.server.cache.StaleOnOutage;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.keys.KeyAlgorithm;
import dev.gatehouse.server.keys.KeyService;
import dev.gatehouse.server.outbound.OutboundGuard;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Registers and looks up clients. Secrets are generated here (256 bits), returned once, and only
 * their keyed hash is stored.
 */
public final class ClientService {

  /** Grant types this server implements; registration refuses others. */
  public static final Set<String> SUPPORTED_GRANTS = Set.of(Grants.CLIENT_CREDENTIALS,
      Grants.AUTHORIZATION_CODE, Grants.REFRESH_TOKEN);

  private final ClientStore store;
  private final SecretHasher hasher;
  private final Clock clock;
  private final Duration defaultTtl;
  private final Duration maxTtl;
  /** Judges {@code backchannel_logout_uri}: the server POSTs to it. */
  private final OutboundGuard outbound;
  private final AsyncLoadingCache<Key, Optional<Client>> cache;

  private final List<java.util.function.Consumer<String>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private record Key(String tenantId, String clientId) {}

  /** A client just created, with its secret in the clear: the only time it is known. */
  public record Created(Client client, String clientSecret) {}

  public ClientService(ClientStore store, SecretHasher hasher, Clock clock, Duration defaultTtl,
      Duration maxTtl, OutboundGuard outbound) {
    this.outbound = outbound;
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
    this.defaultTtl = defaultTtl;
    this.maxTtl = maxTtl;
    // Reloaded after 30 s; kept while the database is down, so clients still authenticate.
    // Bounded by an estimate of the bytes held, not a count: 100,000 tenants' clients would fill
    // the heap; a miss is one primary-key read (docs/benchmarks.md, "Many tenants").
    this.cache = Caffeine.newBuilder()
        .maximumWeight(CACHE_BYTES)
        .weigher((Key k, Optional<Client> c) -> estimatedBytes(c))
        .refreshAfterWrite(Duration.ofSeconds(30))
        .recordStats()
        .executor(OffLockLoads.EXECUTOR)
        .buildAsync(StaleOnOutage.loader((Key k) -> store.find(k.tenantId(), k.clientId())));
  }

  /** Heap the cached clients of all tenants may take on this node, estimated. */
  static final long CACHE_BYTES = 24L << 20;

  /** Roughly what a cached entry holds on the heap: objects, sets and two bytes a character. */
  static int estimatedBytes(Optional<Client> entry) {
    if (entry.isEmpty()) {
      return 150;
    }
    Client c = entry.get();
    int chars = c.tenantId().length() + c.clientId().length() + c.name().length()
        + (c.secretHash() == null ? 0 : c.secretHash().length())
        + (c.jwks() == null ? 0 : c.jwks().length())
        + (c.backchannelLogoutUri() == null ? 0 : c.backchannelLogoutUri().length())
        + (c.frontchannelLogoutUri() == null ? 0 : c.frontchannelLogoutUri().length())
        + (c.initiateLoginUri() == null ? 0 : c.initiateLoginUri().length());
    int items = 0;
    for (java.util.Collection<String> list : List.of(c.grantTypes(), c.scopes(), c.audience(),
        c.redirectUris(), c.postLogoutRedirectUris())) {
      for (String v : list) {
        chars += v.length();
        items++;
      }
    }
    return 500 + 2 * chars + 80 * items;
  }

  /** Reports this node's L1 cache as {@code cache.*} meters named {@code clients}. */
  public void monitor(io.micrometer.core.instrument.MeterRegistry registry) {
    io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(registry,
        cache.synchronous(), "clients");
  }

  /** Calls {@code listener} with the tenant id after a client of it is created or deleted. */
  public void onChange(java.util.function.Consumer<String> listener) {
    listeners.add(listener);
  }

  private void changed(String tenantId) {
    listeners.forEach(l -> l.accept(tenantId));
  }

  public Optional<Client> find(String tenantId, String clientId) {
    if (clientId == null || clientId.isEmpty() || clientId.length() > 64) {
      return Optional.empty();
    }
    return OffLockLoads.get(cache, new Key(tenantId, clientId));
  }

  public List<Client> list(String tenantId, String after, int limit) {
    return store.list(tenantId, after, limit);
  }

  public boolean delete(String tenantId, String clientId) {
    boolean deleted = store.delete(tenantId, clientId);
    cache.synchronous().invalidate(new Key(tenantId, clientId));
    if (deleted) {
      changed(tenantId);
    }
    return deleted;
  }

  /**
   * Forgets this node's cached clients of a deleted tenant, so that none of them authenticates at
   * a tenant created later under the same name.
   */
  public void forgetTenant(String tenantId) {
    cache.asMap().keySet().removeIf(k -> k.tenantId().equals(tenantId));
  }

  /** Replaces a confidential client's secret; the old one stops working at once on this node. */
  public Optional<String> rotateSecret(String tenantId, String clientId) {
    Optional<Client> client = store.find(tenantId, clientId);
    if (client.isEmpty() || client.get().secretHash() == null) {
      return Optional.empty();
    }
    String secret = Secrets.secret();
    store.updateSecretHash(tenantId, clientId, hasher.hash(secret));
    cache.synchronous().invalidate(new Key(tenantId, clientId));
    changed(tenantId);
    return Optional.of(secret);
  }

  /** Validates {@code r} and creates the client with a generated id and secret. */
  public Created create(String tenantId, ClientRegistration r) {
    return create(tenantId, r, null, null);
  }

  /**
   * Validates {@code r} and creates the client; {@code chosenId} and {@code chosenSecret}, when
   * given, replace the generated ones (configuration applied from a file keeps its client ids, and
   * takes secrets from a vault). A chosen secret is returned as null: its owner already has it.
   */
  public Created create(String tenantId, ClientRegistration r, String chosenId,
      String chosenSecret) {
    if (chosenId != null) {
      requireClientId(chosenId);
      if (store.find(tenantId, chosenId).isPresent()) {
        throw new ClientExistsException("client `" + chosenId + "` exists");
      }
    }
    Client built = build(tenantId, chosenId == null ? Secrets.id() : chosenId, r, null,
        clock.instant().getEpochSecond());
    String secret = null;
    if (built.authMethod() == AuthMethod.CLIENT_SECRET_BASIC
        || built.authMethod() == AuthMethod.CLIENT_SECRET_POST) {
      secret = chosenSecret == null ? Secrets.secret() : requireSecret(chosenSecret);
    } else if (chosenSecret != null) {
      throw new InvalidClientMetadata("client_secret is only used with client_secret_basic or"
          + " client_secret_post");
    }
    Client client = withSecretHash(built, secret == null ? null : hasher.hash(secret));
    try {
      store.insert(client);
    } catch (dev.gatehouse.server.store.StoreException e) {
      if (e.duplicate()) {
        // The same chosen id created twice at once: the second is told as the check above does.
        throw new ClientExistsException("client `" + client.clientId() + "` exists");
      }
      throw e;
    }
    changed(tenantId);
    return new Created(client, chosenSecret == null ? secret : null);
  }

  /**
   * Replaces the settings of an existing client with {@code r} (validated as at creation), keeping
   * its id, secret and creation time. Whether it has a secret cannot change: that is another
   * client (delete it and create one).
   */
  public Optional<Client> update(String tenantId, String clientId, ClientRegistration r) {
    Optional<Client> current = store.find(tenantId, clientId);
    if (current.isEmpty()) {
      return Optional.empty();
    }
    Client old = current.get();
    Client changed = build(tenantId, clientId, r, old.secretHash(), old.createdAt());
    if (changed.type() != old.type() || (old.secretHash() == null) != (changed.authMethod()
        == AuthMethod.NONE || changed.authMethod() == AuthMethod.PRIVATE_KEY_JWT)) {
      throw new InvalidClientMetadata("a client cannot change between public, secret and"
          + " private_key_jwt authentication; create another client");
    }
    store.update(changed);
    cache.synchronous().invalidate(new Key(tenantId, clientId));
    changed(tenantId);
    return Optional.of(changed);
  }

  /** Sets a confidential client's secret to a value its owner chose; false if it has none. */
  public boolean setSecret(String tenantId, String clientId, String secret) {
    requireSecret(secret);
    Optional<Client> client = store.find(tenantId, clientId);
    if (client.isEmpty() || client.get().secretHash() == null) {
      return false;
    }
    store.updateSecretHash(tenantId, clientId, hasher.hash(secret));
    cache.synchronous().invalidate(new Key(tenantId, clientId));
    changed(tenantId);
    return true;
  }

  /**
   * Whether {@code secret} is a confidential client's current secret (compared in constant time):
   * lets configuration applied from a vault tell whether the stored secret is already the wanted
   * one, without the server ever giving a secret out.
   */
  public boolean secretMatches(String tenantId, String clientId, String secret) {
    Optional<Client> client = store.find(tenantId, clientId);
    return client.isPresent() && client.get().secretHash() != null && secret != null
        && hasher.matches(secret, client.get().secretHash());
  }

  private static void requireClientId(String id) {
    if (id.isEmpty() || id.length() > 64 || !id.matches("[A-Za-z0-9._~-]+")) {
      throw new InvalidClientMetadata("client_id must be 1 to 64 characters of letters, digits"
          + " and . _ ~ -");
    }
  }

  /** A chosen secret must be as hard to guess as a generated one could reasonably be asked. */
  private static String requireSecret(String secret) {
    if (secret.length() < 32 || secret.length() > 512) {
      throw new InvalidClientMetadata("client_secret must be 32 to 512 characters");
    }
    return secret;
  }

  private static Client withSecretHash(Client c, String secretHash) {
    return new Client(c.tenantId(), c.clientId(), c.name(), c.type(), c.authMethod(), secretHash,
        c.grantTypes(), c.scopes(), c.tokenFormat(), c.accessTokenAlg(), c.accessTokenTtl(),
        c.jwks(), c.audience(), c.createdAt(), c.redirectUris(), c.postLogoutRedirectUris(),
        c.backchannelLogoutUri(), c.idTokenAlg(), c.frontchannelLogoutUri(),
        c.frontchannelLogoutSessionRequired(), c.initiateLoginUri());
  }

  /** A client from a validated registration. */
  private Client build(String tenantId, String clientId, ClientRegistration r, String secretHash,
      long createdAt) {
    String name = r.name() == null ? "" : r.name().strip();
    if (name.isEmpty() || name.length() > 200) {
      throw new InvalidClientMetadata("name is required, at most 200 characters");
    }
    boolean isPublic = Boolean.TRUE.equals(r.publicClient());
    Set<String> grants = new LinkedHashSet<>(r.grantTypes() == null || r.grantTypes().isEmpty()
        ? List.of(isPublic || (r.redirectUris() != null && !r.redirectUris().isEmpty())
            ? Grants.AUTHORIZATION_CODE : Grants.CLIENT_CREDENTIALS) : r.grantTypes());
    for (String g : grants) {
      if (!SUPPORTED_GRANTS.contains(g)) {
        throw new InvalidClientMetadata("grant type `" + g + "` is not supported; supported: "
            + String.join(", ", SUPPORTED_GRANTS));
      }
    }
    if (isPublic && grants.contains(Grants.CLIENT_CREDENTIALS)) {
      // RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential clients."
      throw new InvalidClientMetadata("a public client cannot use client_credentials"
          + " (RFC 6749 §4.4)");
    }
    Set<String> scopes = new LinkedHashSet<>();
    for (String s : r.scopes() == null ? List.<String>of() : r.scopes()) {
      for (String token : s.trim().split(" +")) {
        if (token.isEmpty()) {
          continue;
        }
        if (!Scopes.validToken(token)) {
          throw new InvalidClientMetadata("scope `" + Scopes.printable(token) + "` is not a valid"
              + " scope token (RFC 6749 §3.3)");
        }
        scopes.add(token);
      }
    }
    Client.TokenFormat format = parseFormat(r.tokenFormat());
    KeyAlgorithm alg = r.accessTokenAlg() == null ? KeyService.DEFAULT_ALGORITHM
        : KeyAlgorithm.fromName(r.accessTokenAlg()).orElseThrow(() -> new InvalidClientMetadata(
            "access_token_alg must be ES256, RS256 or EdDSA"));
    int ttl = r.accessTokenTtl() == null ? (int) defaultTtl.toSeconds() : r.accessTokenTtl();
    if (ttl < 1 || ttl > maxTtl.toSeconds()) {
      throw new InvalidClientMetadata("access_token_ttl must be between 1 and "
          + maxTtl.toSeconds() + " seconds");
    }
    AuthMethod method = parseMethod(r.tokenEndpointAuthMethod(), isPublic);
    String jwks = null;
    if (method == AuthMethod.PRIVATE_KEY_JWT) {
      jwks = validateJwks(r.jwks());
    } else if (r.jwks() != null) {
      throw new InvalidClientMetadata("jwks is only used with private_key_jwt");
    }
    List<String> audience = new ArrayList<>();
    for (String a : r.audience() == null ? List.<String>of() : r.audience()) {
      if (a == null || a.isBlank() || a.length() > 500 || a.contains(" ")) {
        throw new InvalidClientMetadata("audience values must be non-empty, without spaces");
      }
      audience.add(a);
    }
    BrowserMetadata browser = BrowserMetadata.validate(r, grants);
    if (browser.backchannelLogoutUri() != null) {
      String problem = outbound.problem(browser.backchannelLogoutUri());
      if (problem != null) {
        throw new InvalidClientMetadata("backchannel_logout_uri " + problem);
      }
    }
    return new Client(tenantId, clientId, name,
        isPublic ? Client.ClientType.PUBLIC : Client.ClientType.CONFIDENTIAL, method,
        secretHash, Set.copyOf(grants), scopes, format, alg, ttl, jwks,
        List.copyOf(audience), createdAt, browser.redirectUris(),
        browser.postLogoutRedirectUris(), browser.backchannelLogoutUri(), browser.idTokenAlg(),
        browser.frontchannelLogoutUri(), browser.frontchannelLogoutSessionRequired(),
        browser.initiateLoginUri());
  }

  private static Client.TokenFormat parseFormat(String value) {
    if (value == null) {
      return Client.TokenFormat.JWT;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "jwt" -> Client.TokenFormat.JWT;
      case "opaque" -> Client.TokenFormat.OPAQUE;
      default -> throw new InvalidClientMetadata("token_format must be `jwt` or `opaque`");
    };
  }

  private static AuthMethod parseMethod(String value, boolean isPublic) {
    if (value == null) {
      return isPublic ? AuthMethod.NONE : AuthMethod.CLIENT_SECRET_BASIC;
    }
    AuthMethod m = AuthMethod.fromValue(value).orElseThrow(() -> new InvalidClientMetadata(
        "token_endpoint_auth_method `" + value + "` is not supported"));
    if (isPublic != (m == AuthMethod.NONE)) {
      throw new InvalidClientMetadata(isPublic
          ? "a public client authenticates with `none`"
          : "a confidential client cannot use `none`");
    }
    return m;
  }

  /**
   * The client's JWK Set, normalised, if every key in it can check a client assertion: an RSA
   * (at least 2048 bits, RFC 7518 §3.3) or EC public key for signatures. Nimbus skips entries of
   * unknown type and accepts empty RSA moduli, so both are checked here.
   */
  private static String validateJwks(String jwks) {
    if (jwks == null || jwks.isBlank()) {
      throw new InvalidClientMetadata("private_key_jwt needs the client's jwks");
    }
    if (jwks.length() > 20_000) {
      throw new InvalidClientMetadata("jwks is larger than 20000 characters");
    }
    JWKSet set;
    int declared;
    try {
      Object keys = JSONObjectUtils.parse(jwks).get("keys");
      if (!(keys instanceof List<?> list) || list.stream().anyMatch(k -> !(k instanceof java.util.Map))) {
        throw new InvalidClientMetadata("jwks must be a JWK Set: {\"keys\": [ JWK objects ]}");
      }
      declared = list.size();
      set = JWKSet.parse(jwks);
    } catch (java.text.ParseException | RuntimeException e) {
      if (e instanceof InvalidClientMetadata icm) {
        throw icm;
      }
      throw new InvalidClientMetadata("jwks is not a JWK Set: " + e.getMessage());
    }
    if (declared == 0) {
      throw new InvalidClientMetadata("jwks holds no key");
    }
    if (set.getKeys().size() != declared) {
      throw new InvalidClientMetadata("jwks holds a key of a type other than RSA or EC");
    }
    for (JWK k : set.getKeys()) {
      String name = k.getKeyID() == null ? "a key" : "key `" + k.getKeyID() + "`";
      if (k.isPrivate()) {
        throw new InvalidClientMetadata("jwks must hold public keys only");
      }
      if (!(k instanceof RSAKey) && !(k instanceof ECKey)) {
        throw new InvalidClientMetadata(name + " is not an RSA or EC key; client assertions are"
            + " signed with RS*, PS* or ES* algorithms");
      }
      if (KeyUse.ENCRYPTION.equals(k.getKeyUse())) {
        throw new InvalidClientMetadata(name + " is an encryption key (use `enc`)");
      }
      if (k instanceof RSAKey rsa && rsa.size() < 2048) {
        throw new InvalidClientMetadata(name + " is an RSA key of " + rsa.size()
            + " bits; at least 2048 are required (RFC 7518 §3.3)");
      }
      try {
        ((AsymmetricJWK) k).toPublicKey();
      } catch (JOSEException | RuntimeException e) {
        throw new InvalidClientMetadata(name + " is not a usable public key");
      }
    }
    return set.toString(true);
  }

  /** Registration metadata that cannot be accepted (RFC 7591 §3.2.2 invalid_client_metadata). */
  /** A chosen client_id is taken in the tenant. */
  public static final class ClientExistsException extends RuntimeException {
    public ClientExistsException(String message) {
      super(message);
    }
  }

  public static final class InvalidClientMetadata extends RuntimeException {
    public InvalidClientMetadata(String message) {
      super(message);
    }
  }
}
