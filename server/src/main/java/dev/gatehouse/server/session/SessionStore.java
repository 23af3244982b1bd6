package dev.gatehouse.server.session;

import java.util.List;
import java.util.Optional;

/** SSO sessions, found by the keyed hash of their cookie value; every call names the tenant. */
public interface SessionStore {

  void insert(Session session, String cookieHash);

  /** The live (not revoked) session with this cookie hash. */
  Optional<Session> findByCookie(String tenantId, String cookieHash);

  Optional<Session> find(String tenantId, String sid);

  /**
   * The live session {@code sid}, its row locked until the caller's transaction ends: a change
   * made in its name (a factor registered) and the session's revocation are then ordered.
   */
  Optional<Session> findForUpdate(String tenantId, String sid);

  /** A user's sessions live at {@code now} (epoch second: not revoked, not expired), newest first. */
  List<Session> listByUser(String tenantId, String userId, long now);

  /** Sessions of a tenant live at {@code now}, newest first, at most {@code limit}. */
  List<Session> list(String tenantId, int limit, long now);

  boolean revoke(String tenantId, String sid);

  /** Revokes every live session of a user; the number revoked. */
  int revokeByUser(String tenantId, String userId);

  /**
   * Records a further authentication in a live session: its methods, level and time, and a new
   * cookie hash (the old cookie stops working). False when the session is gone.
   */
  boolean reauthenticated(String tenantId, String sid, String cookieHash, List<String> amr,
      String acr, long authTime);

  void addClient(String tenantId, String sid, String clientId);

  List<String> clients(String tenantId, String sid);

  int purgeExpired(long now);
}
