package dev.gatehouse.server.config;

import java.time.Duration;

/**
 * Settings for running several nodes: the read replica ({@code db.read-url}, empty for none) and
 * how long a node stays up, reporting not ready, after SIGTERM before it closes its listener
 * ({@code server.drain-delay-ms}), so that a load balancer probing readiness stops sending first.
 */
public record ClusterConfig(String dbReadUrl, Duration drainDelay) {

  public static final ClusterConfig DEFAULTS = new ClusterConfig("", Duration.ZERO);
}
