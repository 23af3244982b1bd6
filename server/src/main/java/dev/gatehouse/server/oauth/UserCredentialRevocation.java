package dev.gatehouse.server.oauth;

import dev.gatehouse.server.events.SignInEvents;
import dev.gatehouse.server.identity.AccessRevocation;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.session.SessionService;
import dev.gatehouse.server.store.Jdbc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ends everything issued to a user: SSO sessions, refresh token families with the access tokens
 * issued from them, the access tokens of authorization code exchanges still on record, and opaque
 * access tokens, with one {@code user.credentials_revoked} event in the same transaction; then
 * posts logout tokens to the clients of the ended sessions that registered a back-channel logout
 * URI.
 *
 * <p>A JWT access token is found through the reference recorded beside its refresh token or its
 * authorization code; one issued from a code purged since (an hour after the code expired) is not
 * found and lives until it expires, which the default access token lifetime (15 minutes) keeps
 * short. Resource servers that verify JWTs offline see none of this: only introspection does.
 */
public final class UserCredentialRevocation implements AccessRevocation {

  private final SessionService sessions;
  private final RefreshTokenService refreshTokens;
  private final AuthorizationCodeService codes;
  private final AccessTokenService accessTokens;
  private final SignInEvents events;
  private final SessionsEnded notifier;

  /** Tells the clients of sessions that ended (OpenID Connect Back-Channel Logout). */
  @FunctionalInterface
  public interface SessionsEnded {
    void notifyEnded(Session session, List<String> clientIds);
  }

  public UserCredentialRevocation(SessionService sessions, RefreshTokenService refreshTokens,
      AuthorizationCodeService codes, AccessTokenService accessTokens, SignInEvents events,
      SessionsEnded notifier) {
    this.notifier = notifier;
    this.sessions = sessions;
    this.refreshTokens = refreshTokens;
    this.codes = codes;
    this.accessTokens = accessTokens;
    this.events = events;
  }

  @Override
  public void revokeAll(String tenantId, String userId, Reason reason) {
    events.recordWith(tenantId, SignInEvents.USER_CREDENTIALS_REVOKED, () -> {
      // The sessions and the clients they signed in to, read before they end (deleting the user
      // deletes them), to be told once the revocation has committed.
      for (Session s : sessions.list(tenantId, userId, 0)) {
        List<String> clients = sessions.clients(tenantId, s.sid());
        Jdbc.afterCommit(() -> notifier.notifyEnded(s, clients));
      }
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("user_id", userId);
      d.put("reason", reason.value());
      d.put("sessions", sessions.revokeAllOf(tenantId, userId));
      d.put("refresh_families", refreshTokens.revokeUser(tenantId, userId));
      int accessTokens = 0;
      for (String ref : codes.accessTokensOfUser(tenantId, userId)) {
        this.accessTokens.revokeReference(tenantId, ref);
        accessTokens++;
      }
      d.put("code_access_tokens", accessTokens);
      d.put("opaque_access_tokens", this.accessTokens.revokeOpaqueOfSubject(tenantId, userId));
      return d;
    }, d -> d);
  }
}
