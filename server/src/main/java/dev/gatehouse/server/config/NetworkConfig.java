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
 *     server.max-connections}; {@code auto}, the default: what half the heap holds, at most
 *     10000, see {@link #connectionsForHeap})
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

  /** The most connections {@code auto} allows, whatever the heap. */
  public static final int MAX_AUTO_CONNECTIONS = 10_000;

  /**
   * Heap one open keep-alive connection costs, with room for the request it carries. Measured on
   * Helidon 4.5: 22 KiB of live heap per idle connection (its 8 KiB read buffer, a 4 KiB write
   * buffer, the stack of its virtual thread); see docs/operations.md, "Connection limits".
   */
  static final long BYTES_PER_CONNECTION = 32 * 1024;

  public static final NetworkConfig DEFAULTS = new NetworkConfig(List.of(),
      Duration.ofSeconds(20), Duration.ofSeconds(60),
      connectionsForHeap(Runtime.getRuntime().maxMemory()), 1000, "127.0.0.1", -1, "");

  public NetworkConfig {
    outboundAllowed = List.copyOf(outboundAllowed);
  }

  /**
   * Connections a node with {@code maxHeapBytes} of heap can hold open without running out of
   * memory: half the heap, the other half being the caches and the requests' own work. A node
   * that runs out of heap stops answering everyone, so connections beyond this wait in the accept
   * backlog instead.
   */
  public static int connectionsForHeap(long maxHeapBytes) {
    long fit = maxHeapBytes / 2 / BYTES_PER_CONNECTION;
    return (int) Math.max(64, Math.min(MAX_AUTO_CONNECTIONS, fit));
  }

  /** True when a management listener is configured. */
  public boolean managementListener() {
    return managementPort >= 0;
  }
}
