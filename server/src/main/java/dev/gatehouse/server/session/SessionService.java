package dev.gatehouse.server.session;

import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.crypto.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * SSO sessions: created at sign-in, found from the browser's cookie, listed and revoked by
 * administrators and by logout. The cookie carries 256 random bits; only their keyed hash is
 * stored, so a copy of the table does not let anyone ride a session.
 */
public final class SessionService {

  private final SessionStore store;
  private final SecretHasher hasher;
  private final Clock clock;
  private final Duration lifetime;

  /** A session just created, with its cookie value: the only time the value is known. */
  public record Created(Session session, String cookieValue) {}

  public SessionService(SessionStore store, SecretHasher hasher, Clock clock, Duration lifetime) {
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  public Duration lifetime() {
    return lifetime;
  }

  public Created create(String tenantId, String userId, List<String> amr, String acr) {
    long now = clock.instant().getEpochSecond();
    Session s = new Session(tenantId, Secrets.id(), userId, now, List.copyOf(amr), acr, now,
        now + lifetime.toSeconds());
    String value = Secrets.secret();
    store.insert(s, hasher.hash(value));
    return new Created(s, value);
  }

  /** The live session of {@code tenantId} the cookie value names, if any. */
  public Optional<Session> fromCookie(String tenantId, String cookieValue) {
    if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 100) {
      return Optional.empty();
    }
    long now = clock.instant().getEpochSecond();
    return store.findByCookie(tenantId, hasher.hash(cookieValue))
        .filter(s -> s.expiresAt() > now);
  }

  public Optional<Session> find(String tenantId, String sid) {
    long now = clock.instant().getEpochSecond();
    return store.find(tenantId, sid).filter(s -> s.expiresAt() > now);
  }

  /**
   * Whether session {@code sid} is live, its row locked until the caller's transaction ends: run
   * in the transaction of a change made in the session's name, so that a revocation of the
   * session (an administrator's reset) either comes after the change and sees it, or before and
   * stops it.
   */
  public boolean lockLive(String tenantId, String sid) {
    long now = clock.instant().getEpochSecond();
    return store.findForUpdate(tenantId, sid).filter(s -> s.expiresAt() > now).isPresent();
  }

  public List<Session> list(String tenantId, String userId, int limit) {
    long now = clock.instant().getEpochSecond();
    return userId == null ? store.list(tenantId, limit, now)
        : store.listByUser(tenantId, userId, now);
  }

  public boolean revoke(String tenantId, String sid) {
    return store.revoke(tenantId, sid);
  }

  /** Ends every session of a user (disabled, deleted, password reset); the number ended. */
  public int revokeAllOf(String tenantId, String userId) {
    return store.revokeByUser(tenantId, userId);
  }

  /**
   * Records that the person behind session {@code s} authenticated again (a second factor, a
   * step-up, a re-authentication): its methods and level change, auth_time becomes now, and the
   * cookie is replaced so that a value seen before the change no longer works. The new cookie
   * value, or empty when the session is gone.
   */
  public Optional<Created> reauthenticated(Session s, List<String> amr, String acr) {
    long now = clock.instant().getEpochSecond();
    String value = Secrets.secret();
    if (!store.reauthenticated(s.tenantId(), s.sid(), hasher.hash(value), List.copyOf(amr), acr,
        now)) {
      return Optional.empty();
    }
    return Optional.of(new Created(new Session(s.tenantId(), s.sid(), s.userId(), now,
        List.copyOf(amr), acr, s.createdAt(), s.expiresAt()), value));
  }

  /** Remembers that {@code clientId} got tokens in this session (for back-channel logout). */
  public void signedInTo(String tenantId, String sid, String clientId) {
    store.addClient(tenantId, sid, clientId);
  }

  public List<String> clients(String tenantId, String sid) {
    return store.clients(tenantId, sid);
  }

  public int purgeExpired() {
    return store.purgeExpired(clock.instant().getEpochSecond());
  }
}
