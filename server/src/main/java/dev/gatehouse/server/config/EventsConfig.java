package dev.gatehouse.server.config;

import java.time.Duration;

/**
 * Settings of events, webhooks and the Redis L2 cache (the {@code events.*}, {@code webhooks.*}
 * and {@code redis.cache-*} keys).
 *
 * @param tokenIssued how {@code token.issued} events are written ({@code events.token-issued}:
 *     {@code async} (default), {@code sync} or {@code off})
 * @param webhooksEnabled whether this node delivers webhooks ({@code webhooks.enabled}, true)
 * @param webhookTimeout connect and response timeout of one delivery ({@code
 *     webhooks.timeout-ms}, 5000)
 * @param webhookMaxAttempts attempts before a delivery is dead-lettered ({@code
 *     webhooks.max-attempts}, 8)
 * @param webhookBackoff the first retry delay, doubled per attempt with jitter ({@code
 *     webhooks.backoff-ms}, 1000)
 * @param webhookMaxBackoff the longest retry delay ({@code webhooks.max-backoff-ms}, 3600000)
 * @param webhookPoll how often the delivery worker looks for work ({@code webhooks.poll-ms}, 250)
 * @param cacheTtl lifetime of entries in the Redis L2 cache ({@code redis.cache-ttl-seconds}, 300)
 */
public record EventsConfig(TokenIssued tokenIssued, boolean webhooksEnabled,
    Duration webhookTimeout, int webhookMaxAttempts, Duration webhookBackoff,
    Duration webhookMaxBackoff, Duration webhookPoll, Duration cacheTtl) {

  public static final EventsConfig DEFAULTS = new EventsConfig(TokenIssued.ASYNC, true,
      Duration.ofSeconds(5), 8, Duration.ofSeconds(1), Duration.ofHours(1),
      Duration.ofMillis(250), Duration.ofMinutes(5));

  /** How {@code token.issued} events are written (see {@code oauth.TokenEvents}). */
  public enum TokenIssued { SYNC, ASYNC, OFF }
}
