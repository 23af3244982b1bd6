package dev.gatehouse.server;

import dev.gatehouse.server.config.EventsConfig;
import dev.gatehouse.server.events.EventQueue;
import dev.gatehouse.server.identity.UserClaims;
import dev.gatehouse.server.oauth.AccessTokenService;
import dev.gatehouse.server.oauth.AuthorizationCodeGrant;
import dev.gatehouse.server.oauth.AuthorizationCodeService;
import dev.gatehouse.server.oauth.ClientAuthThrottle;
import dev.gatehouse.server.oauth.ClientAuthenticator;
import dev.gatehouse.server.oauth.ClientCredentialsGrant;
import dev.gatehouse.server.oauth.ClientService;
import dev.gatehouse.server.oauth.ClientStore;
import dev.gatehouse.server.oauth.IdTokenService;
import dev.gatehouse.server.oauth.JdbcAuthorizationCodeStore;
import dev.gatehouse.server.oauth.JdbcClientStore;
import dev.gatehouse.server.oauth.JdbcRefreshTokenStore;
import dev.gatehouse.server.oauth.JdbcTokenStore;
import dev.gatehouse.server.oauth.OAuthHttp;
import dev.gatehouse.server.oauth.RedisClientStore;
import dev.gatehouse.server.oauth.RedisTokenStore;
import dev.gatehouse.server.oauth.RefreshTokenGrant;
import dev.gatehouse.server.oauth.RefreshTokenService;
import dev.gatehouse.server.oauth.RevokedJwts;
import dev.gatehouse.server.oauth.TokenEndpoint;
import dev.gatehouse.server.oauth.TokenEvents;
import dev.gatehouse.server.oauth.TokenMeters;
import dev.gatehouse.server.oauth.TokenRevocation;
import dev.gatehouse.server.oauth.TokenStore;
import dev.gatehouse.server.oauth.UserCredentialRevocation;
import dev.gatehouse.server.oauth.UserTokens;
import dev.gatehouse.server.oidc.DiscoveryHttp;
import dev.gatehouse.server.oidc.UserInfoHttp;
import dev.gatehouse.server.session.JdbcSessionStore;
import dev.gatehouse.server.session.SessionService;
import dev.gatehouse.server.web.Logout;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The protocol core: clients, access, ID and refresh tokens, codes, sign-in sessions, logout, and
 * the token, revocation, introspection, discovery, JWKS and userinfo endpoints.
 */
final class OAuthModule implements Module {

  /** Token events queued for the outbox writer at most (docs/events.md: back-pressure). */
  static final int EVENT_QUEUE = 16_384;
  /** How long a token request waits for room in a full event queue before it fails with 503. */
  static final Duration EVENT_QUEUE_WAIT = Duration.ofSeconds(5);

  private final Platform p;
  private final TenancyModule tenancy;
  private final IdentityModule identity;
  final ClientService clients;
  final TokenStore tokenStore;
  private final JdbcTokenStore jdbcTokens;
  final AccessTokenService tokens;
  final ClientAuthenticator authenticator;
  final SessionService sessions;
  final AuthorizationCodeService codes;
  final IdTokenService idTokens;
  final RefreshTokenService refreshTokens;
  final Logout logout;
  final TokenEndpoint tokenEndpoint;
  final TokenRevocation revocation;
  private final TokenMeters tokenMeters;
  /** The queue of asynchronous token-issued events, or null when they are written in line. */
  private final EventQueue tokenEventQueue;

  OAuthModule(Platform p, TenancyModule tenancy, IdentityModule identity) {
    this.p = p;
    this.tenancy = tenancy;
    this.identity = identity;
    ClientStore clientStore = p.l2 == null ? new JdbcClientStore(p.jdbc)
        : new RedisClientStore(new JdbcClientStore(p.jdbc), p.l2);
    this.clients = new ClientService(clientStore, p.hasher, p.clock,
        p.config.accessTokenTtl(), p.config.maxAccessTokenTtl(), p.outbound.guard());
    clients.monitor(p.metrics.registry());
    this.jdbcTokens = new JdbcTokenStore(p.jdbc,
        p.config.jdbcUrl().startsWith("jdbc:postgresql:"));
    this.tokenStore = p.l2 == null ? jdbcTokens
        : new RedisTokenStore(jdbcTokens, p.l2, p.clock);
    this.tokens = new AccessTokenService(tenancy.keys, tokenStore, p.hasher, p.issuers, p.clock,
        clients);
    this.authenticator = new ClientAuthenticator(clients, tokenStore, p.hasher,
        p.issuers, p.clock, new ClientAuthThrottle((key, window) ->
            p.attempts.increment(key, window, false)));
    this.sessions = new SessionService(new JdbcSessionStore(p.jdbc), p.hasher, p.clock,
        p.config.signIn().sessionTtl());
    this.codes = new AuthorizationCodeService(new JdbcAuthorizationCodeStore(p.jdbc), p.hasher,
        p.clock);
    this.idTokens = new IdTokenService(tenancy.keys, p.issuers, p.clock);
    this.refreshTokens = new RefreshTokenService(new JdbcRefreshTokenStore(p.jdbc),
        p.hasher, p.clock, p.config.signIn().refreshIdle(),
        p.config.signIn().refreshAbsolute(), identity.signInEvents, tokens, identity.activeUsers);
    UserTokens userTokens = new UserTokens(tokens, idTokens, (tenantId, userId, names) ->
        identity.users.find(tenantId, userId)
            .map(u -> UserClaims.of(u, names)).orElse(Map.of()));
    this.logout = new Logout(sessions, refreshTokens, clients, idTokens, identity.signInEvents,
        p.outbound);
    identity.users.endAccessWith(new UserCredentialRevocation(sessions, refreshTokens, codes,
        tokens, identity.signInEvents, logout::notifyEnded));
    this.tokenEndpoint = new TokenEndpoint(authenticator, List.of(
        new ClientCredentialsGrant(tokens),
        new AuthorizationCodeGrant(codes, userTokens, refreshTokens, tokens,
            identity.signInEvents, identity.activeUsers),
        new RefreshTokenGrant(refreshTokens, userTokens)));
    this.tokenMeters = new TokenMeters(p.metrics.registry());
    tokenEndpoint.meters(tokenMeters);
    tokens.audit(p.audit);
    tokens.failClosedAfter(p.config.cluster().revocationMaxStaleness(),
        p.jdbc::lastContactNanos);
    this.revocation = new TokenRevocation(tokens, refreshTokens, p.audit);
    EventsConfig.TokenIssued issued = p.config.events().tokenIssued();
    this.tokenEventQueue = issued == EventsConfig.TokenIssued.ASYNC
        ? new EventQueue(p.outbox, EVENT_QUEUE, EVENT_QUEUE_WAIT, "token-issued") : null;
    tokenEndpoint.events(switch (issued) {
      case SYNC -> new TokenEvents(p.outbox, p.clock);
      case ASYNC -> new TokenEvents(p.detection == null ? tokenEventQueue
          : p.detection.tap(tokenEventQueue), p.clock);
      case OFF -> null;
    });
  }

  @Override
  public void routing(Routes routes) {
    routes.routing()
        .register(new DiscoveryHttp(routes.resolver(), tenancy.keys, p.issuers))
        .register(new OAuthHttp(routes.resolver(), tokenEndpoint, authenticator, tokens,
            revocation, p.issuers, p.config.maxBodyBytes()).meters(tokenMeters))
        .register(new UserInfoHttp(routes.resolver(), tokens, identity.users,
            p.config.maxBodyBytes()));
  }

  @Override
  public List<Purge> purges() {
    return List.of(
        new Purge("expired access tokens and revocations",
            () -> tokenStore.purgeExpired(p.clock.instant().getEpochSecond())),
        new Purge("expired authorization codes", codes::purgeExpired),
        new Purge("expired refresh tokens", refreshTokens::purgeExpired),
        new Purge("expired sessions", sessions::purgeExpired));
  }

  /** Starts this node's copy of the revocation list, with its size and age as gauges. */
  @Override
  public void start() {
    RevokedJwts list = tokens.keepRevocationList();
    Gauge.builder("gatehouse.revoked.jwts", list, RevokedJwts::size)
        .description("Revoked unexpired JWTs in this node's copy of the revocation list")
        .register(p.metrics.registry());
    Gauge.builder("gatehouse.revoked.jwts.age", list, RevokedJwts::ageSeconds).baseUnit("seconds")
        .description("Time since this node last read the revocation list (-1: never)")
        .register(p.metrics.registry());
  }

  @Override
  public void close() {
    tokens.close();
    if (tokenEventQueue != null) {
      tokenEventQueue.close();
    }
    jdbcTokens.close();
  }
}
