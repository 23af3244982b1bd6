package dev.gatehouse.server.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code state} and {@code response_mode} inside a request object (OIDC Core §6.1, RFC 9101),
 * read without verifying it, only to deliver the {@code request_not_supported} error where the
 * client expects it. Nothing else of the object is used.
 *
 * @param state the object's state, or null
 * @param responseMode the object's response_mode, or null
 */
record RequestObjectHints(String state, String responseMode) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LENGTH = 20_000;

  /** The hints of a compact JWS or JWT (its payload, second part); none if it is not one. */
  static RequestObjectHints of(String jwt) {
    if (jwt == null || jwt.length() > MAX_LENGTH) {
      return new RequestObjectHints(null, null);
    }
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      // An encrypted object (five parts) cannot be read without keys we never published.
      return new RequestObjectHints(null, null);
    }
    try {
      JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]),
          StandardCharsets.UTF_8));
      return new RequestObjectHints(text(claims, "state"), text(claims, "response_mode"));
    } catch (RuntimeException | java.io.IOException e) {
      return new RequestObjectHints(null, null);
    }
  }

  private static String text(JsonNode claims, String name) {
    JsonNode v = claims == null ? null : claims.get(name);
    return v != null && v.isTextual() && v.asText().length() <= 2000 ? v.asText() : null;
  }
}
