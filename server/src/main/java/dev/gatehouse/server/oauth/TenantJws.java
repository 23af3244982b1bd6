package dev.gatehouse.server.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.crypto.Base64Url;
import dev.gatehouse.server.keys.KeyService;
import dev.gatehouse.server.keys.VerificationKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one verifier of a compact JWS this tenant signed: access tokens, ID tokens used as hints,
 * anything else its keys sign. The same keys and issuer sign access tokens ({@code at+jwt}), ID
 * tokens ({@code JWT}) and logout tokens ({@code logout+jwt}), so the caller names the {@code typ}
 * it expects and a token of another kind is refused (RFC 8725 §3.11: explicit typing).
 *
 * <p>The key named by {@code kid} decides the algorithm, never the header alone (RFC 8725 §3.1);
 * the three parts must be canonical unpadded base64url (RFC 7515 §2); the claims' {@code iss} must
 * be this tenant's issuer. Anything wrong with the token gives empty.
 */
public final class TenantJws {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A verified token's claims and the key that verified it. */
  public record Verified(JsonNode claims, VerificationKey key) {}

  private final KeyService keys;
  private final Issuers issuers;

  public TenantJws(KeyService keys, Issuers issuers) {
    this.keys = keys;
    this.issuers = issuers;
  }

  /** The claims of {@code token} if tenant {@code tenantId} signed it with header {@code typ}. */
  public Optional<Verified> verify(String tenantId, String token, String typ) {
    try {
      int d1 = token.indexOf('.');
      int d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1);
      if (d2 < 0 || token.indexOf('.', d2 + 1) >= 0) {
        return Optional.empty();
      }
      JsonNode header = JSON.readTree(Base64Url.decode(token.substring(0, d1)));
      if (header == null || !header.isObject() || !header.path("kid").isTextual()
          || !typ.equals(header.path("typ").asText())) {
        return Optional.empty();
      }
      Optional<VerificationKey> key = keys.verificationKey(tenantId, header.get("kid").asText());
      if (key.isEmpty() || !key.get().alg().name().equals(header.path("alg").asText())) {
        return Optional.empty();
      }
      byte[] signingInput = token.substring(0, d2).getBytes(StandardCharsets.US_ASCII);
      if (!key.get().verify(signingInput, Base64Url.decode(token.substring(d2 + 1)))) {
        return Optional.empty();
      }
      JsonNode claims = JSON.readTree(Base64Url.decode(token.substring(d1 + 1, d2)));
      if (claims == null || !claims.isObject()
          || !issuers.issuer(tenantId).equals(claims.path("iss").asText())) {
        return Optional.empty();
      }
      return Optional.of(new Verified(claims, key.get()));
    } catch (IOException | IllegalArgumentException | OAuthException e) {
      // Not a well-formed JWS of ours. A store outage (StoreException) is not caught: the caller
      // answers 503 rather than calling a genuine token invalid.
      return Optional.empty();
    }
  }
}
