package dev.gatehouse.server.http;

import dev.gatehouse.server.config.NetworkConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;

/**
 * The server's listeners and their limits: the main one, and the management listener when {@code
 * management.port} is set, which serves the operations endpoints and nothing else (see
 * docs/operations.md). Each has its own {@link ConnectionWatchdog}.
 */
public final class Listeners implements AutoCloseable {

  private static final String MANAGEMENT = "management";

  private final NetworkConfig network;
  private final ConnectionWatchdog main;
  private final ConnectionWatchdog management;

  public Listeners(NetworkConfig network) {
    this.network = network;
    this.main = new ConnectionWatchdog(network, "main");
    this.management = network.managementListener()
        ? new ConnectionWatchdog(network, MANAGEMENT) : null;
  }

  /** The filter the main listener's routing must carry first, for its watchdog. */
  public Filter filter() {
    return main.filter();
  }

  /**
   * Applies the limits to the server's main listener and adds the management listener, routed to
   * {@code operations} only.
   */
  public <B extends WebServerConfig.BuilderBase<B, ?>> B configure(B server,
      HttpService operations) {
    main.limits(server);
    if (management != null) {
      server.putSocket(MANAGEMENT, listener -> management.limits(listener)
          .host(network.managementHost())
          .port(network.managementPort())
          .routing(HttpRouting.builder()
              .addFilter(management.filter())
              .register(operations)
              .any(Handlers.jsonErrors((req, res) -> {
                throw HttpError.notFound("the management listener serves /metrics and /health/*");
              }))));
    }
    return server;
  }

  /** The port of the management listener; -1 without one. */
  public int managementPort(WebServer server) {
    return management == null ? -1 : server.port(MANAGEMENT);
  }

  @Override
  public void close() {
    main.close();
    if (management != null) {
      management.close();
    }
  }
}
