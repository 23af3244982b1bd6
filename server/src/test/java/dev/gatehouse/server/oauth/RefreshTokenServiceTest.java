package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.events.SignInEvents;
import dev.gatehouse.server.keys.KeyAlgorithm;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RefreshTokenService#rotate} without HTTP or a database: every refusal leaves the token
 * unrotated (so a retry is not a reuse), and a token of a user who is no longer active is refused
 * even when nothing revoked it.
 */
class RefreshTokenServiceTest {

  /** Refresh tokens in a map: only what rotate and issue need. */
  private static final class MapStore implements RefreshTokenStore {
    final Map<String, RefreshToken> rows = new HashMap<>();

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
      RefreshToken t = rows.get(tokenHash);
      if (t == null || t.rotated()) {
        return false;
      }
      rows.put(tokenHash, new RefreshToken(t.tenantId(), t.tokenHash(), t.familyId(),
          t.clientId(), t.userId(), t.scope(), t.claims(), t.sid(), t.authTime(), t.amr(), t.acr(),
          t.issuedAt(), t.expiresAt(), t.familyExpiresAt(), true, t.revoked()));
      return true;
    }

    @Override
    public int revokeFamily(String tenantId, String familyId) {
      return 0;
    }

    @Override
    public int revokeSession(String tenantId, String sid) {
      return 0;
    }

    @Override
    public void recordAccessToken(String tenantId, String tokenHash, String accessTokenRef) {}

    @Override
    public List<String> accessTokenRefs(String tenantId, String familyId) {
      return new ArrayList<>();
    }

    @Override
    public List<String> liveFamiliesOfUser(String tenantId, String userId) {
      return new ArrayList<>();
    }

    @Override
    public List<String> liveFamiliesOfSession(String tenantId, String sid) {
      return new ArrayList<>();
    }

    @Override
    public int purgeExpired(long now) {
      return 0;
    }
  }

  private final MapStore store = new MapStore();
  private final Set<String> disabled = new HashSet<>();
  private final RefreshTokenService service = new RefreshTokenService(store,
      MasterKey.load(Base64.getEncoder().encodeToString(new byte[32]), Path.of("unused"))
          .secretHasher(), Clock.systemUTC(), Duration.ofDays(1), Duration.ofDays(2),
      SignInEvents.logOnly(Clock.systemUTC()), null,
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
}
