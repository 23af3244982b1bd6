package dev.gatehouse.server.oauth;

import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.events.SignInEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Opaque refresh tokens with rotation and reuse detection.
 *
 * <p>RFC 9700 §4.14.2: "the authorization server issues a new refresh token with every access
 * token refresh response. The previous refresh token is invalidated but information about the
 * relationship is retained by the authorization server. If a refresh token is compromised and
 * subsequently used by both the attacker and the legitimate client, one of them will present an
 * invalidated refresh token, which will inform the authorization server of the breach. The
 * authorization server cannot determine which party submitted the invalid refresh token, but it
 * will revoke the active refresh token." We revoke the whole family.
 *
 * <p>A token lives until the idle lifetime passes without use, and never past the family's
 * absolute lifetime, counted from the first sign-in.
 */
public final class RefreshTokenService {

  private final RefreshTokenStore store;
  private final SecretHasher hasher;
  private final Clock clock;
  private final Duration idle;
  private final Duration absolute;
  private final SignInEvents events;
  private final AccessTokenService accessTokens;
  private final ActiveUsers users;

  /** A refresh token just issued. */
  public record Issued(String value, String familyId) {}

  public RefreshTokenService(RefreshTokenStore store, SecretHasher hasher, Clock clock,
      Duration idle, Duration absolute, SignInEvents events, AccessTokenService accessTokens,
      ActiveUsers users) {
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
    this.idle = idle;
    this.absolute = absolute;
    this.events = events;
    this.accessTokens = accessTokens;
    this.users = users;
  }

  /** Starts a new family (after an authorization code exchange). */
  public Issued issue(Client client, String userId, Set<String> scope, RequestedClaims claims,
      IdTokenService.Authentication a) {
    long now = clock.instant().getEpochSecond();
    return insert(client.tenantId(), Secrets.id(), client.clientId(), userId, scope, claims, a,
        now, now + absolute.toSeconds());
  }

  /**
   * Uses {@code value}: the token it names, now rotated, and its successor. Anything else is
   * invalid_grant, and the reuse of a rotated token revokes its family.
   */
  public Rotation rotate(Client client, String value, Set<String> requestedScope) {
    if (value == null || value.isEmpty() || value.length() > 200) {
      throw OAuthException.invalidGrant("the refresh token is not valid");
    }
    String tenantId = client.tenantId();
    String hash = hasher.hash(value);
    RefreshTokenStore.RefreshToken t = store.find(tenantId, hash).orElseThrow(() ->
        OAuthException.invalidGrant("the refresh token is not valid"));
    long now = clock.instant().getEpochSecond();
    // RFC 6749 §6: the authorization server MUST "validate the refresh token" and "ensure that the
    // refresh token was issued to the authenticated client".
    if (!t.clientId().equals(client.clientId())) {
      throw OAuthException.invalidGrant("the refresh token was issued to another client");
    }
    if (t.revoked()) {
      throw OAuthException.invalidGrant("the refresh token was revoked");
    }
    if (t.rotated()) {
      reused(client, t);
    }
    // Everything that can refuse the request is checked before the token is marked rotated: a
    // refusal must leave it usable, or the client's retry would count as a reuse and revoke the
    // family.
    if (t.expiresAt() <= now) {
      throw OAuthException.invalidGrant("the refresh token has expired");
    }
    Set<String> scope = t.scope();
    if (!requestedScope.isEmpty()) {
      // RFC 6749 §6: "The requested scope MUST NOT include any scope not originally granted by
      // the resource owner".
      for (String s : requestedScope) {
        if (!t.scope().contains(s)) {
          throw OAuthException.invalidScope("scope `" + Scopes.printable(s) + "` was not"
              + " granted originally");
        }
      }
      scope = requestedScope;
    }
    if (!users.active(tenantId, t.userId())) {
      throw OAuthException.invalidGrant("the user of the refresh token is disabled or deleted");
    }
    if (!store.markRotated(tenantId, hash)) {
      if (store.find(tenantId, hash).orElse(t).revoked()) {
        throw OAuthException.invalidGrant("the refresh token was revoked");
      }
      reused(client, t);
    }
    IdTokenService.Authentication a = new IdTokenService.Authentication(t.userId(), t.sid(),
        t.authTime(), t.amr(), t.acr(), null);
    // The successor keeps the original grant's scope, so that a narrowed refresh does not shrink
    // what later refreshes may ask for.
    Issued next = insert(tenantId, t.familyId(), client.clientId(), t.userId(), t.scope(),
        t.claims(), a, now, t.familyExpiresAt());
    return new Rotation(t, scope, a, next);
  }

  /** The outcome of a refresh: the old token, the scope granted now, and the new token. */
  public record Rotation(RefreshTokenStore.RefreshToken previous, Set<String> scope,
      IdTokenService.Authentication authentication, Issued next) {}

  /**
   * RFC 9700 §4.14.2: the reuse of a rotated token revokes the active one of its family; we
   * revoke the family and the access tokens issued from it.
   */
  private void reused(Client client, RefreshTokenStore.RefreshToken t) {
    String tenantId = client.tenantId();
    events.recordWith(tenantId, SignInEvents.REFRESH_REUSED,
        () -> revokeFamily(tenantId, t.familyId()),
        n -> Map.of("client_id", client.clientId(), "user_id", t.userId(),
            "family_id", t.familyId(), "revoked", n));
    throw OAuthException.invalidGrant("the refresh token was already used; every token of"
        + " its family is revoked");
  }

  /**
   * Records {@code accessTokenRef} ({@link AccessTokenService#reference}) as issued with it. If
   * the family was revoked meanwhile (its revocation read the family's access tokens before this
   * one was recorded), the access token is revoked here and the request fails: nothing issued
   * from a revoked grant outlives it.
   */
  public void issuedWith(String tenantId, Issued refresh, String accessTokenRef) {
    if (!store.recordAccessToken(tenantId, hasher.hash(refresh.value()), accessTokenRef)) {
      if (accessTokenRef != null) {
        accessTokens.revokeReference(tenantId, accessTokenRef);
      }
      throw OAuthException.invalidGrant("the refresh token was revoked");
    }
  }

  /** The live token {@code value} names at {@code tenantId}, if any (RFC 7009 revocation). */
  public Optional<RefreshTokenStore.RefreshToken> find(String tenantId, String value) {
    if (value == null || value.isEmpty() || value.length() > 200) {
      return Optional.empty();
    }
    long now = clock.instant().getEpochSecond();
    return store.find(tenantId, hasher.hash(value))
        .filter(t -> !t.revoked() && t.familyExpiresAt() > now);
  }

  /**
   * Revokes every token of a family and the access tokens issued with them (RFC 7009 §2.1: "If
   * the particular token is a refresh token and the authorization server supports the revocation
   * of access tokens, then the authorization server SHOULD also invalidate all access tokens
   * based on the same authorization grant"); the number of refresh tokens revoked.
   */
  public int revokeFamily(String tenantId, String familyId) {
    if (familyId == null) {
      return 0;
    }
    for (String ref : store.accessTokenRefs(tenantId, familyId)) {
      accessTokens.revokeReference(tenantId, ref);
    }
    return store.revokeFamily(tenantId, familyId);
  }

  /** Revokes the families issued under an SSO session (logout), with their access tokens. */
  public void revokeSession(String tenantId, String sid) {
    for (String family : store.liveFamiliesOfSession(tenantId, sid)) {
      revokeFamily(tenantId, family);
    }
    store.revokeSession(tenantId, sid);
  }

  /** Revokes every family of a user, with their access tokens; the number of families. */
  public int revokeUser(String tenantId, String userId) {
    List<String> families = store.liveFamiliesOfUser(tenantId, userId);
    for (String family : families) {
      revokeFamily(tenantId, family);
    }
    return families.size();
  }

  public int purgeExpired() {
    return store.purgeExpired(clock.instant().getEpochSecond());
  }

  private Issued insert(String tenantId, String familyId, String clientId, String userId,
      Set<String> scope, RequestedClaims claims, IdTokenService.Authentication a, long now,
      long familyExpiresAt) {
    String value = Secrets.secret();
    long expires = Math.min(now + idle.toSeconds(), familyExpiresAt);
    store.insert(new RefreshTokenStore.RefreshToken(tenantId, hasher.hash(value), familyId,
        clientId, userId, Set.copyOf(scope), claims, a.sid(), a.authTime(), a.amr(), a.acr(), now,
        expires, familyExpiresAt, false, false));
    return new Issued(value, familyId);
  }
}
