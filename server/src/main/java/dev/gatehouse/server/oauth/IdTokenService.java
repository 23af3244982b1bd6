package dev.gatehouse.server.oauth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.keys.KeyAlgorithm;
import dev.gatehouse.server.keys.KeyService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs ID tokens (OpenID Connect Core 1.0 §2, §3.1.3.6) and back-channel logout tokens
 * (OpenID Connect Back-Channel Logout 1.0 §2.4) with the tenant's key of the client's algorithm.
 */
public final class IdTokenService {

  /** The lifetime of ID tokens and logout tokens. */
  static final long TTL = 300;
  static final String BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeyService keys;
  private final Issuers issuers;
  private final Clock clock;

  /** What the ID token says about the authentication. */
  public record Authentication(String userId, String sid, long authTime, String amr,
      String acr, String nonce) {}

  public IdTokenService(KeyService keys, Issuers issuers, Clock clock) {
    this.keys = keys;
    this.issuers = issuers;
    this.clock = clock;
  }

  /** An ID token for {@code client}; {@code accessToken} (nullable) yields at_hash. */
  public String issue(Client client, Authentication a, String accessToken) {
    return issue(client, a, accessToken, Map.of());
  }

  /**
   * An ID token with the user's {@code claims} the client asked for by name (OIDC Core §5.5),
   * which never replace the claims about the token and the authentication.
   */
  public String issue(Client client, Authentication a, String accessToken,
      Map<String, Object> claims) {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> c = new LinkedHashMap<>();
    // OIDC Core §2: iss, sub, aud, exp and iat are REQUIRED; auth_time is REQUIRED when max_age
    // was requested, and we always send it.
    c.put("iss", issuers.issuer(client.tenantId()));
    c.put("sub", a.userId());
    c.put("aud", client.clientId());
    c.put("exp", now + TTL);
    c.put("iat", now);
    c.put("auth_time", a.authTime());
    // §3.1.2.1: "If present in the Authentication Request, Authorization Servers MUST include a
    // nonce Claim in the ID Token with the Claim Value being the nonce value sent".
    if (a.nonce() != null) {
      c.put("nonce", a.nonce());
    }
    c.put("acr", a.acr());
    c.put("amr", a.amr().isBlank() ? List.of() : Arrays.asList(a.amr().split(" ")));
    c.put("azp", client.clientId());
    c.put("sid", a.sid());
    if (accessToken != null) {
      c.put("at_hash", atHash(client.idTokenAlg(), accessToken));
    }
    claims.forEach(c::putIfAbsent);
    return sign(client, "JWT", c);
  }

  /** A logout token (Back-Channel Logout 1.0 §2.4) for the session {@code sid}. */
  public String logoutToken(Client client, String userId, String sid) {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iss", issuers.issuer(client.tenantId()));
    c.put("sub", userId);
    c.put("aud", client.clientId());
    c.put("iat", now);
    c.put("exp", now + 120);
    c.put("jti", Secrets.id());
    c.put("events", Map.of(BACKCHANNEL_EVENT, Map.of()));
    c.put("sid", sid);
    return sign(client, "logout+jwt", c);
  }

  private String sign(Client client, String typ, Map<String, Object> claims) {
    try {
      return keys.signingKey(client.tenantId(), client.idTokenAlg())
          .sign(typ, JSON.writeValueAsBytes(claims));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * OIDC Core §3.1.3.6: "Its value is the base64url encoding of the left-most half of the hash of
   * the octets of the ASCII representation of the access_token value, where the hash algorithm
   * used is the hash algorithm used in the alg Header Parameter of the ID Token's JOSE Header."
   * Ed25519 signs with SHA-512.
   */
  static String atHash(KeyAlgorithm alg, String accessToken) {
    try {
      MessageDigest md = MessageDigest.getInstance(alg == KeyAlgorithm.EdDSA ? "SHA-512"
          : "SHA-256");
      byte[] h = md.digest(accessToken.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(Arrays.copyOf(h, h.length / 2));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
