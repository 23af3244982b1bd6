package dev.gatehouse.server.detect;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One security event as the detectors read it: the fields docs/attack-protection.md lists, taken
 * from an event's payload. The same record comes from the in-process event tap (online) and from
 * an NDJSON line (`gatehouse detect replay`), so both run the same code on the same facts.
 *
 * @param id the event's id ({@code event_id}), or the request id online, or null
 * @param time epoch seconds ({@code created_at})
 * @param account the keyed hash of the account name typed ({@code username_hash})
 */
public record Observation(String id, String tenant, String type, long time, String ip,
    String userAgent, String device, String account, String userId, String clientId,
    String principal, String resource, boolean deny) {

  /** The observation of event {@code type} with {@code payload}, or null for a type no detector reads. */
  public static Observation of(String id, String tenant, String type, long time, JsonNode p) {
    return switch (type) {
      case "login.failed", "login.succeeded", "account.locked", "token.issued",
          "refresh.reused", "policy.decision" -> new Observation(
              id != null ? id : text(p, "request_id"), tenant, type, time, text(p, "ip"),
              text(p, "user_agent"), text(p, "device"), text(p, "username_hash"),
              text(p, "user_id"), text(p, "client_id"), text(p, "principal"),
              text(p, "resource"), "deny".equals(text(p, "decision")));
      default -> null;
    };
  }

  private static String text(JsonNode p, String field) {
    JsonNode n = p.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}
