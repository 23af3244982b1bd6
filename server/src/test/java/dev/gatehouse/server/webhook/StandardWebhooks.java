package dev.gatehouse.server.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a receiver's Standard Webhooks library computes, written here from the specification and
 * not from {@link WebhookSignature}: {@code v1,} and the base64 of HMAC-SHA256, keyed with the
 * base64-decoded part of {@code whsec_...}, over {@code webhook-id.webhook-timestamp.body}.
 */
final class StandardWebhooks {

  private StandardWebhooks() {}

  static String signature(String secret, String id, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
          "HmacSHA256"));
      byte[] signed = (id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.UTF_8);
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
