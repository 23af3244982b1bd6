package dev.gatehouse.server.config;

import dev.gatehouse.server.policy.EntityLimits;
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
 * @param entityLimits entities per request, bytes of request entities JSON, and parent-chain
 *     depth ({@code policy.max-request-entities}, default 1000;
 *     {@code policy.max-request-entity-bytes}, default 262144; {@code policy.max-entity-depth},
 *     default 64)
 */
public record PolicyConfig(String entityNamespace, int decisionCacheSize,
    double decisionLogSampleRate, Duration refresh, EntityLimits entityLimits) {

  public static final PolicyConfig DEFAULT = new PolicyConfig("Gatehouse", 100_000, 1.0,
      Duration.ofSeconds(5), EntityLimits.DEFAULT);
}
