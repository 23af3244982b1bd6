package dev.gatehouse.server;

import dev.gatehouse.server.adminapi.AdminAuth;
import dev.gatehouse.server.admin.AdminHttp;
import dev.gatehouse.server.admin.Bootstrap;
import dev.gatehouse.server.config.GatehouseConfig;
import dev.gatehouse.server.detect.DetectionService;
import dev.gatehouse.server.http.AdmissionLimiter;
import dev.gatehouse.server.http.HttpError;
import dev.gatehouse.server.http.JsonDirectHandler;
import dev.gatehouse.server.http.RequestFilter;
import dev.gatehouse.server.http.RouteList;
import dev.gatehouse.server.oauth.OAuthErrorHttp;
import dev.gatehouse.server.ops.Health;
import dev.gatehouse.server.ops.ManagementServer;
import dev.gatehouse.server.ops.OpsHttp;
import dev.gatehouse.server.store.DataDirectory;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.web.ClientAddress;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Gatehouse node: its lifecycle. The {@link Platform} holds the shared parts; each feature
 * module wires its services and registers its endpoints; this class starts them, serves, and
 * stops them in reverse.
 *
 * <p>The request path is HTTP (Helidon, one virtual thread per request) → endpoint (parse,
 * validate, map errors) → feature service (the spec's logic) → store (JDBC behind Caffeine); see
 * docs/architecture.md.
 */
public final class Gatehouse implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);

  private final GatehouseConfig config;
  private final Platform platform;
  private final TenancyModule tenancy;
  private final OAuthModule oauth;
  /** Every feature module, in the order they were built (closed in reverse). */
  private final List<Module> modules;
  private final WebServer server;
  private final Housekeeping housekeeping;
  /** The management listener ({@code /health/*}, {@code /metrics}), or null without one. */
  private volatile ManagementServer management;
  /** What the routing serves, recorded as it is registered (the OpenAPI test reads it). */
  private final RouteList routeList = new RouteList();
  /** True once {@link #start} has finished: bootstrap done, the node may take traffic. */
  private volatile boolean started;
  /** True once the node is shutting down: it reports not ready while it drains. */
  private volatile boolean draining;

  private Gatehouse(GatehouseConfig config, StartPhases phases) throws IOException {
    this.config = config;
    // The database, the master key file and admin credentials: for the server's user only.
    DataDirectory.prepare(config.dataDir());
    Platform p = new Platform(config, phases);
    this.platform = p;
    this.tenancy = new TenancyModule(p);
    IdentityModule identity = new IdentityModule(p, tenancy);
    this.oauth = new OAuthModule(p, tenancy, identity);
    MfaModule mfa = new MfaModule(p, tenancy, identity);
    PolicyModule policy = new PolicyModule(p, tenancy, identity, oauth);
    EventsModule events = new EventsModule(p, tenancy);
    CacheCoherence.wire(p, tenancy, oauth, policy);
    this.modules = List.of(tenancy, identity, oauth, mfa, policy,
        new SignInModule(p, tenancy, identity, oauth, mfa), events,
        new AdminModule(p, tenancy, oauth), new AttackDetectionModule(p, tenancy));
    phases.end("services");

    AdminAuth adminAuth = new AdminAuth(token -> oauth.tokens.introspect(Tenant.SYSTEM, token)
        .map(t -> new AdminAuth.Caller(t.clientId(), t.scope())));
    ClientAddress clientAddress = new ClientAddress(config.signIn().trustedProxies());
    HttpRouting.Builder routing = routeList.recording(HttpRouting.builder())
        .addFilter(new RequestFilter(p.metrics, p.tracing))
        .addFilter(p.listeners.filter())
        .addFilter(new AdmissionLimiter(config.cluster().admission(), config.dbPoolSize(),
            p.metrics.registry()))
        .addFilter((chain, req, res) -> {
          // The client's address for events written deeper down (token.issued's `ip`).
          org.slf4j.MDC.put("client_ip", clientAddress.of(req));
          try {
            chain.proceed();
          } finally {
            org.slf4j.MDC.remove("client_ip");
          }
        })
        .register(OpsHttp.main(p.database, p.metrics, this::ready, p.redisIfAny(),
            config.network().metricsToken()));
    Module.Routes routes = new Module.Routes(routing, adminAuth, tenancy.resolver);
    modules.forEach(m -> m.routing(routes));
    routing.update(AdminHttp::notFound)
        .any(OAuthErrorHttp.wrap((req, res) -> {
          throw HttpError.notFound("no resource at this path");
        }));

    this.server = p.listeners.configure(WebServer.builder())
        .host(config.host())
        .port(config.port())
        .shutdownHook(false)
        .shutdownGracePeriod(config.shutdownGrace())
        .maxPayloadSize(Math.max(config.maxBodyBytes(), 1024 * 1024))
        .directHandlers(JsonDirectHandler.all())
        .routing(routing)
        .build();
    List<Module.Purge> purges = new ArrayList<>();
    modules.forEach(m -> purges.addAll(m.purges()));
    this.housekeeping = new Housekeeping(purges).schedule();
    modules.forEach(m -> m.refreshes().forEach(housekeeping::refresh));
    phases.end("routing");
  }

  /** This node's attack detection, or null when {@code detect.enabled} is false. */
  public DetectionService detection() {
    return platform.detection;
  }

  /** True while the node takes traffic: it has started and is not draining. */
  private boolean ready() {
    return started && !draining;
  }

  /** Starts a node: migrates the database, bootstraps on first start, listens. */
  public static Gatehouse start(GatehouseConfig config) {
    StartPhases phases = new StartPhases();
    Gatehouse g;
    boolean firstStart;
    try {
      g = new Gatehouse(config, phases);
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
      if (config.network().managementListener()) {
        g.management = ManagementServer.start(config.network().managementHost(),
            config.network().managementPort(),
            new Health(g.platform.database, g::ready, g.platform.redisIfAny()), g.platform.metrics);
      }
      phases.end("listen");
      g.platform.issuers.base(config.issuerBase(g.server.port()));
      firstStart = Bootstrap.run(g.tenancy.tenants, g.oauth.clients, config.dataDir(),
          g.baseUrl(), g.listenAddress());
      phases.end(firstStart ? "bootstrap" : "admin check");
      g.modules.forEach(Module::start);
      phases.end("modules");
      g.started = true;
    } catch (IOException | RuntimeException e) {
      g.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    LOG.info("gatehouse ready on {} (listening on {}, at most {} connections) in {} ms ({} ms)",
        g.baseUrl(), g.listenAddress(), config.network().maxConnections(), phases.totalMillis(),
        phases);
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
    ManagementServer m = management;
    return m == null ? -1 : m.port();
  }

  /** The base URL issuers are built on, e.g. {@code http://localhost:8080}. */
  public String baseUrl() {
    return platform.issuers.base();
  }

  /** The routes this node serves, {@code METHOD /path/{param}}, in registration order. */
  public List<RouteList.Route> routes() {
    return routeList.routes();
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
      if (management != null) {
        management.close();
      }
      housekeeping.close();
      for (int i = modules.size() - 1; i >= 0; i--) {
        try {
          modules.get(i).close();
        } catch (RuntimeException e) {
          LOG.warn("stopping {} failed: {}", modules.get(i).getClass().getSimpleName(),
              e.toString());
        }
      }
      platform.close();
      if (wasStarted) {
        LOG.info("gatehouse stopped");
      }
    }
  }
}
