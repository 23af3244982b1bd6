package dev.gatehouse.server.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.server.cache.ChangeListeners;
import dev.gatehouse.server.cache.OffLockLoads;
import dev.gatehouse.server.crypto.Base64Url;
import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.json.CompactJson;
import dev.gatehouse.server.keys.KeyService;
import dev.gatehouse.server.keys.SigningKey;
import dev.gatehouse.server.keys.VerificationKey;
import dev.gatehouse.server.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Issues, introspects and revokes access tokens: JWTs (RFC 9068) or opaque references.
 *
 * <p>Introspection must not verify an ES256 signature per call (about 2,500 verifications a second
 * per core): a JWT verified once is remembered by its full value until it expires, and only its
 * revocation status is checked per call, against this node's copy of the revocation list
 * ({@link RevokedJwts}, once {@link #keepRevocationList started}) or, while that copy is not
 * current, a short-lived cache of reads of the revocation table. Revocation through this node is
 * visible at once; through another node, within a poll of the copy (a second) or
 * {@link #REVOCATION_CACHE_TTL} (Redis pub/sub shortens both when configured).
 */
public final class AccessTokenService {

  /** The JWT {@code typ} of access tokens, RFC 9068 §2.1. */
  public static final String JWT_TYP = "at+jwt";
  /**
   * The JWT claim naming the claims the UserInfo endpoint returns beyond the scope's (OIDC Core
   * §5.5). Not registered: it is this server's note to itself, read by nothing else.
   */
  static final String USERINFO_CLAIMS = "userinfo_claims";
  static final Duration REVOCATION_CACHE_TTL = Duration.ofSeconds(5);
  /** As long as a verified JWT is remembered ({@link #verifiedJwts}). */
  static final Duration KNOWN_REVOCATIONS_TTL = Duration.ofMinutes(10);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeyService keys;
  private final ClientService clients;
  private final TokenStore store;
  private final SecretHasher hasher;
  private final Issuers issuers;
  private final TenantJws jws;
  private final Clock clock;
  private final Cache<String, Verified> verifiedJwts;
  private final AsyncCache<String, Boolean> revokedJtis;
  /** Revocations seen by this node, kept longer: the answer while the database is down. */
  private final Cache<String, Boolean> knownRevoked;
  /** Every revoked unexpired JWT id, when current: introspection then reads no database. */
  private final RevokedJwts revokedList;
  private volatile long maxStalenessNanos;
  private volatile java.util.function.LongSupplier lastDatabaseContact = System::nanoTime;
  private final AsyncCache<String, Optional<TokenStore.OpaqueToken>> opaqueTokens;
  private final ChangeListeners revocations = new ChangeListeners();
  private volatile dev.gatehouse.server.events.AuditLog audit;
  /** The event type of a revocation. */
  public static final String REVOKED_EVENT = "token.revoked";

  /** A token just issued, with its {@link #reference}. */
  public record IssuedToken(String value, long expiresIn, Set<String> scope, String reference) {}

  /** Why a revocation did not happen. */
  public enum RevokeOutcome { REVOKED, UNKNOWN, NOT_OWNER }

  public AccessTokenService(KeyService keys, TokenStore store, SecretHasher hasher,
      Issuers issuers, Clock clock, ClientService clients) {
    this.clients = clients;
    this.keys = keys;
    this.store = store;
    this.hasher = hasher;
    this.issuers = issuers;
    this.jws = new TenantJws(keys, issuers);
    this.clock = clock;
    this.verifiedJwts = Caffeine.newBuilder().maximumSize(20_000)
        .expireAfterWrite(Duration.ofMinutes(10)).build();
    // Loaded off the map's locks: a load waits for the database (OffLockLoads).
    this.revokedJtis = Caffeine.newBuilder().maximumSize(100_000)
        .expireAfterWrite(REVOCATION_CACHE_TTL).executor(OffLockLoads.EXECUTOR).buildAsync();
    this.knownRevoked = Caffeine.newBuilder().maximumSize(100_000)
        .expireAfterWrite(KNOWN_REVOCATIONS_TTL).build();
    this.revokedList = new RevokedJwts(store::revokedJwtsSince, clock);
    this.opaqueTokens = Caffeine.newBuilder().maximumSize(100_000)
        .expireAfterWrite(REVOCATION_CACHE_TTL).executor(OffLockLoads.EXECUTOR).buildAsync();
  }

  /** Issues an access token to {@code client} for {@code subject} with {@code scope}. */
  public IssuedToken issue(Client client, String subject, Set<String> scope) {
    return issue(client, subject, scope, Map.of());
  }

  /**
   * Issues an access token with further claims in the JWT form, e.g. RFC 9068 §2.2.1's
   * {@code auth_time}, {@code acr} and {@code amr} of a user's authentication.
   */
  public IssuedToken issue(Client client, String subject, Set<String> scope,
      Map<String, Object> authentication) {
    return issue(client, subject, scope, authentication, Set.of());
  }

  /**
   * Issues an access token that also names {@code userinfoClaims}, the claims a client asked the
   * UserInfo endpoint for by name (OIDC Core §5.5): in the JWT as {@value #USERINFO_CLAIMS}, with
   * an opaque token in its row.
   */
  public IssuedToken issue(Client client, String subject, Set<String> scope,
      Map<String, Object> authentication, Set<String> userinfoClaims) {
    long now = clock.instant().getEpochSecond();
    long exp = now + client.accessTokenTtl();
    String jti = Secrets.id();
    String tenantId = client.tenantId();
    if (client.tokenFormat() == Client.TokenFormat.OPAQUE) {
      String value = Secrets.secret();
      String hash = hasher.hash(value);
      store.insertOpaque(new TokenStore.OpaqueToken(tenantId, hash, jti,
          client.clientId(), subject, Scopes.join(scope), now, exp, false,
          RequestedClaims.join(userinfoClaims)));
      return new IssuedToken(value, client.accessTokenTtl(), scope, "opaque:" + hash);
    }
    // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat and jti are REQUIRED.
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuers.issuer(tenantId));
    claims.put("sub", subject);
    List<String> aud = audience(client);
    claims.put("aud", aud.size() == 1 ? aud.get(0) : aud);
    claims.put("client_id", client.clientId());
    if (!scope.isEmpty()) {
      claims.put("scope", Scopes.join(scope));
    }
    claims.put("jti", jti);
    claims.put("iat", now);
    claims.put("exp", exp);
    claims.putAll(authentication);
    if (!userinfoClaims.isEmpty()) {
      claims.put(USERINFO_CLAIMS, List.copyOf(userinfoClaims));
    }
    SigningKey key = keys.signingKey(tenantId, client.accessTokenAlg());
    try {
      byte[] payload = CompactJson.tryWrite(claims);
      return new IssuedToken(key.sign(JWT_TYP, payload != null ? payload
          : JSON.writeValueAsBytes(claims)), client.accessTokenTtl(), scope,
          "jwt:" + jti + ":" + exp);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The audience of {@code client}'s tokens: as registered, or the tenant's issuer. */
  private List<String> audience(Client client) {
    return client.audience().isEmpty()
        ? List.of(issuers.issuer(client.tenantId())) : client.audience();
  }

  /**
   * The active token {@code token} at {@code tenantId}, if it is one: issued by this tenant, not
   * expired, not revoked. Anything else, including a token of another tenant, is empty.
   */
  public Optional<TokenInfo> introspect(String tenantId, String token) {
    if (token == null || token.isEmpty() || token.length() > 8192) {
      return Optional.empty();
    }
    Optional<TokenInfo> info = looksLikeJwt(token) ? jwt(tenantId, token) : opaque(tenantId, token);
    long now = clock.instant().getEpochSecond();
    return info.filter(i -> i.tenantId().equals(tenantId) && i.expiresAt() > now
        && !(i.jwt() && isRevoked(tenantId, i.jti())) && clientExists(tenantId, i.clientId()));
  }

  /**
   * The active token {@code token} at {@code tenantId} if client {@code callerId} may learn about
   * it: the client it was issued to, or a resource server it was issued for (its client_id is in
   * the token's {@code aud}). Every endpoint that tells a client about a token it presents on
   * someone else's behalf (introspection, a decision's {@code principal_token}) asks this.
   *
   * <p>RFC 7662 §4: "the authorization server MUST determine whether or not the protected
   * resource is allowed to introspect the token"; §2.2: otherwise "the authorization server MAY
   * respond with an introspection response with an "active" field set to "false"". Keycloak
   * (26.x) makes the same rule: the authenticated client must be in the token's audience. Any
   * other client of the tenant learns nothing, not even that the token exists.
   */
  public Optional<TokenInfo> introspectAs(String tenantId, String callerId, String token) {
    return introspect(tenantId, token)
        .filter(t -> callerId.equals(t.clientId()) || audienceOf(t).contains(callerId));
  }

  /** A JWT's {@code aud}; for an opaque token, the audience its client registered. */
  public List<String> audienceOf(TokenInfo t) {
    if (t.jwt() || !t.audience().isEmpty()) {
      return t.audience();
    }
    return clients.find(t.tenantId(), t.clientId()).map(Client::audience).orElse(List.of());
  }

  /**
   * Whether the client a token was issued to still exists: a deleted client's tokens end with it
   * (an admin client's too). The client cache answers; with the database down and the client not
   * cached the token is given the benefit of the doubt, as a deletion cannot happen during the
   * outage.
   */
  private boolean clientExists(String tenantId, String clientId) {
    try {
      return clients.find(tenantId, clientId).isPresent();
    } catch (StoreException e) {
      if (!e.outage()) {
        throw e;
      }
      return true;
    }
  }

  /**
   * Revokes {@code token} at {@code tenantId}. With a {@code clientId}, only a token issued to
   * that client is revoked (RFC 7009 §2.1); null means an administrator, who may revoke any.
   */
  public RevokeOutcome revoke(String tenantId, String token, String clientId) {
    return revoke(tenantId, token, clientId, clientId == null ? "admin" : "client:" + clientId);
  }

  /**
   * Revokes like {@link #revoke(String, String, String)}, recording a {@code token.revoked} event
   * naming {@code by} (e.g. {@code client:app} or {@code admin:gh-admin}) in the same transaction
   * as the revocation when an {@link #audit} log is set.
   */
  public RevokeOutcome revoke(String tenantId, String token, String clientId, String by) {
    dev.gatehouse.server.events.AuditLog log = audit;
    if (log == null) {
      return revokeNow(tenantId, token, clientId, null);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    RevokeOutcome[] outcome = new RevokeOutcome[1];
    log.change(tenantId, REVOKED_EVENT, by, () -> {
      outcome[0] = revokeNow(tenantId, token, clientId, details);
      return outcome[0];
    }, o -> o == RevokeOutcome.REVOKED ? details : null);
    return outcome[0];
  }

  /** Sets where revocations are recorded as events ({@code token.revoked}). */
  public void audit(dev.gatehouse.server.events.AuditLog log) {
    this.audit = log;
  }

  private RevokeOutcome revokeNow(String tenantId, String token, String clientId,
      Map<String, Object> details) {
    Optional<TokenInfo> info = introspect(tenantId, token);
    if (info.isEmpty()) {
      return RevokeOutcome.UNKNOWN;
    }
    TokenInfo t = info.get();
    if (clientId != null && !clientId.equals(t.clientId())) {
      return RevokeOutcome.NOT_OWNER;
    }
    if (details != null) {
      details.put("target", t.jwt() ? t.jti() : hasher.hash(token));
      details.put("token_type", t.jwt() ? "jwt" : "opaque");
      details.put("client_id", t.clientId());
      details.put("expires_at", t.expiresAt());
    }
    if (t.jwt()) {
      store.revokeJwt(tenantId, t.jti(), t.expiresAt());
      revoked(tenantId, t.jti(), t.expiresAt());
      verifiedJwts.invalidate(token);
      revocations.fire("jwt\u0000" + revocationKey(tenantId, t.jti()));
    } else {
      String hash = hasher.hash(token);
      store.revokeOpaque(tenantId, hash);
      opaqueTokens.synchronous().invalidate(tenantId + "\u0000" + hash);
      revocations.fire("opaque\u0000" + tenantId + "\u0000" + hash);
    }
    return RevokeOutcome.REVOKED;
  }

  /**
   * A reference to a token just issued at {@code tenantId} by which it can be revoked later
   * without keeping its value: {@code jwt:<jti>:<exp>} or {@code opaque:<hash>}.
   */
  public String reference(String tenantId, String token) {
    if (looksLikeJwt(token)) {
      try {
        int d1 = token.indexOf('.');
        JsonNode claims = JSON.readTree(Base64Url.decode(token.substring(d1 + 1,
            token.indexOf('.', d1 + 1))));
        return "jwt:" + claims.get("jti").asText() + ":" + claims.get("exp").asLong();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return "opaque:" + hasher.hash(token);
  }

  /** Revokes the token a {@link #reference} names (a replayed authorization code's token). */
  public void revokeReference(String tenantId, String reference) {
    if (reference == null) {
      return;
    }
    if (reference.startsWith("jwt:")) {
      String[] parts = reference.split(":", 3);
      if (Long.parseLong(parts[2]) <= clock.instant().getEpochSecond()) {
        return;  // expired: nothing left to revoke (a long family holds many such references)
      }
      store.revokeJwt(tenantId, parts[1], Long.parseLong(parts[2]));
      revoked(tenantId, parts[1], Long.parseLong(parts[2]));
      revocations.fire("jwt\u0000" + revocationKey(tenantId, parts[1]));
    } else if (reference.startsWith("opaque:")) {
      String hash = reference.substring("opaque:".length());
      store.revokeOpaque(tenantId, hash);
      opaqueTokens.synchronous().invalidate(tenantId + "\u0000" + hash);
      revocations.fire("opaque\u0000" + tenantId + "\u0000" + hash);
    }
  }

  /** Revokes every live opaque access token issued for {@code subject}; the number revoked. */
  public int revokeOpaqueOfSubject(String tenantId, String subject) {
    List<String> hashes = store.liveOpaqueOfSubject(tenantId, subject,
        clock.instant().getEpochSecond());
    for (String hash : hashes) {
      revokeReference(tenantId, "opaque:" + hash);
    }
    return hashes.size();
  }

  /**
   * Calls {@code listener} after each revocation through this node with a message for
   * {@link #revokedElsewhere} on the other nodes.
   */
  public void onRevoke(java.util.function.Consumer<String> listener) {
    revocations.add(listener);
  }

  /** Applies another node's revocation message to this node's caches. */
  public void revokedElsewhere(String message) {
    int cut = message.indexOf('\u0000');
    if (cut < 0) {
      return;
    }
    String key = message.substring(cut + 1);
    int jtiAt = key.indexOf('\u0000');
    if (message.startsWith("jwt\u0000") && jtiAt > 0) {
      // The message carries no expiry: the copy's next poll reads the row's.
      revoked(key.substring(0, jtiAt), key.substring(jtiAt + 1),
          clock.instant().plus(KNOWN_REVOCATIONS_TTL).getEpochSecond());
    } else if (message.startsWith("opaque\u0000")) {
      opaqueTokens.synchronous().invalidate(key);
    }
  }

  /**
   * Forgets this node's cached token state of a deleted tenant: its verified JWTs, revocations and
   * opaque tokens must not be answered at a tenant created later under the same name.
   */
  public void forgetTenant(String tenantId) {
    verifiedJwts.asMap().values().removeIf(v -> v.info().tenantId().equals(tenantId));
    String prefix = tenantId + "\u0000";
    revokedJtis.asMap().keySet().removeIf(k -> k.startsWith(prefix));
    knownRevoked.asMap().keySet().removeIf(k -> k.startsWith(prefix));
    revokedList.forgetTenant(tenantId);
    opaqueTokens.asMap().keySet().removeIf(k -> k.startsWith(prefix));
  }

  /** Two dots, the first not at the start: a JWS compact serialization's shape. */
  static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    if (first <= 0) {
      return false;
    }
    int second = token.indexOf('.', first + 1);
    return second > first && token.indexOf('.', second + 1) < 0;
  }

  /**
   * Whether a JWT was revoked. With the database unreachable, the answer is what this node knows:
   * revocations it made or heard of (through the invalidation bus) within the last
   * {@link #KNOWN_REVOCATIONS_TTL}. A revocation is a database write, so none can be made during
   * an outage of the database; only one made before it that this node never heard of can be
   * missed. When only this node is cut off (a partition), others can revoke: past the bound of
   * {@link #failClosedAfter} the node stops answering "not revoked".
   */
  private boolean isRevoked(String tenantId, String jti) {
    if (revokedList.current()) {
      return revokedList.contains(tenantId, jti);
    }
    String key = revocationKey(tenantId, jti);
    try {
      return OffLockLoads.get(revokedJtis, key, k -> {
        boolean revoked = store.isJwtRevoked(tenantId, jti);
        if (revoked) {
          knownRevoked.put(k, Boolean.TRUE);
        }
        return revoked;
      });
    } catch (StoreException e) {
      if (!e.outage()) {
        throw e;
      }
      if (knownRevoked.getIfPresent(key) != null || revokedList.contains(tenantId, jti)) {
        return true;
      }
      if (maxStalenessNanos > 0
          && System.nanoTime() - lastDatabaseContact.getAsLong() > maxStalenessNanos) {
        throw e;
      }
      return false;
    }
  }

  /**
   * Bounds how stale this node's revocation knowledge may be while it answers without the
   * database: past {@code bound} since {@code lastDatabaseContact} ({@link System#nanoTime()}
   * scale) answered, a JWT that is not known revoked is not answered active: the introspection
   * fails with the outage (503, {@code temporarily_unavailable}) and the resource server denies.
   * Another node may have revoked it meanwhile (a partition cuts one node off, not all). Zero: no
   * bound, the node answers from what it knows however long the outage.
   */
  public void failClosedAfter(Duration bound, java.util.function.LongSupplier lastDatabaseContact) {
    this.maxStalenessNanos = bound.toNanos();
    this.lastDatabaseContact = lastDatabaseContact;
  }

  private void revoked(String tenantId, String jti, long expiresAt) {
    String key = revocationKey(tenantId, jti);
    revokedJtis.synchronous().put(key, Boolean.TRUE);
    knownRevoked.put(key, Boolean.TRUE);
    revokedList.add(tenantId, jti, expiresAt);
  }

  /**
   * Starts keeping this node's copy of the revocation list (read now, then polled): from its
   * first successful read, JWT introspection answers revocation from memory.
   */
  public RevokedJwts keepRevocationList() {
    return revokedList.start();
  }

  /** Stops polling the revocation list. */
  public void close() {
    revokedList.close();
  }

  private static String revocationKey(String tenantId, String jti) {
    return tenantId + "\u0000" + jti;
  }

  private Optional<TokenInfo> opaque(String tenantId, String token) {
    String hash = hasher.hash(token);
    Optional<TokenStore.OpaqueToken> row = OffLockLoads.get(opaqueTokens,
        tenantId + "\u0000" + hash, k -> store.findOpaque(tenantId, hash));
    return row.filter(r -> !r.revoked()).map(r -> new TokenInfo(r.tenantId(),
        issuers.issuer(r.tenantId()), r.clientId(), r.subject(), Scopes.parse(r.scope()),
        List.of(), r.issuedAt(), r.expiresAt(), r.jti(), false,
        RequestedClaims.parse(r.userinfoClaims())));
  }

  private Optional<TokenInfo> jwt(String tenantId, String token) {
    Verified cached = verifiedJwts.getIfPresent(token);
    // Only while the key that verified it is still the tenant's: a key removed or replaced since
    // (a rotation purged, a key ring reloaded) takes its tokens with it.
    if (cached != null && keys.verificationKey(tenantId, cached.key().kid())
        .filter(cached.key()::equals).isPresent()) {
      return Optional.of(cached.info());
    }
    Optional<Verified> verified = verify(tenantId, token);
    verified.ifPresentOrElse(v -> verifiedJwts.put(token, v), () -> verifiedJwts.invalidate(token));
    return verified.map(Verified::info);
  }

  /** A JWT's verified content and the key that verified it. */
  private record Verified(TokenInfo info, VerificationKey key) {}

  /** Verifies a JWT access token this tenant signed; empty for anything else. */
  private Optional<Verified> verify(String tenantId, String token) {
    Optional<TenantJws.Verified> jws = this.jws.verify(tenantId, token, JWT_TYP);
    if (jws.isEmpty()) {
      return Optional.empty();
    }
    JsonNode claims = jws.get().claims();
    if (!claims.path("exp").canConvertToLong() || !claims.path("jti").isTextual()) {
      return Optional.empty();
    }
    List<String> aud = new ArrayList<>();
    JsonNode audNode = claims.path("aud");
    if (audNode.isArray()) {
      audNode.forEach(a -> aud.add(a.asText()));
    } else if (audNode.isTextual()) {
      aud.add(audNode.asText());
    }
    List<String> userinfoClaims = new ArrayList<>();
    claims.path(USERINFO_CLAIMS).forEach(n -> userinfoClaims.add(n.asText()));
    Set<String> scope;
    try {
      scope = claims.path("scope").isTextual()
          ? Scopes.parse(claims.get("scope").asText()) : new LinkedHashSet<>();
    } catch (OAuthException e) {
      return Optional.empty();
    }
    return Optional.of(new Verified(new TokenInfo(tenantId, claims.get("iss").asText(),
        claims.path("client_id").asText(), claims.path("sub").asText(), scope, List.copyOf(aud),
        claims.path("iat").asLong(), claims.get("exp").asLong(), claims.get("jti").asText(),
        true, RequestedClaims.names(userinfoClaims)), jws.get().key()));
  }
}
