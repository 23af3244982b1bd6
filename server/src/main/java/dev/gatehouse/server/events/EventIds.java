package dev.gatehouse.server.events;

/**
 * The names an installation's events go by outside the database: an {@code event_id} unique
 * across installations ({@code {installation}-{outbox id}}), the same on the stream and in
 * webhooks, and the installation's own stream key. Two installations sharing a Redis (staging and
 * production) or a webhook receiver never mistake one's events for the other's.
 */
public final class EventIds {

  private EventIds() {}

  /** The event id consumers deduplicate by: {@code {installation}-{outbox id}}. */
  public static String of(String installation, long outboxId) {
    return installation + "-" + outboxId;
  }

  /** The installation's Redis Stream: {@code gh:{installation}:events}. */
  public static String stream(String installation) {
    return "gh:" + installation + ":events";
  }
}
