package dev.gatehouse.server.http;

import dev.gatehouse.server.config.NetworkConfig;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.Filter;

/**
 * The limits of the server's main listener, kept by its {@link ConnectionWatchdog}. (The
 * management listener is not Helidon's: see {@code ops.ManagementServer}.)
 */
public final class Listeners implements AutoCloseable {

  private final ConnectionWatchdog main;

  public Listeners(NetworkConfig network) {
    this.main = new ConnectionWatchdog(network, "main");
  }

  /** The filter the main listener's routing must carry first, for its watchdog. */
  public Filter filter() {
    return main.filter();
  }

  /** Applies the limits to the server's main listener. */
  public <B extends WebServerConfig.BuilderBase<B, ?>> B configure(B server) {
    main.limits(server);
    return server;
  }

  @Override
  public void close() {
    main.close();
  }
}
