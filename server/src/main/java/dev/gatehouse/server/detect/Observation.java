package dev.gatehouse.server.detect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * One security event as the detectors read it: the fields docs/attack-protection.md lists, taken
 * from an event's payload. The same record comes from the in-process event tap (online) and from
 * an NDJSON line (`gatehouse detect replay`), so both run the same code on the same facts.
 *
 * @param id the event's id ({@code event_id}), or the request id online, or null
 * @param time epoch seconds ({@code created_at})
 * @param account the keyed hash of the account name typed ({@code username_hash})
 * @param sid the session a sign-in started or a second factor confirmed ({@code sid})
 */
public record Observation(String id, String tenant, String type, long time, String ip,
    String userAgent, String device, String account, String userId, String clientId,
    String principal, String resource, boolean deny, String sid) {

  /** An observation without a session id. */
  public Observation(String id, String tenant, String type, long time, String ip,
      String userAgent, String device, String account, String userId, String clientId,
      String principal, String resource, boolean deny) {
    this(id, tenant, type, time, ip, userAgent, device, account, userId, clientId, principal,
        resource, deny, null);
  }

  private static final JsonFactory JSON = new JsonFactory();

  /** The observation of event {@code type} with {@code payload}, or null for a type no detector reads. */
  public static Observation of(String id, String tenant, String type, long time, JsonNode p)
      throws IOException {
    return of(id, tenant, type, time, p.toString());
  }

  /**
   * The observation of event {@code type} with the JSON object {@code payload}, or null for a type
   * no detector reads. Reads the fields it needs in one streaming pass and skips the rest: this
   * runs for every token issued, and a parsed tree of each payload was most of the detectors' CPU.
   *
   * @throws IOException when {@code payload} is not a JSON object
   */
  public static Observation of(String id, String tenant, String type, long time, String payload)
      throws IOException {
    switch (type) {
      case "login.failed", "login.succeeded", "account.locked", "mfa.verified", "token.issued",
          "refresh.reused", "policy.decision" -> { }
      default -> {
        return null;
      }
    }
    String[] v = new String[FIELDS];
    try (JsonParser p = JSON.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("an event payload is a JSON object");
      }
      String name;
      while ((name = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        int i = field(name);
        if (i >= 0 && t.isScalarValue() && t != JsonToken.VALUE_NULL) {
          v[i] = p.getText();
        } else {
          p.skipChildren();
        }
      }
    }
    return new Observation(id != null ? id : v[REQUEST_ID], tenant, type, time, v[IP],
        v[USER_AGENT], v[DEVICE], v[USERNAME_HASH], v[USER_ID], v[CLIENT_ID], v[PRINCIPAL],
        v[RESOURCE], "deny".equals(v[DECISION]), v[SID]);
  }

  private static final int REQUEST_ID = 0;
  private static final int IP = 1;
  private static final int USER_AGENT = 2;
  private static final int DEVICE = 3;
  private static final int USERNAME_HASH = 4;
  private static final int USER_ID = 5;
  private static final int CLIENT_ID = 6;
  private static final int PRINCIPAL = 7;
  private static final int RESOURCE = 8;
  private static final int DECISION = 9;
  private static final int SID = 10;
  private static final int FIELDS = 11;

  /** The payload fields the detectors read (docs/attack-protection.md lists them). */
  private static int field(String name) {
    return switch (name) {
      case "request_id" -> REQUEST_ID;
      case "ip" -> IP;
      case "user_agent" -> USER_AGENT;
      case "device" -> DEVICE;
      case "username_hash" -> USERNAME_HASH;
      case "user_id" -> USER_ID;
      case "client_id" -> CLIENT_ID;
      case "principal" -> PRINCIPAL;
      case "resource" -> RESOURCE;
      case "decision" -> DECISION;
      case "sid" -> SID;
      default -> -1;
    };
  }
}
