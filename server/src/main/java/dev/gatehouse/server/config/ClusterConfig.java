package dev.gatehouse.server.config;

import java.time.Duration;

/**
 * Settings for running several nodes and surviving their dependencies' failures.
 *
 * @param dbReadUrl the read replica ({@code db.read-url}, empty for none)
 * @param drainDelay how long a node stays up, reporting not ready, after SIGTERM before it closes
 *     its listener ({@code server.drain-delay-ms}), so that a load balancer probing readiness stops
 *     sending first
 * @param replicaMaxLag longest replication lag at which lag-tolerant reads still go to the replica
 *     ({@code db.read-max-lag-ms}, 5000; above it they go to the primary)
 * @param revocationMaxStaleness longest a node answers JWT introspection from what it knows of
 *     revocations while it cannot reach the database ({@code tokens.revocation-max-staleness-seconds},
 *     60; past it, introspection fails closed with 503; 0: no bound)
 * @param admission admission limits per endpoint class ({@code admission.*})
 */
public record ClusterConfig(String dbReadUrl, Duration drainDelay, Duration replicaMaxLag,
    Duration revocationMaxStaleness, AdmissionConfig admission) {

  public static final ClusterConfig DEFAULTS = new ClusterConfig("", Duration.ZERO);

  /** Replica and drain settings; the other settings at their defaults. */
  public ClusterConfig(String dbReadUrl, Duration drainDelay) {
    this(dbReadUrl, drainDelay, Duration.ofSeconds(5), Duration.ofSeconds(60),
        AdmissionConfig.DEFAULTS);
  }
}
