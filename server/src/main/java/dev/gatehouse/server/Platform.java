package dev.gatehouse.server;

import dev.gatehouse.server.cache.InvalidationBus;
import dev.gatehouse.server.cache.L2Cache;
import dev.gatehouse.server.cache.MessageSeal;
import dev.gatehouse.server.cache.RedisInvalidationBus;
import dev.gatehouse.server.cache.SharedRedis;
import dev.gatehouse.server.cache.Tampering;
import dev.gatehouse.server.config.GatehouseConfig;
import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.detect.DetectModule;
import dev.gatehouse.server.detect.DetectionService;
import dev.gatehouse.server.events.EventSink;
import dev.gatehouse.server.events.SecurityMeters;
import dev.gatehouse.server.events.AuditLog;
import dev.gatehouse.server.events.JdbcEventOutbox;
import dev.gatehouse.server.http.Listeners;
import dev.gatehouse.server.oauth.Issuers;
import dev.gatehouse.server.observe.Metrics;
import dev.gatehouse.server.observe.RedisSpans;
import dev.gatehouse.server.observe.Tracing;
import dev.gatehouse.server.outbound.OutboundGuard;
import dev.gatehouse.server.outbound.OutboundHttp;
import dev.gatehouse.server.resilience.Breakers;
import dev.gatehouse.server.resilience.RedisGuard;
import dev.gatehouse.server.store.Database;
import dev.gatehouse.server.store.Installation;
import dev.gatehouse.server.store.Jdbc;
import dev.gatehouse.server.web.AttemptCounter;
import dev.gatehouse.server.web.InMemoryAttemptCounter;
import dev.gatehouse.server.web.RedisAttemptCounter;
import java.time.Clock;

/**
 * The shared parts of one node that every feature module is built on: configuration, clock,
 * metrics, the database, the master key, outbound HTTP, Redis (optional) with its sealed cache and
 * invalidation bus, the event outbox. Made first, closed last.
 */
final class Platform implements AutoCloseable {

  final GatehouseConfig config;
  final Clock clock = Clock.systemUTC();
  final Metrics metrics;
  final Tracing tracing;
  final Listeners listeners;
  final Database database;
  final Jdbc jdbc;
  final RedisGuard redisGuard;
  final MasterKey masterKey;
  /** This installation's id, bound to the master key (the database refuses another key). */
  final String installation;
  final SecretHasher hasher;
  final Issuers issuers;
  /** Every call to a URL a tenant gave us (webhooks, back-channel logout) goes through this. */
  final OutboundHttp outbound;
  /** Shared Redis, or null: without it every store is the JDBC one and each node works alone. */
  final SharedRedis redis;
  /** Redis's sealed L2 cache, or null without Redis. */
  final L2Cache l2;
  /** The key prefix of this installation in Redis, or null without Redis. */
  final String redisPrefix;
  final Tampering tampering;
  /** Failed sign-ins and client authentications, counted over every node (Redis) if any. */
  final AttemptCounter attempts;
  final JdbcEventOutbox outbox;
  final AuditLog audit;
  /** Attack detection, or null when {@code detect.enabled} is false. */
  final DetectionService detection;
  /**
   * Where features write security events: the outbox, tapped by attack detection when it is on
   * (docs/attack-protection.md).
   */
  final EventSink events;
  final SecurityMeters securityMeters;
  /** Cache invalidation between nodes (none without Redis). */
  final InvalidationBus bus;

  Platform(GatehouseConfig config, StartPhases phases) {
    this.config = config;
    this.listeners = new Listeners(config.network());
    this.metrics = new Metrics();
    this.tracing = Tracing.start(config.observe());
    phases.end("metrics");
    Breakers breakers = new Breakers(metrics.registry());
    this.database = Database.open(config.jdbcUrl(), config.cluster().dbReadUrl(),
        config.cluster().replicaMaxLag(), config.dbUser(), config.dbPassword(),
        config.dbPoolSize(), metrics.registry(), breakers);
    phases.end("database");
    this.redisGuard = RedisGuard.of(breakers);
    if (tracing.enabled()) {
      redisGuard.listener(new RedisSpans());
    }
    this.jdbc = database.jdbc();
    this.masterKey = MasterKey.load(config.masterKey(), config.dataDir());
    try {
      this.installation = Installation.checkMasterKey(jdbc, masterKey.checkValue());
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    this.hasher = masterKey.secretHasher();
    phases.end("master key");
    this.issuers = new Issuers(config.issuerBase(config.port()));
    this.outbound = new OutboundHttp(OutboundGuard.allowing(config.network().outboundAllowed()));
    // Redis (optional): the shared L2 cache, revocation list and attempt counters, each a
    // decorator of a JDBC store. Redis is untrusted: what is read from it is sealed under keys
    // derived from the master key.
    this.redis = config.redisUrl().isEmpty() ? null : new SharedRedis(config.redisUrl(), redisGuard);
    this.redisPrefix = redis == null ? null : L2Cache.prefix(installation);
    this.tampering = new Tampering(metrics.registry());
    this.l2 = redis == null ? null
        : new L2Cache(redis, config.events().cacheTtl(), redisPrefix,
            masterKey.cacheMac("cache", installation), tampering).monitor(metrics.registry());
    this.attempts = redis == null ? new InMemoryAttemptCounter(clock)
        : new RedisAttemptCounter(redis, redisPrefix, tampering);
    // One process writes an embedded H2 database: its log writes frames (see JdbcEventOutbox).
    this.outbox = JdbcEventOutbox.soleWriter(config.jdbcUrl()) ? JdbcEventOutbox.framed(jdbc, config.jdbcUrl())
        : new JdbcEventOutbox(jdbc);
    this.audit = new AuditLog(jdbc, outbox, clock);
    this.detection = DetectModule.create(config, redis, redisPrefix, masterKey, installation,
        outbox, metrics.registry(), clock);
    this.events = detection == null ? outbox : detection.tap(outbox);
    this.securityMeters = new SecurityMeters(metrics.registry());
    this.bus = config.redisUrl().isEmpty()
        ? InvalidationBus.none() : new RedisInvalidationBus(config.redisUrl(), redisGuard,
            new MessageSeal(masterKey.cacheMac("invalidation", installation), installation, clock),
            tampering);
    if (detection != null) {
      detection.share(bus);
    }
  }

  /** The Redis guard for readiness reports, or null when the node runs without Redis. */
  RedisGuard redisIfAny() {
    return config.redisUrl().isEmpty() ? null : redisGuard;
  }

  @Override
  public void close() {
    if (detection != null) {
      detection.close();
    }
    listeners.close();
    bus.close();
    redisGuard.close();
    if (redis != null) {
      redis.close();
    }
    database.close();
    tracing.close();
    metrics.close();
  }
}
