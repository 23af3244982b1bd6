package dev.gatehouse.server.oauth;

import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.crypto.Secrets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Issues and redeems authorization codes (RFC 6749 §4.1.2): 256 random bits, stored as a keyed
 * hash, usable once within {@link #LIFETIME} seconds, bound to the client, the redirect_uri, the
 * PKCE challenge, the nonce, the scope and the claims requested by name.
 */
public final class AuthorizationCodeService {

  /**
   * RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10 minutes is RECOMMENDED"; one
   * minute is plenty for a redirect and a back-channel exchange.
   */
  public static final long LIFETIME = 60;

  private final AuthorizationCodeStore store;
  private final SecretHasher hasher;
  private final Clock clock;

  public AuthorizationCodeService(AuthorizationCodeStore store, SecretHasher hasher, Clock clock) {
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
  }

  /** What a code is bound to. */
  public record Binding(String redirectUri, String codeChallenge, String nonce, Set<String> scope,
      RequestedClaims claims, IdTokenService.Authentication authentication) {}

  /** A new code for {@code client}; its value, which is never stored. */
  public String issue(Client client, Binding b) {
    String value = Secrets.secret();
    IdTokenService.Authentication a = b.authentication();
    store.insert(new AuthorizationCodeStore.Code(client.tenantId(), hasher.hash(value),
        client.clientId(), b.redirectUri(), b.codeChallenge(), b.nonce(), b.scope(), b.claims(),
        a.userId(), a.sid(), a.authTime(), a.amr(), a.acr(),
        clock.instant().getEpochSecond() + LIFETIME, false));
    return value;
  }

  /** The outcome of redeeming a code. */
  public sealed interface Redemption {
    /** The code was good and is now spent. */
    record Redeemed(AuthorizationCodeStore.Code code) implements Redemption {}
    /** The code had been used before: what was issued from it should be revoked. */
    record Replayed(String accessTokenRef, String refreshFamily) implements Redemption {}
    /** No such code at this tenant. */
    record Unknown() implements Redemption {}
  }

  /**
   * Spends {@code value} at {@code tenantId} once {@code binding} accepted the code as stored:
   * the check of what the code is bound to (client, redirect_uri, PKCE), which throws when the
   * request does not match. It runs before the code is spent and before a replay is declared, so
   * whoever holds a leaked code without the rest of the binding can neither burn it nor set off
   * the replay revocation of the tokens the rightful client got from it.
   */
  public Redemption redeem(String tenantId, String value,
      Consumer<AuthorizationCodeStore.Code> binding) {
    if (value == null || value.length() > 200) {
      return new Redemption.Unknown();
    }
    String hash = hasher.hash(value);
    Optional<AuthorizationCodeStore.Code> code = store.find(tenantId, hash);
    if (code.isEmpty()) {
      return new Redemption.Unknown();
    }
    binding.accept(code.get());
    // INVARIANT: the conditional update is what makes a code single-use across nodes.
    if (code.get().used() || !store.markUsed(tenantId, hash)) {
      // Recorded before reading what was issued: an exchange still under way then finds the
      // replay when it records its tokens, and revokes them itself (recordIssued).
      store.markReplayed(tenantId, hash);
      String[] issued = store.issued(tenantId, hash);
      return new Redemption.Replayed(issued[0], issued[1]);
    }
    return new Redemption.Redeemed(code.get());
  }

  /**
   * Records what was issued from the code; false when the code was replayed meanwhile (the
   * caller must revoke what it issued: the replay could not see it).
   */
  public boolean recordIssued(String tenantId, String codeValue, String accessTokenRef,
      String refreshFamily) {
    return store.recordIssued(tenantId, hasher.hash(codeValue), accessTokenRef, refreshFamily);
  }

  /** References of the access tokens issued from a user's codes still on record. */
  public java.util.List<String> accessTokensOfUser(String tenantId, String userId) {
    return store.accessTokenRefsOfUser(tenantId, userId);
  }

  public boolean expired(AuthorizationCodeStore.Code code) {
    return code.expiresAt() <= clock.instant().getEpochSecond();
  }

  public int purgeExpired() {
    return store.purgeExpired(clock.instant().getEpochSecond());
  }
}
