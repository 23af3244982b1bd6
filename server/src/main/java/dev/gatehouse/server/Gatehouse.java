package dev.gatehouse.server;

import dev.gatehouse.server.oauth.OAuthErrorHttp;
import dev.gatehouse.server.adminapi.AdminAuth;
import dev.gatehouse.server.admin.AdminHttp;
import dev.gatehouse.server.admin.Bootstrap;
import dev.gatehouse.server.admin.OpenApiHttp;
import dev.gatehouse.server.http.RouteList;
import dev.gatehouse.server.cache.InvalidationBus;
import dev.gatehouse.server.cache.L2Cache;
import dev.gatehouse.server.cache.MessageSeal;
import dev.gatehouse.server.cache.SharedRedis;
import dev.gatehouse.server.cache.Tampering;
import dev.gatehouse.server.keys.KeyStore;
import dev.gatehouse.server.keys.RedisKeyStore;
import dev.gatehouse.server.oauth.ClientStore;
import dev.gatehouse.server.oauth.RedisClientStore;
import dev.gatehouse.server.oauth.RedisTokenStore;
import dev.gatehouse.server.oauth.TokenRevocation;
import dev.gatehouse.server.oauth.TokenStore;
import dev.gatehouse.server.policy.PolicyStore;
import dev.gatehouse.server.policy.RedisPolicyStore;
import dev.gatehouse.server.tenant.RedisTenantStore;
import dev.gatehouse.server.tenant.TenantStore;
import dev.gatehouse.server.cache.RedisInvalidationBus;
import dev.gatehouse.server.config.GatehouseConfig;
import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.config.EventsConfig;
import dev.gatehouse.server.events.AuditLog;
import dev.gatehouse.server.webhook.JdbcWebhookStore;
import dev.gatehouse.server.webhook.WebhookService;
import dev.gatehouse.server.webhook.WebhookWorker;
import dev.gatehouse.server.webhook.WebhooksAdminHttp;
import dev.gatehouse.server.detect.DetectAdminHttp;
import dev.gatehouse.server.detect.DetectModule;
import dev.gatehouse.server.detect.DetectionService;
import dev.gatehouse.server.detect.InMemoryBlockList;
import dev.gatehouse.server.events.EventQueue;
import dev.gatehouse.server.events.EventSink;
import dev.gatehouse.server.web.ClientAddress;
import dev.gatehouse.server.events.EventsAdminHttp;
import dev.gatehouse.server.oauth.TokenEvents;
import dev.gatehouse.server.events.JdbcEventOutbox;
import dev.gatehouse.server.events.SignInEvents;
import dev.gatehouse.server.events.OutboxRelay;
import dev.gatehouse.server.http.HttpError;
import dev.gatehouse.server.identity.IdentityAdminHttp;
import dev.gatehouse.server.identity.JdbcGroupStore;
import dev.gatehouse.server.identity.JdbcPasswordPolicyStore;
import dev.gatehouse.server.identity.JdbcUserStore;
import dev.gatehouse.server.identity.PasswordHasher;
import dev.gatehouse.server.identity.UserService;
import dev.gatehouse.server.http.JsonDirectHandler;
import dev.gatehouse.server.http.Handlers;
import dev.gatehouse.server.http.Listeners;
import dev.gatehouse.server.http.AdmissionLimiter;
import dev.gatehouse.server.http.RequestFilter;
import dev.gatehouse.server.tenant.TenantResolver;
import dev.gatehouse.server.keys.JdbcKeyStore;
import dev.gatehouse.server.keys.KeyService;
import dev.gatehouse.server.mfa.Challenges;
import dev.gatehouse.server.mfa.JdbcChallengeStore;
import dev.gatehouse.server.mfa.JdbcMfaPolicyStore;
import dev.gatehouse.server.mfa.JdbcPasskeyStore;
import dev.gatehouse.server.mfa.JdbcRecoveryCodeStore;
import dev.gatehouse.server.mfa.JdbcTotpStore;
import dev.gatehouse.server.mfa.MfaAdminHttp;
import dev.gatehouse.server.mfa.MfaEvents;
import dev.gatehouse.server.mfa.MfaService;
import dev.gatehouse.server.mfa.PasskeyService;
import dev.gatehouse.server.mfa.RecoveryCodes;
import dev.gatehouse.server.mfa.TotpService;
import dev.gatehouse.server.oauth.AccessTokenService;
import dev.gatehouse.server.oauth.ActiveUsers;
import dev.gatehouse.server.oauth.ClientAuthThrottle;
import dev.gatehouse.server.oauth.ClientAuthenticator;
import dev.gatehouse.server.oauth.ClientCredentialsGrant;
import dev.gatehouse.server.oauth.ClientService;
import dev.gatehouse.server.oauth.Issuers;
import dev.gatehouse.server.oauth.JdbcClientStore;
import dev.gatehouse.server.oauth.JdbcTokenStore;
import dev.gatehouse.server.oauth.OAuthHttp;
import dev.gatehouse.server.oauth.TokenEndpoint;
import dev.gatehouse.server.observe.Metrics;
import dev.gatehouse.server.ops.OpsHttp;
import dev.gatehouse.server.observe.InventoryMeters;
import dev.gatehouse.server.observe.RedisSpans;
import dev.gatehouse.server.observe.Tracing;
import dev.gatehouse.server.events.SecurityMeters;
import dev.gatehouse.server.oauth.TokenMeters;
import dev.gatehouse.server.outbound.OutboundGuard;
import dev.gatehouse.server.outbound.OutboundHttp;
import dev.gatehouse.server.oidc.DiscoveryHttp;
import dev.gatehouse.server.oidc.UserInfoHttp;
import dev.gatehouse.server.oauth.AuthorizationCodeGrant;
import dev.gatehouse.server.oauth.AuthorizationCodeService;
import dev.gatehouse.server.oauth.IdTokenService;
import dev.gatehouse.server.oauth.JdbcAuthorizationCodeStore;
import dev.gatehouse.server.oauth.JdbcRefreshTokenStore;
import dev.gatehouse.server.oauth.RefreshTokenGrant;
import dev.gatehouse.server.oauth.RefreshTokenService;
import dev.gatehouse.server.oauth.UserCredentialRevocation;
import dev.gatehouse.server.oauth.UserTokens;
import dev.gatehouse.server.session.JdbcConsentStore;
import dev.gatehouse.server.session.JdbcSessionStore;
import dev.gatehouse.server.session.SessionService;
import dev.gatehouse.server.web.AttemptCounter;
import dev.gatehouse.server.web.InMemoryAttemptCounter;
import dev.gatehouse.server.web.Logout;
import dev.gatehouse.server.web.RedisAttemptCounter;
import dev.gatehouse.server.web.SessionAdminHttp;
import dev.gatehouse.server.web.AccountHttp;
import dev.gatehouse.server.web.SecondFactorHttp;
import dev.gatehouse.server.web.SignInHttp;
import dev.gatehouse.server.web.StaticAssets;
import dev.gatehouse.server.policy.ClientEntitySource;
import dev.gatehouse.server.policy.DecisionLog;
import dev.gatehouse.server.policy.DecisionService;
import dev.gatehouse.server.policy.EntityLimits;
import dev.gatehouse.server.policy.EntityService;
import dev.gatehouse.server.policy.IdentityEntitySource;
import dev.gatehouse.server.policy.JdbcPolicyStore;
import dev.gatehouse.server.policy.PolicyAdminHttp;
import dev.gatehouse.server.policy.PolicyHttp;
import dev.gatehouse.server.policy.PolicyService;
import dev.gatehouse.server.resilience.Breakers;
import dev.gatehouse.server.resilience.RedisGuard;
import dev.gatehouse.server.store.DataDirectory;
import dev.gatehouse.server.store.Database;
import dev.gatehouse.server.store.Jdbc;
import dev.gatehouse.server.tenant.JdbcTenantStore;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.tenant.TenantService;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Gatehouse node: wires stores, services and endpoints, and owns their lifecycle.
 *
 * <p>The request path is HTTP (Helidon, one virtual thread per request) → endpoint (parse,
 * validate, map errors) → feature service (the spec's logic) → store (JDBC behind Caffeine).
 */
public final class Gatehouse implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);
  /** How long events stay in the outbox, published or not. */
  static final java.time.Duration EVENT_RETENTION = java.time.Duration.ofDays(7);
  /** Token events queued for the outbox writer at most (docs/events.md: back-pressure). */
  static final int EVENT_QUEUE = 16_384;
  /** How long a token request waits for room in a full event queue before it fails with 503. */
  static final java.time.Duration EVENT_QUEUE_WAIT = java.time.Duration.ofSeconds(5);

  private final GatehouseConfig config;
  private final Metrics metrics;
  private final Tracing tracing;
  private final Database database;
  private final WebServer server;
  private final Issuers issuers;
  private final ScheduledExecutorService housekeeping;
  private final TenantService tenants;
  private final ClientService clients;
  private final KeyService keys;
  private final DecisionLog decisionLog;
  private final InvalidationBus bus;
  private final OutboxRelay relay;
  private final RedisGuard redisGuard;
  private final EventQueue tokenEventQueue;
  private final WebhookWorker webhookWorker;
  private final SharedRedis redis;
  private final Listeners listeners;
  private final DetectionService detection;
  /** What the routing serves, recorded as it is registered (the OpenAPI test reads it). */
  private final RouteList routeList = new RouteList();
  /** True once {@link #start} has finished: bootstrap done, the node may take traffic. */
  private volatile boolean started;
  /** True once the node is shutting down: it reports not ready while it drains. */
  private volatile boolean draining;

  private Gatehouse(GatehouseConfig config) throws IOException {
    this.config = config;
    // The database, the master key file and admin credentials: for the server's user only.
    DataDirectory.prepare(config.dataDir());
    Clock clock = Clock.systemUTC();
    this.listeners = new Listeners(config.network());
    this.metrics = new Metrics();
    this.tracing = Tracing.start(config.observe());
    Breakers breakers = new Breakers(metrics.registry());
    this.database = Database.open(config.jdbcUrl(), config.cluster().dbReadUrl(),
        config.cluster().replicaMaxLag(), config.dbUser(), config.dbPassword(), config.dbPoolSize(), metrics.registry(), breakers);
    this.redisGuard = RedisGuard.of(breakers);
    if (tracing.enabled()) {
      redisGuard.listener(new RedisSpans());
    }
    Jdbc jdbc = database.jdbc();
    MasterKey masterKey = MasterKey.load(config.masterKey(), config.dataDir());
    String installation;
    try {
      installation = dev.gatehouse.server.store.Installation.checkMasterKey(jdbc,
          masterKey.checkValue());
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    SecretHasher hasher = masterKey.secretHasher();
    this.issuers = new Issuers(config.issuerBase(config.port()));
    // Every call to a URL a tenant gave us (webhooks, back-channel logout) goes through this.
    OutboundHttp outbound = new OutboundHttp(OutboundGuard.allowing(
        config.network().outboundAllowed()));

    // Redis (optional): the shared L2 cache, revocation list and attempt counters, each a
    // decorator of a JDBC store; without it every store is the JDBC one and each node works alone.
    this.redis = config.redisUrl().isEmpty() ? null : new SharedRedis(config.redisUrl(), redisGuard);
    // Redis is untrusted: what is read from it is sealed under keys derived from the master key.
    String redisPrefix = redis == null ? null : L2Cache.prefix(installation);
    Tampering tampering = new Tampering(metrics.registry());
    L2Cache l2 = redis == null ? null
        : new L2Cache(redis, config.events().cacheTtl(), redisPrefix,
            masterKey.cacheMac("cache", installation), tampering).monitor(metrics.registry());
    KeyStore keyStore = l2 == null ? new JdbcKeyStore(jdbc)
        : new RedisKeyStore(new JdbcKeyStore(jdbc), l2);
    TenantStore tenantStore = l2 == null ? new JdbcTenantStore(jdbc)
        : new RedisTenantStore(new JdbcTenantStore(jdbc), l2);
    ClientStore clientStore = l2 == null ? new JdbcClientStore(jdbc)
        : new RedisClientStore(new JdbcClientStore(jdbc), l2);
    this.keys = new KeyService(keyStore, masterKey, clock, config.maxAccessTokenTtl());
    this.tenants = new TenantService(tenantStore, keys, clock);
    this.clients = new ClientService(clientStore, hasher, clock,
        config.accessTokenTtl(), config.maxAccessTokenTtl(), outbound.guard());
    tenants.monitor(metrics.registry());
    clients.monitor(metrics.registry());
    keys.monitor(metrics.registry());
    TokenStore tokenStore = l2 == null ? new JdbcTokenStore(jdbc)
        : new RedisTokenStore(new JdbcTokenStore(jdbc), l2, clock);
    AccessTokenService tokens = new AccessTokenService(keys, tokenStore, hasher, issuers, clock,
        clients);
    // Failed sign-ins and client authentications are counted over every node (Redis) if any.
    AttemptCounter attempts = redis == null ? new InMemoryAttemptCounter(clock)
        : new RedisAttemptCounter(redis, redisPrefix, tampering);
    ClientAuthenticator authenticator = new ClientAuthenticator(clients, tokenStore, hasher,
        issuers, clock, new ClientAuthThrottle((key, window) ->
            attempts.increment(key, window, false)));
    // Sign-in (issue #4): sessions, codes, ID tokens and refresh tokens.
    SessionService sessions = new SessionService(new JdbcSessionStore(jdbc), hasher, clock,
        config.signIn().sessionTtl());
    AuthorizationCodeService codes =
        new AuthorizationCodeService(new JdbcAuthorizationCodeStore(jdbc), hasher, clock);
    IdTokenService idTokens = new IdTokenService(keys, issuers, clock);
    JdbcEventOutbox outbox = new JdbcEventOutbox(jdbc);
    // Attack detection listens to the events features write (docs/attack-protection.md).
    this.detection = DetectModule.create(config, redis, redisPrefix, masterKey, installation,
        outbox, metrics.registry(), clock);
    EventSink tapped = detection == null ? outbox : detection.tap(outbox);
    SignInEvents signInEvents = new SignInEvents(tapped, jdbc, clock);
    SecurityMeters securityMeters = new SecurityMeters(metrics.registry());
    signInEvents.meters(securityMeters);
    UserService users = new UserService(new JdbcUserStore(jdbc), new JdbcGroupStore(jdbc),
        new JdbcPasswordPolicyStore(jdbc), new PasswordHasher(config.passwords().argon2MemoryKib(),
        config.passwords().argon2Iterations(), config.passwords().argon2Parallelism()), clock);
    // Codes and refresh tokens turn into tokens only while their user exists and is enabled.
    ActiveUsers activeUsers = (tenantId, userId) -> users.find(tenantId, userId)
        .filter(u -> !u.disabled()).isPresent();
    RefreshTokenService refreshTokens = new RefreshTokenService(new JdbcRefreshTokenStore(jdbc),
        hasher, clock, config.signIn().refreshIdle(),
        config.signIn().refreshAbsolute(), signInEvents, tokens, activeUsers);
    UserTokens userTokens = new UserTokens(tokens, idTokens);
    Logout logout = new Logout(sessions, refreshTokens, clients, idTokens, signInEvents,
        outbound);
    users.endAccessWith(new UserCredentialRevocation(sessions, refreshTokens, codes, tokens,
        signInEvents, logout::notifyEnded));
    TokenEndpoint tokenEndpoint = new TokenEndpoint(authenticator, List.of(
        new ClientCredentialsGrant(tokens),
        new AuthorizationCodeGrant(codes, userTokens, refreshTokens, tokens, signInEvents,
            activeUsers),
        new RefreshTokenGrant(refreshTokens, userTokens)));
    TokenMeters tokenMeters = new TokenMeters(metrics.registry());
    tokenEndpoint.meters(tokenMeters);
    TenantResolver resolver = new TenantResolver(tenants);
    AdminAuth adminAuth = new AdminAuth(token -> tokens.introspect(Tenant.SYSTEM, token)
        .map(t -> new AdminAuth.Caller(t.clientId(), t.scope())));

    PolicyStore policyStore = l2 == null ? new JdbcPolicyStore(jdbc)
        : new RedisPolicyStore(new JdbcPolicyStore(jdbc), l2);
    PolicyService policies = new PolicyService(policyStore, clock, config.policy().refresh());
    EntityService entities = new EntityService(policyStore,
        List.of(new ClientEntitySource(clients), new IdentityEntitySource(users)),
        config.policy().entityNamespace(), policies,
        clock, config.policy().refresh(), EntityLimits.of(config.policy()));
    clients.onChange(entities::changed);
    users.onChange(entities::changed);
    // Strong authentication (issue #7): TOTP, recovery codes, passkeys, the tenant's MFA policy.
    Challenges challenges = new Challenges(new JdbcChallengeStore(jdbc), hasher, clock);
    MfaService mfa = new MfaService(new JdbcMfaPolicyStore(jdbc),
        new TotpService(new JdbcTotpStore(jdbc), masterKey, clock),
        new RecoveryCodes(new JdbcRecoveryCodeStore(jdbc), hasher, clock),
        new PasskeyService(new JdbcPasskeyStore(jdbc), challenges, clock), users,
        new MfaEvents(outbox, clock).meters(securityMeters));
    users.deleteWith(mfa::forget);

    AuditLog audit = new AuditLog(jdbc, outbox, clock);
    JdbcWebhookStore webhookStore = new JdbcWebhookStore(jdbc);
    WebhookService webhooks = new WebhookService(webhookStore, masterKey, clock,
        outbound.guard());
    EventsConfig ev = config.events();
    this.webhookWorker = ev.webhooksEnabled() ? new WebhookWorker(webhookStore, webhooks,
        installation, clock, new WebhookWorker.Settings(ev.webhookTimeout(),
            ev.webhookMaxAttempts(), ev.webhookBackoff(), ev.webhookMaxBackoff(),
            ev.webhookPoll()), outbound).observe(tracing, metrics.registry()) : null;
    tokens.audit(audit);
    tokens.failClosedAfter(config.cluster().revocationMaxStaleness(),
        database.jdbc()::lastContactNanos);
    TokenRevocation revocation = new TokenRevocation(tokens, refreshTokens, audit);
    this.tokenEventQueue = config.events().tokenIssued() == EventsConfig.TokenIssued.ASYNC
        ? new EventQueue(outbox, EVENT_QUEUE, EVENT_QUEUE_WAIT, "token-issued") : null;
    tokenEndpoint.events(switch (config.events().tokenIssued()) {
      case SYNC -> new TokenEvents(outbox, tokens, clock);
      case ASYNC -> new TokenEvents(detection == null ? tokenEventQueue
          : detection.tap(tokenEventQueue), tokens, clock);
      case OFF -> null;
    });
    this.relay = config.redisUrl().isEmpty() ? null
        : new OutboxRelay(outbox, installation, config.redisUrl(), clock, redisGuard)
            .tracing(tracing);
    this.decisionLog = new DecisionLog(tapped,
        config.policy().decisionLogSampleRate(), metrics.registry());
    this.bus = config.redisUrl().isEmpty()
        ? InvalidationBus.none() : new RedisInvalidationBus(config.redisUrl(), redisGuard,
            new MessageSeal(masterKey.cacheMac("invalidation", installation), installation, clock),
            tampering);
    DecisionService decisions = new DecisionService(policies, entities, decisionLog, clock,
        config.policy().decisionCacheSize(), metrics.registry());
    if (l2 != null) {
      wireChangeHorizon(bus, l2);
    }
    if (detection != null) {
      detection.share(bus);
    }
    wireInvalidation(bus, tokens, policies, entities, decisions);
    int policyBody = Math.max(config.maxBodyBytes(), 1024 * 1024);

    JdbcConsentStore consents = new JdbcConsentStore(jdbc);
    users.deleteWith(consents::deleteAll);
    SignInHttp signIn = new SignInHttp(resolver, clients, users, sessions, consents, codes, keys, logout, hasher, issuers, clock, config.signIn(),
        signInEvents, config.maxBodyBytes(), mfa).detection(detection);
    ClientAddress clientAddress = new ClientAddress(config.signIn().trustedProxies());
    HttpRouting.Builder routing = routeList.recording(HttpRouting.builder())
        .addFilter(new RequestFilter(metrics, tracing))
        .addFilter(listeners.filter())
        .addFilter(new AdmissionLimiter(config.cluster().admission(), metrics.registry()))
        .addFilter((chain, req, res) -> {
          // The client's address for events written deeper down (token.issued's `ip`).
          org.slf4j.MDC.put("client_ip", clientAddress.of(req));
          try {
            chain.proceed();
          } finally {
            org.slf4j.MDC.remove("client_ip");
          }
        })
        .register(OpsHttp.main(database, metrics, () -> started && !draining,
            config.redisUrl().isEmpty() ? null : redisGuard, config.network().metricsToken()))
        .register(new OpenApiHttp(issuers))
        .register(new DiscoveryHttp(resolver, keys, issuers))
        .register(new OAuthHttp(resolver, tokenEndpoint, authenticator, tokens, revocation,
            issuers, config.maxBodyBytes()).meters(tokenMeters))
        .register(new PolicyHttp(resolver, issuers, tokens, decisions,
            config.policy().entityNamespace(), policyBody))
        .register(new PolicyAdminHttp(adminAuth, tenants, policies, entities, decisions, tokens,
            Math.max(policyBody, PolicyAdminHttp.MAX_BODY), audit))
        .register(new AdminHttp(adminAuth, tenants, clients, keys, tokens, revocation, issuers,
            config.maxBodyBytes(), audit))
        .register(new IdentityAdminHttp(adminAuth, tenants, users, config.maxBodyBytes(), audit))
        .register(signIn.attemptCounter(attempts))
        .register(new SecondFactorHttp(signIn, mfa, sessions, users, issuers, signInEvents,
            config.maxBodyBytes()))
        .register(new AccountHttp(signIn, mfa, sessions, users, issuers, clock, signInEvents,
            config.maxBodyBytes()))
        .register(new StaticAssets())
        .register(new dev.gatehouse.server.web.LandingHttp(issuers))
        .register(new UserInfoHttp(resolver, tokens, users, config.maxBodyBytes()))
        .register(new MfaAdminHttp(adminAuth, tenants, users, mfa, clock, config.maxBodyBytes(),
            audit))
        .register(new SessionAdminHttp(adminAuth, tenants, sessions, logout))
        .register(new EventsAdminHttp(adminAuth, t -> tenants.find(t).isPresent(), outbox,
            installation))
        .register(new WebhooksAdminHttp(adminAuth, tenants, webhooks, audit,
            config.maxBodyBytes()))
        .register(new DetectAdminHttp(adminAuth, tenants, detection == null
            ? new InMemoryBlockList(1) : detection.engine().blocks(), clock))
        .update(AdminHttp::notFound)
        .any(OAuthErrorHttp.wrap((req, res) -> {
          throw HttpError.notFound("no resource at this path");
        }));

    this.server = listeners.configure(WebServer.builder(), OpsHttp.management(database, metrics,
            () -> started && !draining, config.redisUrl().isEmpty() ? null : redisGuard))
        .host(config.host())
        .port(config.port())
        .shutdownHook(false)
        .shutdownGracePeriod(config.shutdownGrace())
        .maxPayloadSize(Math.max(config.maxBodyBytes(), 1024 * 1024))
        .directHandlers(JsonDirectHandler.all())
        .routing(routing)
        .build();

    this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gatehouse-housekeeping");
      t.setDaemon(true);
      return t;
    });
    housekeeping.scheduleWithFixedDelay(() -> {
      try {
        tokenStore.purgeExpired(clock.instant().getEpochSecond());
        codes.purgeExpired();
        refreshTokens.purgeExpired();
        sessions.purgeExpired();
        challenges.purgeExpired();
        outbox.purge(clock.instant().minus(EVENT_RETENTION).getEpochSecond());
        webhookStore.purge(clock.instant().minus(EVENT_RETENTION).toEpochMilli());
      } catch (RuntimeException e) {
        LOG.warn("purging expired token state failed: {}", e.getMessage());
      }
    }, 1, 10, TimeUnit.MINUTES);
    InventoryMeters inventory = new InventoryMeters(jdbc, clock, metrics.registry(),
        config.observe().keyRotation(), config.observe().tenantSeries(), relay != null);
    housekeeping.scheduleWithFixedDelay(() -> quietly(inventory::refresh), 0, 60, TimeUnit.SECONDS);
    if (relay != null) {
      housekeeping.scheduleWithFixedDelay(() -> quietly(inventory::refreshLag), 1, 5,
          TimeUnit.SECONDS);
    }
  }

  /** Runs a metrics refresh; a database outage only leaves the gauges as they were. */
  private static void quietly(Runnable refresh) {
    try {
      refresh.run();
    } catch (RuntimeException e) {
      LOG.debug("metrics refresh failed: {}", e.toString());
    }
  }

  /**
   * Lets the shared cache refuse entries sealed before a change another node announced (a genuine
   * entry copied and written back later). Subscribed before the services, so that a service that
   * reloads on the same message already finds the old entries refused.
   */
  private void wireChangeHorizon(InvalidationBus bus, L2Cache l2) {
    // A tenant deleted or created again: nothing of its earlier life is served from Redis.
    tenants.onChange(t -> l2.changed(t, null));
    bus.subscribe("tenant", t -> l2.changed(t, null));
    bus.subscribe("keys", t -> l2.changed(t, "keys"));
    bus.subscribe("clients", t -> l2.changed(t, "client"));
    bus.subscribe("policies", t -> l2.changed(t, "policy"));
    bus.subscribe("revoked", m -> {
      String[] p = m.split("\u0000", 3);
      if (p.length == 3 && p[0].equals("opaque")) {
        l2.changed(p[1], "opaque");
      }
    });
  }

  /**
   * Makes a change through this node reach the others' caches at once: each service announces its
   * changes on the bus, and applies the others' announcements to its own caches.
   */
  private void wireInvalidation(InvalidationBus bus, AccessTokenService tokens,
      PolicyService policies, EntityService entities, DecisionService decisions) {
    // A tenant deleted (or recreated under its name) leaves nothing cached anywhere.
    java.util.function.Consumer<String> forgetTenant = t -> {
      tenants.invalidate(t);
      keys.invalidate(t);
      clients.forgetTenant(t);
      tokens.forgetTenant(t);
      policies.invalidate(t);
      entities.invalidate(t);
      decisions.forgetTenant(t);
    };
    tenants.onChange(t -> {
      forgetTenant.accept(t);
      bus.publish("tenant", t);
    });
    bus.subscribe("tenant", forgetTenant);
    keys.onChange(t -> bus.publish("keys", t));
    bus.subscribe("keys", keys::invalidate);
    clients.onChange(t -> bus.publish("clients", t));
    bus.subscribe("clients", clients::forgetTenant);
    tokens.onRevoke(m -> bus.publish("revoked", m));
    bus.subscribe("revoked", tokens::revokedElsewhere);
    policies.onChange(t -> bus.publish("policies", t));
    bus.subscribe("policies", policies::invalidate);
    entities.onChange(t -> bus.publish("entities", t));
    bus.subscribe("entities", entities::invalidate);
  }

  /** Starts a node: migrates the database, bootstraps on first start, listens. */
  public static Gatehouse start(GatehouseConfig config) {
    long t0 = System.nanoTime();
    Gatehouse g;
    boolean firstStart;
    try {
      g = new Gatehouse(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      g.server.start();
      // Helidon logs a failed bind and carries on with port -1: a node that cannot listen must
      // not bootstrap, report ready or write -1 into the admin credentials.
      if (!g.server.isRunning() || g.server.port() < 0) {
        throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port()
            + " (is another process using port " + config.port() + "? choose another with"
            + " --port or GATEHOUSE_SERVER_PORT)");
      }
      g.issuers.base(config.issuerBase(g.server.port()));
      firstStart = Bootstrap.run(g.tenants, g.clients, config.dataDir(), g.baseUrl(),
          g.listenAddress());
      if (g.webhookWorker != null) {
        g.webhookWorker.start();
      }
      g.started = true;
    } catch (IOException | RuntimeException e) {
      g.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    LOG.info("gatehouse ready on {} (listening on {}) in {} ms", g.baseUrl(), g.listenAddress(),
        (System.nanoTime() - t0) / 1_000_000);
    if (firstStart) {
      LOG.info(Bootstrap.nextSteps(config.dataDir(), g.baseUrl()));
    }
    return g;
  }

  /** The address the node listens on, {@code host:port} (the base URL may name a proxy). */
  public String listenAddress() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return host + ":" + server.port();
  }

  public int port() {
    return server.port();
  }

  /** The port of the management listener ({@code /metrics}, {@code /health/*}); -1 without one. */
  public int managementPort() {
    return listeners.managementPort(server);
  }

  /** The base URL issuers are built on, e.g. {@code http://localhost:8080}. */
  public String baseUrl() {
    return issuers.base();
  }

  /** The routes this node serves, {@code METHOD /path/{param}}, in registration order. */
  public java.util.List<RouteList.Route> routes() {
    return routeList.routes();
  }

  /** This node's attack detection, or null when {@code detect.enabled} is false. */
  public DetectionService detection() {
    return detection;
  }

  public GatehouseConfig config() {
    return config;
  }

  /**
   * Reports not ready for the drain delay (load balancers that probe readiness stop sending),
   * then stops accepting connections, lets in-flight requests finish, then closes the pools.
   */
  @Override
  public void close() {
    boolean wasStarted = started;
    if (wasStarted) {
      LOG.info("gatehouse stopping: not ready for {} ms, then finishing requests in flight",
          config.cluster().drainDelay().toMillis());
    }
    draining = true;
    if (started && server.isRunning() && config.cluster().drainDelay().isPositive()) {
      try {
        Thread.sleep(config.cluster().drainDelay());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      if (server.isRunning()) {
        server.stop();
      }
    } finally {
      housekeeping.shutdownNow();
      listeners.close();
      bus.close();
      if (webhookWorker != null) {
        webhookWorker.close();
      }
      if (relay != null) {
        relay.close();
      }
      redisGuard.close();
      decisionLog.close();
      if (tokenEventQueue != null) {
        tokenEventQueue.close();
      }
      if (detection != null) {
        detection.close();
      }
      if (redis != null) {
        redis.close();
      }
      database.close();
      tracing.close();
      metrics.close();
      if (wasStarted) {
        LOG.info("gatehouse stopped");
      }
    }
  }
}
