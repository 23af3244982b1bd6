package dev.gatehouse.server.config;

import java.time.Duration;

/**
 * Settings of policy decisions (the {@code policy.*} keys).
 *
 * @param entityNamespace the Cedar namespace of entities projected from identity data
 *     ({@code policy.entity-namespace}, default {@code Gatehouse})
 * @param decisionCacheSize most cached decisions per node; 0 turns the cache off
 *     ({@code policy.decision-cache-size}, default 100000)
 * @param decisionLogSampleRate the share of decisions written to the event outbox, 0 to 1
 *     ({@code policy.decision-log-sample-rate}, default 1)
 * @param refresh how long a node trusts its in-memory policies and entities before checking the
 *     database for another node's change ({@code policy.refresh-seconds}, default 5)
 * @param maxRequestEntities most entities one decision request may bring
 *     ({@code policy.max-request-entities}, default 1000, at most {@link #MAX_ENTITIES_AT_ONCE})
 * @param maxRequestEntityBytes most characters of a request's entities JSON
 *     ({@code policy.max-request-entity-bytes}, default 262144)
 * @param maxEntityDepth longest parent chain above an entity a request or write brings
 *     ({@code policy.max-entity-depth}, default 64)
 */
public record PolicyConfig(String entityNamespace, int decisionCacheSize,
    double decisionLogSampleRate, Duration refresh, int maxRequestEntities,
    int maxRequestEntityBytes, int maxEntityDepth) {

  /** Most entities one call reads or writes, whatever the settings say. */
  public static final int MAX_ENTITIES_AT_ONCE = 10_000;

  public static final PolicyConfig DEFAULT = new PolicyConfig("Gatehouse", 100_000, 1.0,
      Duration.ofSeconds(5), 1_000, 256 * 1024, 64);
}
