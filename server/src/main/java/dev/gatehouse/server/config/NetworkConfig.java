package dev.gatehouse.server.config;

import dev.gatehouse.server.outbound.Cidr;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the listeners and of outbound calls.
 *
 * @param outboundAllowed networks outbound calls (webhooks, back-channel logout) may reach even
 *     though they are private, loopback or link-local ({@code outbound.allowed-networks}: CIDR
 *     blocks separated by commas; none by default)
 * @param readTimeout longest wait for the next bytes of a request before the connection is closed
 *     ({@code server.read-timeout-ms}, 10000)
 * @param idleTimeout longest a connection may go without completing a request, whether it sends
 *     nothing or dribbles a request header ({@code server.idle-timeout-seconds}, 30)
 * @param maxConnections open connections a listener accepts at once ({@code
 *     server.max-connections}, 10000)
 * @param managementHost address of the management listener ({@code management.host}, 127.0.0.1)
 * @param managementPort port of the management listener for {@code /metrics} and {@code
 *     /health/*} ({@code management.port}; -1, the default, runs none)
 * @param metricsToken a bearer token that opens {@code /metrics} on the main listener ({@code
 *     management.metrics-token}; empty, the default: {@code /metrics} is not served there)
 */
public record NetworkConfig(List<Cidr> outboundAllowed, Duration readTimeout, Duration idleTimeout,
    int maxConnections, String managementHost, int managementPort, String metricsToken) {

  public static final NetworkConfig DEFAULTS = new NetworkConfig(List.of(),
      Duration.ofSeconds(10), Duration.ofSeconds(30), 10_000, "127.0.0.1", -1, "");

  public NetworkConfig {
    outboundAllowed = List.copyOf(outboundAllowed);
  }

  /** True when a management listener is configured. */
  public boolean managementListener() {
    return managementPort >= 0;
  }
}
