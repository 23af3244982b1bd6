package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.events.EventOutbox;
import dev.gatehouse.server.events.SignInEvents;
import dev.gatehouse.server.keys.KeyAlgorithm;
import dev.gatehouse.server.store.Transactions;
import dev.gatehouse.server.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link RefreshTokenService#rotate} without HTTP or a database: every refusal leaves the token
 * unrotated (so a retry is not a reuse), and a token of a user who is no longer active is refused
 * even when nothing revoked it.
 */
class RefreshTokenServiceTest {

  /** Refresh tokens in a map, and a log of what the service asked of the store. */
  private static final class MapStore implements RefreshTokenStore {
    final Map<String, RefreshToken> rows = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    /** Another request rotates the token between this one's find and markRotated. */
    boolean loseTheRace;
    /** Another request's change that commits between this one's find and markRotated. */
    Runnable meanwhile;

    @Override
    public void insert(RefreshToken t) {
      rows.put(t.tokenHash(), t);
    }

    @Override
    public Optional<RefreshToken> find(String tenantId, String tokenHash) {
      return Optional.ofNullable(rows.get(tokenHash)).filter(t -> t.tenantId().equals(tenantId));
    }

    @Override
    public boolean markRotated(String tenantId, String tokenHash) {
      if (meanwhile != null) {
        meanwhile.run();
        meanwhile = null;
      }
      RefreshToken t = rows.get(tokenHash);
      // As JdbcRefreshTokenStore: not once it or its family is revoked.
      if (t == null || t.rotated() || t.revoked() || loseTheRace) {
        return false;
      }
      rows.put(tokenHash, with(t, true, t.revoked()));
      return true;
    }

    static RefreshToken with(RefreshToken t, boolean rotated, boolean revoked) {
      return new RefreshToken(t.tenantId(), t.tokenHash(), t.familyId(), t.clientId(),
          t.userId(), t.scope(), t.claims(), t.sid(), t.authTime(), t.amr(), t.acr(),
          t.issuedAt(), t.expiresAt(), t.familyExpiresAt(), rotated, revoked);
    }

    @Override
    public int revokeFamily(String tenantId, String familyId) {
      calls.add("revokeFamily " + familyId);
      int n = 0;
      for (RefreshToken t : List.copyOf(rows.values())) {
        if (t.familyId().equals(familyId) && !t.revoked()) {
          rows.put(t.tokenHash(), with(t, t.rotated(), true));
          n++;
        }
      }
      return n;
    }

    @Override
    public int revokeSession(String tenantId, String sid) {
      calls.add("revokeSession " + sid);
      return 0;
    }

    @Override
    public boolean recordAccessToken(String tenantId, String tokenHash, String accessTokenRef) {
      calls.add("recordAccessToken " + tokenHash + " " + accessTokenRef);
      // As JdbcRefreshTokenStore: not once the token (revoked with its family here) is revoked.
      Optional<RefreshToken> live = find(tenantId, tokenHash).filter(t -> !t.revoked());
      live.ifPresent(t -> refs.computeIfAbsent(tenantId + " " + t.familyId(),
          k -> new ArrayList<>()).add(accessTokenRef));
      return live.isPresent();
    }

    /** The access token references recorded per tenant and family. */
    final Map<String, List<String>> refs = new HashMap<>();

    @Override
    public List<String> accessTokenRefs(String tenantId, String familyId) {
      return List.copyOf(refs.getOrDefault(tenantId + " " + familyId, List.of()));
    }

    @Override
    public List<String> liveFamiliesOfUser(String tenantId, String userId) {
      return families(t -> t.userId().equals(userId));
    }

    @Override
    public List<String> liveFamiliesOfSession(String tenantId, String sid) {
      return families(t -> t.sid().equals(sid));
    }

    private List<String> families(java.util.function.Predicate<RefreshToken> of) {
      return rows.values().stream().filter(t -> !t.revoked()).filter(of)
          .map(RefreshToken::familyId).distinct().sorted().toList();
    }

    @Override
    public int purgeExpired(long now) {
      calls.add("purgeExpired " + now);
      return 7;
    }
  }

  /** Access token state: only the revocations, as calls. */
  private static final class RevocationLog implements TokenStore {
    final List<String> calls = new ArrayList<>();

    @Override
    public boolean revokeOpaque(String tenantId, String tokenHash) {
      calls.add("revokeOpaque " + tenantId + " " + tokenHash);
      return true;
    }

    @Override
    public void revokeJwt(String tenantId, String jti, long expiresAt) {
      calls.add("revokeJwt " + tenantId + " " + jti + " " + expiresAt);
    }

    @Override
    public void insertOpaque(OpaqueToken token) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<OpaqueToken> findOpaque(String tenantId, String tokenHash) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> liveOpaqueOfSubject(String tenantId, String subject, long now) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isJwtRevoked(String tenantId, String jti) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void revokedJwtsSince(long sinceMillis, long nowSeconds, RevokedJwts.Visitor visitor) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean useAssertionJti(String tenantId, String clientId, String jti, long expiresAt) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int purgeExpired(long now) {
      throw new UnsupportedOperationException();
    }
  }

  private final MapStore store = new MapStore();
  private final RevocationLog tokens = new RevocationLog();
  private final Set<String> disabled = new HashSet<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<EventOutbox.Event> events = new ArrayList<>();
  private final SecretHasher hasher = MasterKey.load(
      Base64.getEncoder().encodeToString(new byte[32]), Path.of("unused")).secretHasher();
  // Revocation by reference needs neither keys, issuers nor clients.
  private final AccessTokenService accessTokens =
      new AccessTokenService(null, tokens, hasher, null, clock, null);
  private final RefreshTokenService service = new RefreshTokenService(store, hasher, clock,
      Duration.ofDays(1), Duration.ofDays(2), new SignInEvents(events::addAll,
          Transactions.NONE, clock), accessTokens,
      (tenantId, userId) -> !disabled.contains(userId));
  private final Client client = new Client("acme", "web", "Web", Client.ClientType.CONFIDENTIAL,
      AuthMethod.CLIENT_SECRET_BASIC, "hash", Set.of("authorization_code", "refresh_token"),
      Set.of(), Client.TokenFormat.JWT, KeyAlgorithm.ES256, 900, null, List.of(), 0, List.of(),
      List.of(), null, KeyAlgorithm.RS256);

  private String issue(String userId) {
    return service.issue(client, userId, Set.of("openid", "offline_access"), RequestedClaims.NONE,
        new IdTokenService.Authentication(userId, "sid", 1, "pwd", "acr", null)).value();
  }

  private boolean anyRotated() {
    return store.rows.values().stream().anyMatch(RefreshTokenStore.RefreshToken::rotated);
  }

  @Test
  void rotateWhenScopeNotGrantedThenInvalidScopeAndTokenNotRotated() {
    String value = issue("u1");
    assertThatThrownBy(() -> service.rotate(client, value, Set.of("admin")))
        .isInstanceOf(OAuthException.class).hasMessageContaining("admin");
    assertThat(anyRotated()).isFalse();
    assertThat(service.rotate(client, value, Set.of()).next().value()).isNotEqualTo(value);
  }

  @Test
  void rotateWhenUserNoLongerActiveThenInvalidGrantAndTokenNotRotated() {
    String value = issue("u2");
    disabled.add("u2");
    assertThatThrownBy(() -> service.rotate(client, value, Set.of()))
        .isInstanceOf(OAuthException.class).hasMessageContaining("disabled or deleted");
    assertThat(anyRotated()).isFalse();
  }

  private RefreshTokenStore.RefreshToken row(String value) {
    return store.rows.get(hasher.hash(value));
  }

  private void advance(Duration d) {
    clock.advance(d);
  }

  @Test
  void rotateWhenUsedThenRotatedAndASuccessorOfTheSameFamilyAndGrant() {
    String value = issue("u1");
    advance(Duration.ofHours(1));
    RefreshTokenService.Rotation r = service.rotate(client, value, Set.of("openid"));
    assertThat(r.scope()).containsExactly("openid");
    assertThat(r.previous().tokenHash()).isEqualTo(hasher.hash(value));
    assertThat(r.authentication().userId()).isEqualTo("u1");
    assertThat(row(value).rotated()).isTrue();
    RefreshTokenStore.RefreshToken next = row(r.next().value());
    assertThat(next.familyId()).isEqualTo(row(value).familyId()).isEqualTo(r.next().familyId());
    // A narrowed refresh does not narrow the grant the successor carries.
    assertThat(next.scope()).containsExactlyInAnyOrder("openid", "offline_access");
    assertThat(next.issuedAt()).isEqualTo(clock.instant().getEpochSecond());
    assertThat(next.expiresAt())
        .isEqualTo(clock.instant().plus(Duration.ofDays(1)).getEpochSecond());
    assertThat(next.familyExpiresAt()).isEqualTo(row(value).familyExpiresAt());
    assertThat(service.rotate(client, r.next().value(), Set.of()).scope())
        .containsExactlyInAnyOrder("openid", "offline_access");
  }

  @Test
  @DisplayName("the absolute lifetime caps the idle one, counted from the first sign-in")
  void rotateWhenNearTheFamilysEndThenTheSuccessorExpiresWithTheFamily() {
    String value = issue("u1");
    assertThat(row(value).expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(1))
        .getEpochSecond());
    long familyEnd = clock.instant().plus(Duration.ofDays(2)).getEpochSecond();
    assertThat(row(value).familyExpiresAt()).isEqualTo(familyEnd);
    advance(Duration.ofHours(20));
    String second = service.rotate(client, value, Set.of()).next().value();
    advance(Duration.ofHours(20));
    String third = service.rotate(client, second, Set.of()).next().value();
    assertThat(row(third).expiresAt()).isEqualTo(familyEnd);
  }

  @Test
  void rotateWhenExactlyAtTheIdleExpiryThenExpiredAndNotRotated() {
    String value = issue("u1");
    advance(Duration.ofDays(1));
    assertThatThrownBy(() -> service.rotate(client, value, Set.of()))
        .isInstanceOf(OAuthException.class).hasMessageContaining("expired");
    assertThat(anyRotated()).isFalse();
    clock.advance(Duration.ofSeconds(-1));
    assertThat(service.rotate(client, value, Set.of()).next()).isNotNull();
  }

  @Test
  void rotateWhenNotATokenOfOursThenInvalidGrant() {
    String longest = "t".repeat(200);
    for (String bad : java.util.Arrays.asList(null, "", longest + "t", longest, "unknown")) {
      assertThatThrownBy(() -> service.rotate(client, bad, Set.of())).as("%s", bad)
          .isInstanceOfSatisfying(OAuthException.class,
              e -> assertThat(e.error()).isEqualTo("invalid_grant"))
          .hasMessageContaining("not valid");
    }
    // 200 characters is still a value to look up.
    RefreshTokenStore.RefreshToken t = row(issue("u1"));
    store.insert(new RefreshTokenStore.RefreshToken(t.tenantId(), hasher.hash(longest),
        t.familyId(), t.clientId(), t.userId(), t.scope(), t.claims(), t.sid(), t.authTime(),
        t.amr(), t.acr(), t.issuedAt(), t.expiresAt(), t.familyExpiresAt(), false, false));
    assertThat(service.rotate(client, longest, Set.of()).previous().tokenHash())
        .isEqualTo(hasher.hash(longest));
  }

  @Test
  @DisplayName("RFC 6749 §6: \"ensure that the refresh token was issued to the authenticated"
      + " client\"")
  void rotateWhenAnotherClientsOrRevokedThenInvalidGrantAndNothingRevoked() {
    String value = issue("u1");
    Client other = new Client("acme", "other", "Other", Client.ClientType.CONFIDENTIAL,
        AuthMethod.CLIENT_SECRET_BASIC, "hash", Set.of("refresh_token"), Set.of(),
        Client.TokenFormat.JWT, KeyAlgorithm.ES256, 900, null, List.of(), 0);
    assertThatThrownBy(() -> service.rotate(other, value, Set.of()))
        .isInstanceOf(OAuthException.class).hasMessageContaining("another client");
    service.revokeFamily("acme", row(value).familyId());
    assertThatThrownBy(() -> service.rotate(client, value, Set.of()))
        .isInstanceOf(OAuthException.class).hasMessageContaining("revoked");
    assertThat(anyRotated()).isFalse();
    assertThat(events).isEmpty();
  }

  @Test
  @DisplayName("RFC 9700 §4.14.2: a rotated token used again revokes its family")
  void rotateWhenARotatedTokenIsUsedAgainThenTheFamilyIsRevokedAndRecorded() {
    String value = issue("u1");
    String next = service.rotate(client, value, Set.of()).next().value();
    String family = row(value).familyId();
    assertThatThrownBy(() -> service.rotate(client, value, Set.of()))
        .isInstanceOf(OAuthException.class).hasMessageContaining("already used");
    assertThat(row(next).revoked()).isTrue();
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(SignInEvents.REFRESH_REUSED);
      assertThat(e.payload()).contains("\"family_id\":\"" + family + "\"")
          .contains("\"revoked\":2").contains("\"client_id\":\"web\"")
          .contains("\"user_id\":\"u1\"");
    });
    assertThatThrownBy(() -> service.rotate(client, next, Set.of()))
        .isInstanceOf(OAuthException.class).hasMessageContaining("revoked");
  }

  @Test
  @DisplayName("a rotation that meets its family's revocation fails as revoked, not as a reuse")
  void rotateWhenTheFamilyIsRevokedWhileTheRequestIsCheckedThenRevokedAndNoReuseRecorded() {
    String value = issue("u1");
    String family = row(value).familyId();
    store.meanwhile = () -> store.revokeFamily("acme", family);

    assertThatThrownBy(() -> service.rotate(client, value, Set.of()))
        .isInstanceOf(OAuthException.class).hasMessageContaining("revoked");
    assertThat(store.rows.values()).as("no successor").hasSize(1);
    assertThat(events).isEmpty();
  }

  @Test
  @DisplayName("a family revoked after the rotation, before its access token was recorded:"
      + " the request fails (nothing issued from a revoked grant is handed out)")
  void issuedWithWhenTheFamilyWasRevokedAfterTheRotationThenInvalidGrant() {
    String value = issue("u1");
    RefreshTokenService.Rotation r = service.rotate(client, value, Set.of());
    store.revokeFamily("acme", row(value).familyId());

    assertThatThrownBy(() -> service.issuedWith("acme", r.next(), null))
        .isInstanceOf(OAuthException.class).hasMessageContaining("revoked");
    assertThatThrownBy(() -> service.issuedWith("acme", r.next(), "opaque:late"))
        .isInstanceOf(OAuthException.class).hasMessageContaining("revoked");
    assertThat(tokens.calls).as("the access token just issued").containsExactly(
        "revokeOpaque acme late");
  }

  @Test
  @DisplayName("RFC 7009 §2.1: revoking a refresh token's family \"SHOULD also invalidate all"
      + " access tokens based on the same authorization grant\"")
  void revokeFamilyWhenAccessTokensWereIssuedWithItThenTheyAreRevokedToo() {
    RefreshTokenService.Issued first = service.issue(client, "u1", Set.of("openid"),
        RequestedClaims.NONE, new IdTokenService.Authentication("u1", "sid", 1, "pwd", "acr",
            null));
    service.issuedWith("acme", first, "opaque:first");
    long exp = clock.instant().getEpochSecond() + 900;
    service.issuedWith("acme", service.rotate(client, first.value(), Set.of()).next(),
        "jwt:second:" + exp);
    String other = issue("u1");
    service.issuedWith("acme", new RefreshTokenService.Issued(other, row(other).familyId()),
        "opaque:other-family");

    assertThat(service.revokeFamily("acme", first.familyId())).isEqualTo(2);
    assertThat(tokens.calls).containsExactly("revokeOpaque acme first",
        "revokeJwt acme second " + exp);
    assertThat(row(other).revoked()).isFalse();
  }


  @Test
  void rotateWhenARotatedTokenIsUsedAfterItsOwnExpiryThenStillAReuse() {
    String value = issue("u1");
    advance(Duration.ofHours(1));
    String next = service.rotate(client, value, Set.of()).next().value();
    // The first token's idle day is over, its successor's is not.
    advance(Duration.ofHours(23));
    assertThatThrownBy(() -> service.rotate(client, value, Set.of()))
        .isInstanceOf(OAuthException.class).hasMessageContaining("already used");
    assertThat(row(next).revoked()).isTrue();
    assertThat(events).hasSize(1);
  }

  @Test
  void rotateWhenAnotherRequestRotatedItFirstThenAReuse() {
    String value = issue("u1");
    store.loseTheRace = true;
    assertThatThrownBy(() -> service.rotate(client, value, Set.of()))
        .isInstanceOf(OAuthException.class).hasMessageContaining("already used");
    assertThat(row(value).revoked()).isTrue();
    assertThat(events).hasSize(1);
  }

  @Test
  void findWhenLiveThenTheTokenElseEmpty() {
    String value = issue("u1");
    assertThat(service.find("acme", value)).get().extracting(RefreshTokenStore.RefreshToken::userId)
        .isEqualTo("u1");
    assertThat(service.find("globex", value)).isEmpty();
    for (String bad : java.util.Arrays.asList(null, "", "t".repeat(201))) {
      assertThat(service.find("acme", bad)).isEmpty();
    }
    // Rotated is still found (RFC 7009 revokes its family); past the family's end is not.
    service.rotate(client, value, Set.of());
    assertThat(service.find("acme", value)).isPresent();
    advance(Duration.ofDays(2).minusSeconds(1));
    assertThat(service.find("acme", value)).isPresent();
    advance(Duration.ofSeconds(1));
    assertThat(service.find("acme", value)).isEmpty();
  }

  @Test
  void findWhenRevokedThenEmpty() {
    String value = issue("u1");
    assertThat(service.revokeFamily("acme", row(value).familyId())).isEqualTo(1);
    assertThat(service.find("acme", value)).isEmpty();
    // 200 characters is still a value to look up.
    String longest = "t".repeat(200);
    assertThat(service.find("acme", longest)).isEmpty();
    RefreshTokenStore.RefreshToken t = row(issue("u1"));
    store.insert(new RefreshTokenStore.RefreshToken(t.tenantId(), hasher.hash(longest),
        t.familyId(), t.clientId(), t.userId(), t.scope(), t.claims(), t.sid(), t.authTime(),
        t.amr(), t.acr(), t.issuedAt(), t.expiresAt(), t.familyExpiresAt(), false, false));
    assertThat(service.find("acme", longest)).isPresent();
  }

  @Test
  void revokeWhenByUserOrSessionThenEachLiveFamilyOfIt() {
    String a = issue("u1");
    String b = issue("u1");
    String c = issue("u2");
    assertThat(service.revokeFamily("acme", null)).isZero();
    assertThat(service.revokeUser("acme", "u1")).isEqualTo(2);
    assertThat(row(a).revoked()).isTrue();
    assertThat(row(b).revoked()).isTrue();
    assertThat(row(c).revoked()).isFalse();
    service.revokeSession("acme", "sid");
    assertThat(row(c).revoked()).isTrue();
    assertThat(store.calls).contains("revokeSession sid");
    assertThat(service.revokeUser("acme", "u1")).isZero();
  }

  @Test
  void issuedWithWhenAnAccessTokenIsIssuedThenRecordedUnderTheRefreshTokensHash() {
    RefreshTokenService.Issued issued = service.issue(client, "u1", Set.of("openid"),
        RequestedClaims.NONE, new IdTokenService.Authentication("u1", "sid", 1, "pwd", "acr",
            null));
    service.issuedWith("acme", issued, "jwt:abc:123");
    assertThat(store.calls).containsExactly("recordAccessToken " + hasher.hash(issued.value())
        + " jwt:abc:123");
  }

  @Test
  void purgeExpiredWhenCalledThenTheStoresCountAsOfNow() {
    assertThat(service.purgeExpired()).isEqualTo(7);
    assertThat(store.calls).containsExactly("purgeExpired " + clock.instant().getEpochSecond());
  }
}
