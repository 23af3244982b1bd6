package dev.gatehouse.server.detect;

import java.util.Map;

/**
 * The detectors' knobs ({@code detect.*} keys; docs/attack-protection.md explains each).
 *
 * @param surprise an incident opens when a count is this improbable under its baseline:
 *     {@code -log10 P} (6: one in a million)
 * @param minEvents and at least this many events are in the surprising window
 * @param stepUpScore a sign-in whose risk score (log10 likelihood ratio) reaches this is risky
 * @param quietSeconds an incident without a new event for this long is closed
 * @param blockSeconds how long a block lasts
 * @param learnAfterSeconds a sign-in is learned as the account owner's this long after it, or
 *     when a second factor confirms it (a risky one only then)
 * @param maxAccounts per-tenant bound on account profiles (LRU)
 * @param maxTenants bound on tenants with detector state (LRU)
 * @param policy the response per tenant; tenants not listed get {@code defaultPolicy}
 */
public record DetectSettings(double surprise, int minEvents, double stepUpScore,
    long quietSeconds, long blockSeconds, long learnAfterSeconds, int maxAccounts, int maxTenants,
    ResponsePolicy defaultPolicy, Map<String, ResponsePolicy> policy) {

  public static final DetectSettings DEFAULTS = new DetectSettings(6.0, 5, 2.5, 600, 900,
      3_600, 100_000, 1_000, ResponsePolicy.STEP_UP, Map.of());

  public DetectSettings {
    policy = Map.copyOf(policy);
  }

  /** The response of {@code tenant}. */
  public ResponsePolicy policyOf(String tenant) {
    return policy.getOrDefault(tenant, defaultPolicy);
  }

  /** These settings with other thresholds. */
  public DetectSettings withThresholds(double surprise, double stepUpScore) {
    return new DetectSettings(surprise, minEvents, stepUpScore, quietSeconds, blockSeconds,
        learnAfterSeconds, maxAccounts, maxTenants, defaultPolicy, policy);
  }

  /** These settings with another incident quiet period and sign-in hold. */
  public DetectSettings withDurations(long quietSeconds, long learnAfterSeconds) {
    return new DetectSettings(surprise, minEvents, stepUpScore, quietSeconds, blockSeconds,
        learnAfterSeconds, maxAccounts, maxTenants, defaultPolicy, policy);
  }

  /** These settings with {@code p} as every tenant's default. */
  public DetectSettings withDefaultPolicy(ResponsePolicy p) {
    return new DetectSettings(surprise, minEvents, stepUpScore, quietSeconds, blockSeconds,
        learnAfterSeconds, maxAccounts, maxTenants, p, policy);
  }
}
