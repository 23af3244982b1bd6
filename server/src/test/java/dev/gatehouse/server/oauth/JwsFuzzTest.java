package dev.gatehouse.server.oauth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;

/**
 * JWS compact serializations as clients present them (RFC 7523 client assertions, bearer
 * tokens): parsing the header and claims may only fail with {@link java.text.ParseException},
 * which the token endpoint answers as {@code invalid_client} (docs/fuzzing.md).
 */
class JwsFuzzTest {

  @FuzzTest
  void compactJws(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    AccessTokenService.looksLikeJwt(text);
    try {
      SignedJWT jwt = SignedJWT.parse(text);
      jwt.getJWTClaimsSet();
      jwt.getHeader().toJSONObject();
    } catch (java.text.ParseException expected) {
      // documented: invalid_client / invalid_token
    }
  }
}
