package dev.gatehouse.server.webhook;

import java.util.List;

/**
 * A tenant's webhook subscription: where to POST which events, and the secret that signs them
 * (kept sealed under the master key; see {@link WebhookService}).
 *
 * @param eventTypes event types to deliver: exact ({@code token.revoked}), a prefix with
 *     {@code .*} ({@code admin.*}) or {@code *} for all
 */
public record Subscription(String tenantId, String id, String url, List<String> eventTypes,
    String secretSealed, long createdAt) {

  /** Whether events of {@code type} go to this subscription. */
  public boolean matches(String type) {
    for (String t : eventTypes) {
      if (t.equals("*") || t.equals(type)
          || (t.endsWith(".*") && type.startsWith(t.substring(0, t.length() - 1)))) {
        return true;
      }
    }
    return false;
  }
}
