package dev.gatehouse.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of webhook messages as the Standard Webhooks specification defines them: the secret
 * is {@code whsec_} and the base64 of its bytes; the signature is {@code v1,} and the base64 of
 * HMAC-SHA256 over {@code webhook-id.webhook-timestamp.body}; the {@code webhook-signature}
 * header holds one or more of them, separated by spaces.
 *
 * @see <a href="https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md">Standard Webhooks</a>
 */
public final class WebhookSignature {

  /** The prefix of a secret's text form. */
  public static final String SECRET_PREFIX = "whsec_";

  private WebhookSignature() {}

  /** The secret's text form, as shown to the subscriber once. */
  public static String secretText(byte[] key) {
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The key bytes of a secret's text form. */
  public static byte[] key(String secretText) {
    String b64 = secretText.startsWith(SECRET_PREFIX)
        ? secretText.substring(SECRET_PREFIX.length()) : secretText;
    return Base64.getDecoder().decode(b64);
  }

  /** The {@code webhook-signature} value of one message: {@code v1,<base64>}. */
  public static String sign(byte[] key, String id, long timestamp, byte[] body) {
    return "v1," + Base64.getEncoder().encodeToString(mac(key, id, timestamp, body));
  }

  /**
   * Whether {@code header} holds a valid {@code v1} signature of the message, compared in constant
   * time, and {@code timestamp} is within {@code toleranceSeconds} of {@code now} (the
   * specification's defence against replays).
   */
  public static boolean verify(byte[] key, String id, long timestamp, byte[] body, String header,
      long now, long toleranceSeconds) {
    if (header == null || Math.abs(now - timestamp) > toleranceSeconds) {
      return false;
    }
    byte[] expected = mac(key, id, timestamp, body);
    boolean ok = false;
    for (String candidate : header.trim().split(" +")) {
      if (!candidate.startsWith("v1,")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(candidate.substring(3));
      } catch (IllegalArgumentException e) {
        continue;
      }
      ok |= MessageDigest.isEqual(expected, given);
    }
    return ok;
  }

  private static byte[] mac(byte[] key, String id, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
