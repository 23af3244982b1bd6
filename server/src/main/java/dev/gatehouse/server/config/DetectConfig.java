package dev.gatehouse.server.config;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of attack detection (the {@code detect.*} keys; docs/attack-protection.md).
 *
 * @param enabled run the detectors on this node ({@code detect.enabled}, true)
 * @param surprise incident threshold, {@code -log10 P} under the baseline ({@code detect.surprise}, 6)
 * @param minEvents events a surprising window must hold ({@code detect.min-events}, 5)
 * @param stepUpScore risk score (log10 likelihood ratio) that makes a sign-in risky
 *     ({@code detect.step-up-score})
 * @param quiet an incident without events this long is closed ({@code detect.quiet-seconds}, 600)
 * @param block how long a block lasts ({@code detect.block-seconds}, 900)
 * @param learnAfter how long a sign-in waits before it is learned as the account owner's, unless
 *     a second factor confirms it sooner ({@code detect.learn-after-seconds}, 3600)
 * @param maxAccounts account profiles kept per tenant ({@code detect.max-accounts}, 100000)
 * @param maxTenants tenants with detector state ({@code detect.max-tenants}, 1000)
 * @param response the default response: allow, notify, step-up, block ({@code detect.response})
 * @param tenantResponses per-tenant responses ({@code detect.tenant-responses}:
 *     {@code acme=block,beta=notify})
 */
public record DetectConfig(boolean enabled, double surprise, int minEvents, double stepUpScore,
    Duration quiet, Duration block, Duration learnAfter, int maxAccounts, int maxTenants,
    String response, Map<String, String> tenantResponses) {

  public static final DetectConfig DEFAULTS = new DetectConfig(true, 6, 5, 2.5,
      Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofHours(1), 100_000, 1_000,
      "step-up", Map.of());

  public DetectConfig {
    tenantResponses = Map.copyOf(tenantResponses);
  }
}
