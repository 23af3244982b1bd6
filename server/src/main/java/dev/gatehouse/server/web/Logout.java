package dev.gatehouse.server.web;

import dev.gatehouse.server.events.SignInEvents;
import dev.gatehouse.server.oauth.Client;
import dev.gatehouse.server.oauth.ClientService;
import dev.gatehouse.server.oauth.IdTokenService;
import dev.gatehouse.server.oauth.RefreshTokenService;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.session.SessionService;
import dev.gatehouse.server.outbound.OutboundHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends an SSO session: revokes it and the refresh tokens issued under it, and posts a logout
 * token to every client of the session that registered a {@code backchannel_logout_uri}
 * (OpenID Connect Back-Channel Logout 1.0 §2.5), without waiting for them.
 *
 * <p>The POST goes through {@link OutboundHttp}: a URI that resolves to a private, loopback or
 * link-local address is not called unless an operator allow-listed it, and no redirect is
 * followed.
 */
public final class Logout {

  private static final Logger LOG = LoggerFactory.getLogger(Logout.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final java.util.concurrent.Executor SENDERS =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  private final SessionService sessions;
  private final RefreshTokenService refreshTokens;
  private final ClientService clients;
  private final IdTokenService idTokens;
  private final SignInEvents events;
  private final OutboundHttp http;

  public Logout(SessionService sessions, RefreshTokenService refreshTokens,
      ClientService clients, IdTokenService idTokens, SignInEvents events, OutboundHttp http) {
    this.http = http;
    this.sessions = sessions;
    this.refreshTokens = refreshTokens;
    this.clients = clients;
    this.idTokens = idTokens;
    this.events = events;
  }

  /** Why a session ends, as the {@code session.ended} event says. */
  public enum Reason {
    /** The person signed out (RP-initiated logout). */
    LOGOUT,
    /** An administrator ended it through the admin API. */
    ADMIN;

    String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Ends {@code s}: the session, its refresh tokens and the {@code session.ended} event in one
   * transaction; returns the back-channel notifications under way.
   */
  public CompletableFuture<Void> end(Session s, Reason reason) {
    events.recordWith(s.tenantId(), SignInEvents.SESSION_ENDED, () -> {
      sessions.revoke(s.tenantId(), s.sid());
      refreshTokens.revokeSession(s.tenantId(), s.sid());
    }, Map.of("sid", s.sid(), "user_id", s.userId(), "reason", reason.value()));
    return notifyEnded(s, sessions.clients(s.tenantId(), s.sid()));
  }

  /**
   * Posts a logout token for session {@code s}, already ended, to those of {@code clientIds} (the
   * clients it signed in to) that registered a {@code backchannel_logout_uri}; also for sessions
   * ended with their user (disabled, deleted, password reset).
   */
  public CompletableFuture<Void> notifyEnded(Session s, List<String> clientIds) {
    CompletableFuture<?>[] sent = clientIds.stream()
        .map(id -> clients.find(s.tenantId(), id).orElse(null))
        .filter(c -> c != null && c.backchannelLogoutUri() != null)
        .map(c -> notify(c, s))
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(sent);
  }

  /**
   * Front-Channel Logout 1.0 §3: the {@code frontchannel_logout_uri} of every client session
   * {@code s} signed in to, for the end-session page to load in iframes. §2: "The OP MAY add
   * these query parameters ... if either is included, both MUST be": iss and sid are always
   * added, so a client that did not ask for them can still tell which session ended.
   */
  public List<String> frontchannelUris(Session s, String issuer) {
    return sessions.clients(s.tenantId(), s.sid()).stream()
        .map(id -> clients.find(s.tenantId(), id).orElse(null))
        .filter(c -> c != null && c.frontchannelLogoutUri() != null)
        .map(c -> c.frontchannelLogoutUri() + (c.frontchannelLogoutUri().contains("?") ? "&" : "?")
            + "iss=" + URLEncoder.encode(issuer, StandardCharsets.UTF_8) + "&sid="
            + URLEncoder.encode(s.sid(), StandardCharsets.UTF_8))
        .distinct()
        .toList();
  }

  private CompletableFuture<?> notify(Client c, Session s) {
    // Back-Channel Logout 1.0 §2.5: "The OP sends an HTTP POST request containing the Logout
    // Token to the RP's backchannel_logout_uri ... using the application/x-www-form-urlencoded
    // encoding".
    String token = idTokens.logoutToken(c, s.userId(), s.sid());
    byte[] body = ("logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
    return CompletableFuture.runAsync(() -> {
      OutboundHttp.Outcome outcome = http.post(c.backchannelLogoutUri(),
          Map.of("Content-Type", "application/x-www-form-urlencoded"), body, TIMEOUT);
      if (!(outcome instanceof OutboundHttp.Answered a && a.status() == 200)) {
        LOG.warn("event=backchannel_logout_failed tenant={} client={} outcome={}",
            c.tenantId(), c.clientId(), outcome);
      }
    }, SENDERS);
  }
}
