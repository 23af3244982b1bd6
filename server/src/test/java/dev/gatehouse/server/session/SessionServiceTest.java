package dev.gatehouse.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SSO sessions: cookies stored only as keyed hashes, lifetimes, re-authentication. */
class SessionServiceTest {

  private static final Duration LIFETIME = Duration.ofHours(8);
  private static final long T0 = 1_700_000_000L;

  private final SecretHasher hasher = MasterKey.load(
      Base64.getEncoder().encodeToString(key()), Path.of("unused")).secretHasher();
  private final MutableClock clock = MutableClock.atEpochSecond(T0);
  private final MemoryStore store = new MemoryStore();
  private final SessionService sessions = new SessionService(store, hasher, clock, LIFETIME);

  private static byte[] key() {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 7);
    return k;
  }

  @Test
  void createWhenSignedInThenSessionTimesAndOnlyTheCookieHashStored() {
    SessionService.Created c = sessions.create("t1", "u1", List.of("pwd"), Acr.PWD);
    Session s = c.session();
    assertThat(s.tenantId()).isEqualTo("t1");
    assertThat(s.userId()).isEqualTo("u1");
    assertThat(s.authTime()).isEqualTo(T0);
    assertThat(s.createdAt()).isEqualTo(T0);
    assertThat(s.expiresAt()).isEqualTo(T0 + LIFETIME.toSeconds());
    assertThat(s.amr()).containsExactly("pwd");
    assertThat(s.acr()).isEqualTo(Acr.PWD);
    assertThat(c.cookieValue()).hasSizeGreaterThanOrEqualTo(43);
    assertThat(store.cookieHashOf(s.sid())).isEqualTo(hasher.hash(c.cookieValue()))
        .isNotEqualTo(c.cookieValue());
    assertThat(sessions.lifetime()).isEqualTo(LIFETIME);
  }

  @Test
  void lockLiveWhenLiveThenTrueUntilItsExpirySecondAndNeverForAnotherTenantOrAnEndedOne() {
    SessionService.Created c = sessions.create("t1", "u1", List.of("pwd"), Acr.PWD);
    String sid = c.session().sid();
    assertThat(sessions.lockLive("t1", sid)).isTrue();
    assertThat(sessions.lockLive("t2", sid)).isFalse();
    clock.set(c.session().expiresAt() - 1);
    assertThat(sessions.lockLive("t1", sid)).isTrue();
    clock.set(c.session().expiresAt());
    assertThat(sessions.lockLive("t1", sid)).isFalse();
    clock.set(T0);
    sessions.revoke("t1", sid);
    assertThat(sessions.lockLive("t1", sid)).isFalse();
  }

  @Test
  void createWhenTwiceThenDifferentSidsAndCookies() {
    SessionService.Created a = sessions.create("t1", "u1", List.of("pwd"), Acr.PWD);
    SessionService.Created b = sessions.create("t1", "u1", List.of("pwd"), Acr.PWD);
    assertThat(a.session().sid()).isNotEqualTo(b.session().sid());
    assertThat(a.cookieValue()).isNotEqualTo(b.cookieValue());
  }

  @Test
  void fromCookieWhenLiveThenFoundUntilItsExpirySecond() {
    SessionService.Created c = sessions.create("t1", "u1", List.of("pwd"), Acr.PWD);
    assertThat(sessions.fromCookie("t1", c.cookieValue())).contains(c.session());
    clock.set(c.session().expiresAt() - 1);
    assertThat(sessions.fromCookie("t1", c.cookieValue())).isPresent();
    clock.set(c.session().expiresAt());
    assertThat(sessions.fromCookie("t1", c.cookieValue())).isEmpty();
  }

  @Test
  void fromCookieWhenOtherTenantOrWrongValueThenEmpty() {
    SessionService.Created c = sessions.create("t1", "u1", List.of("pwd"), Acr.PWD);
    assertThat(sessions.fromCookie("t2", c.cookieValue())).isEmpty();
    assertThat(sessions.fromCookie("t1", c.cookieValue() + "x")).isEmpty();
  }

  @Test
  void fromCookieWhenMissingEmptyOrOverlongThenEmptyWithoutAskingTheStore() {
    assertThat(sessions.fromCookie("t1", null)).isEmpty();
    assertThat(sessions.fromCookie("t1", "")).isEmpty();
    assertThat(sessions.fromCookie("t1", "x".repeat(101))).isEmpty();
    assertThat(store.lookups).isZero();
    sessions.fromCookie("t1", "x".repeat(100));
    assertThat(store.lookups).isEqualTo(1);
  }

  @Test
  void findWhenLiveThenFoundAndFromItsExpirySecondNot() {
    Session s = sessions.create("t1", "u1", List.of("pwd"), Acr.PWD).session();
    assertThat(sessions.find("t1", s.sid())).contains(s);
    assertThat(sessions.find("t2", s.sid())).isEmpty();
    clock.set(s.expiresAt());
    assertThat(sessions.find("t1", s.sid())).isEmpty();
  }

  @Test
  void revokeWhenSessionRevokedThenCookieNoLongerWorks() {
    SessionService.Created c = sessions.create("t1", "u1", List.of("pwd"), Acr.PWD);
    assertThat(sessions.revoke("t1", c.session().sid())).isTrue();
    assertThat(sessions.fromCookie("t1", c.cookieValue())).isEmpty();
    assertThat(sessions.revoke("t1", c.session().sid())).isFalse();
  }

  @Test
  void revokeAllOfWhenUserHasSessionsThenAllEndedAndCounted() {
    sessions.create("t1", "u1", List.of("pwd"), Acr.PWD);
    sessions.create("t1", "u1", List.of("pwd"), Acr.PWD);
    Session other = sessions.create("t1", "u2", List.of("pwd"), Acr.PWD).session();
    assertThat(sessions.revokeAllOf("t1", "u1")).isEqualTo(2);
    assertThat(sessions.list("t1", "u1", 10)).isEmpty();
    assertThat(sessions.list("t1", "u2", 10)).containsExactly(other);
  }

  @Test
  void listWhenNoUserThenTenantsSessionsUpToTheLimit() {
    sessions.create("t1", "u1", List.of("pwd"), Acr.PWD);
    sessions.create("t1", "u2", List.of("pwd"), Acr.PWD);
    sessions.create("t2", "u3", List.of("pwd"), Acr.PWD);
    assertThat(sessions.list("t1", null, 10)).hasSize(2);
    assertThat(sessions.list("t1", null, 1)).hasSize(1);
  }

  @Test
  void listWhenASessionHasExpiredThenNotListedThoughNotYetPurged() {
    Session s = sessions.create("t1", "u1", List.of("pwd"), Acr.PWD).session();
    clock.set(s.expiresAt() - 1);
    assertThat(sessions.list("t1", null, 10)).containsExactly(s);
    assertThat(sessions.list("t1", "u1", 10)).containsExactly(s);

    clock.set(s.expiresAt());

    assertThat(sessions.list("t1", null, 10)).isEmpty();
    assertThat(sessions.list("t1", "u1", 10)).isEmpty();
  }

  @Test
  void reauthenticatedWhenLiveThenNewLevelNowAndOnlyTheNewCookieWorks() {
    SessionService.Created first = sessions.create("t1", "u1", List.of("pwd"), Acr.PWD);
    clock.set(T0 + 60);
    Optional<SessionService.Created> again = sessions.reauthenticated(first.session(),
        List.of("pwd", "otp"), Acr.MFA);
    assertThat(again).isPresent();
    Session s = again.get().session();
    assertThat(s.sid()).isEqualTo(first.session().sid());
    assertThat(s.authTime()).isEqualTo(T0 + 60);
    assertThat(s.amr()).containsExactly("pwd", "otp");
    assertThat(s.acr()).isEqualTo(Acr.MFA);
    assertThat(s.createdAt()).isEqualTo(T0);
    assertThat(s.expiresAt()).isEqualTo(first.session().expiresAt());
    assertThat(again.get().cookieValue()).isNotEqualTo(first.cookieValue());
    assertThat(sessions.fromCookie("t1", first.cookieValue())).isEmpty();
    assertThat(sessions.fromCookie("t1", again.get().cookieValue())).contains(s);
  }

  @Test
  void reauthenticatedWhenSessionGoneThenEmpty() {
    Session s = sessions.create("t1", "u1", List.of("pwd"), Acr.PWD).session();
    sessions.revoke("t1", s.sid());
    assertThat(sessions.reauthenticated(s, List.of("otp"), Acr.MFA)).isEmpty();
  }

  @Test
  void signedInToWhenClientsAddedThenListedOnce() {
    Session s = sessions.create("t1", "u1", List.of("pwd"), Acr.PWD).session();
    sessions.signedInTo("t1", s.sid(), "app");
    sessions.signedInTo("t1", s.sid(), "app");
    sessions.signedInTo("t1", s.sid(), "other");
    assertThat(sessions.clients("t1", s.sid())).containsExactly("app", "other");
  }

  @Test
  void purgeExpiredWhenSomeExpiredThenOnlyThoseGoAtTheClocksNow() {
    Session old = sessions.create("t1", "u1", List.of("pwd"), Acr.PWD).session();
    clock.set(T0 + 100);
    Session young = sessions.create("t1", "u2", List.of("pwd"), Acr.PWD).session();
    // As the JDBC store: a session goes once its expiry second has passed (expires_at < now).
    clock.set(old.expiresAt());
    assertThat(sessions.purgeExpired()).isZero();
    clock.set(old.expiresAt() + 1);
    assertThat(sessions.purgeExpired()).isEqualTo(1);
    assertThat(store.purgedAt).isEqualTo(old.expiresAt() + 1);
    assertThat(sessions.find("t1", young.sid())).isPresent();
  }

  /** The store contract in memory: what the JDBC store does, minus SQL. */
  private static final class MemoryStore implements SessionStore {
    private final Map<String, Session> bySid = new HashMap<>();
    private final Map<String, String> cookieBySid = new HashMap<>();
    private final Map<String, List<String>> clientsBySid = new HashMap<>();
    int lookups;
    long purgedAt = -1;

    String cookieHashOf(String sid) {
      return cookieBySid.get(sid);
    }

    @Override
    public void insert(Session session, String cookieHash) {
      bySid.put(session.sid(), session);
      cookieBySid.put(session.sid(), cookieHash);
    }

    @Override
    public Optional<Session> findByCookie(String tenantId, String cookieHash) {
      lookups++;
      return bySid.values().stream().filter(s -> s.tenantId().equals(tenantId)
          && cookieHash.equals(cookieBySid.get(s.sid()))).findFirst();
    }

    @Override
    public Optional<Session> findForUpdate(String tenantId, String sid) {
      return find(tenantId, sid);
    }

    @Override
    public Optional<Session> find(String tenantId, String sid) {
      return Optional.ofNullable(bySid.get(sid)).filter(s -> s.tenantId().equals(tenantId));
    }

    @Override
    public List<Session> listByUser(String tenantId, String userId, long now) {
      return bySid.values().stream().filter(s -> s.tenantId().equals(tenantId)
          && s.userId().equals(userId) && s.expiresAt() > now).toList();
    }

    @Override
    public List<Session> list(String tenantId, int limit, long now) {
      return bySid.values().stream().filter(s -> s.tenantId().equals(tenantId)
          && s.expiresAt() > now).limit(limit).toList();
    }

    @Override
    public boolean revoke(String tenantId, String sid) {
      if (find(tenantId, sid).isEmpty()) {
        return false;
      }
      bySid.remove(sid);
      cookieBySid.remove(sid);
      return true;
    }

    @Override
    public int revokeByUser(String tenantId, String userId) {
      List<Session> mine = listByUser(tenantId, userId, Long.MIN_VALUE);
      mine.forEach(s -> revoke(tenantId, s.sid()));
      return mine.size();
    }

    @Override
    public boolean reauthenticated(String tenantId, String sid, String cookieHash,
        List<String> amr, String acr, long authTime) {
      Session s = find(tenantId, sid).orElse(null);
      if (s == null) {
        return false;
      }
      bySid.put(sid, new Session(tenantId, sid, s.userId(), authTime, amr, acr, s.createdAt(),
          s.expiresAt()));
      cookieBySid.put(sid, cookieHash);
      return true;
    }

    @Override
    public void addClient(String tenantId, String sid, String clientId) {
      List<String> c = clientsBySid.computeIfAbsent(sid, k -> new ArrayList<>());
      if (!c.contains(clientId)) {
        c.add(clientId);
      }
    }

    @Override
    public List<String> clients(String tenantId, String sid) {
      return clientsBySid.getOrDefault(sid, List.of());
    }

    @Override
    public int purgeExpired(long now) {
      purgedAt = now;
      List<String> gone = bySid.values().stream().filter(s -> s.expiresAt() < now)
          .map(Session::sid).toList();
      gone.forEach(sid -> {
        bySid.remove(sid);
        cookieBySid.remove(sid);
      });
      return gone.size();
    }
  }
}
