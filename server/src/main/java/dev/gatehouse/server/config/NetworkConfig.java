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
 * @param idleTimeout longest a connection may take to send a complete request header after it
 *     opened or after its previous response, whether it sends nothing, dribbles a header or idles
 *     between requests ({@code server.idle-timeout-seconds}, 20)
 * @param requestTimeout longest one request may run, reading its body included ({@code
 *     server.request-timeout-seconds}, 60)
 * @param maxConnections open connections a listener accepts at once ({@code
 *     server.max-connections}, 10000)
 * @param maxConnectionsPerIp open connections from one client address ({@code
 *     server.max-connections-per-ip}, 1000; 0: no limit)
 * @param managementHost address of the management listener ({@code management.host}, 127.0.0.1)
 * @param managementPort port of the management listener for {@code /metrics} and {@code
 *     /health/*} ({@code management.port}; -1, the default, runs none)
 * @param metricsToken a bearer token that opens {@code /metrics} on the main listener ({@code
 *     management.metrics-token}; empty, the default: {@code /metrics} is not served there)
 */
public record NetworkConfig(List<Cidr> outboundAllowed, Duration idleTimeout,
    Duration requestTimeout, int maxConnections, int maxConnectionsPerIp, String managementHost,
    int managementPort, String metricsToken) {

  public static final NetworkConfig DEFAULTS = new NetworkConfig(List.of(),
      Duration.ofSeconds(20), Duration.ofSeconds(60), 10_000, 1000, "127.0.0.1", -1, "");

  public NetworkConfig {
    outboundAllowed = List.copyOf(outboundAllowed);
  }

  /** True when a management listener is configured. */
  public boolean managementListener() {
    return managementPort >= 0;
  }
}
