package dev.gatehouse.server;

import dev.gatehouse.server.adminapi.AdminAuth;
import dev.gatehouse.server.tenant.TenantResolver;
import io.helidon.webserver.http.HttpRouting;
import java.util.List;

/**
 * One feature wired into a node: its services are built in its constructor, it registers its own
 * endpoints, names its periodic clean-up, and starts and stops what runs in the background.
 */
interface Module extends AutoCloseable {

  /** What every module's endpoints may need: the routing, the admin guard, the tenant lookup. */
  record Routes(HttpRouting.Builder routing, AdminAuth adminAuth, TenantResolver resolver) {}

  /** A clean-up the housekeeping job runs periodically, named for its log line. */
  record Purge(String what, Runnable run) {}

  /**
   * A refresh of gauges the housekeeping job runs every {@code period}, first after
   * {@code initialDelay}; a failure (the database away) leaves the gauges as they were.
   */
  record Refresh(String what, java.time.Duration initialDelay, java.time.Duration period,
      Runnable run) {}

  /** Registers this feature's endpoints. */
  void routing(Routes routes);

  /** This feature's periodic clean-up (expired rows), none by default. */
  default List<Purge> purges() {
    return List.of();
  }

  /** This feature's gauge refreshes, none by default. */
  default List<Refresh> refreshes() {
    return List.of();
  }

  /** Starts background work once the node listens. */
  default void start() {}

  /** Stops background work; the platform closes after every module. */
  @Override
  default void close() {}
}
