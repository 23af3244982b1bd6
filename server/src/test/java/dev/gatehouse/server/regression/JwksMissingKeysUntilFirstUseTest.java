package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A tenant's JWKS had no RS256 key until the first sign-in, though RS256 is the default ID token
 * algorithm: a relying party that fetched the JWKS first (the OpenID conformance suite does) could
 * not verify the first ID token. {@code keys rotate} rotated only ES256, and an opaque-token
 * client showed an {@code access_token_alg} that signs nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwksMissingKeysUntilFirstUseTest {

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private List<String> jwksAlgs(String tenant) {
    JsonNode keys = server.get("/t/" + tenant + "/jwks").json().get("keys");
    return StreamSupport.stream(keys.spliterator(), false).map(k -> k.get("alg").asText())
        .toList();
  }

  @Test
  void jwksWhenTenantNewThenPublishesRs256ForIdTokensBeforeAnySignIn() {
    server.createTenant("fresh");
    assertThat(jwksAlgs("fresh")).containsOnly("ES256", "RS256").contains("RS256", "ES256");
  }

  @Test
  void jwksWhenClientRegisteredWithAnotherAlgThenKeyPublishedBeforeFirstToken() {
    server.createTenant("edwards");
    server.createClient("edwards", Map.of("name", "ed", "access_token_alg", "EdDSA"));
    assertThat(jwksAlgs("edwards")).contains("EdDSA");
  }

  @Test
  void rotateWhenNoAlgGivenThenEveryAlgorithmInUseRotates() {
    server.createTenant("rotating");
    server.createClient("rotating", Map.of("name", "ed", "access_token_alg", "EdDSA"));
    JsonNode r = server.admin("POST", "/admin/v1/tenants/rotating/keys/rotate", null).json();
    assertThat(r.get("rotated").findValuesAsText("alg"))
        .containsExactly("ES256", "RS256", "EdDSA");
    assertThat(r.get("alg").asText()).isEqualTo("ES256");
    JsonNode one = server.admin("POST", "/admin/v1/tenants/rotating/keys/rotate",
        Map.of("alg", "RS256")).json();
    assertThat(one.get("rotated").findValuesAsText("alg")).containsExactly("RS256");
  }

  @Test
  void clientWhenOpaqueTokensThenNoAccessTokenAlgShown() {
    server.createTenant("opaque");
    JsonNode c = server.createClient("opaque", Map.of("name", "ref", "token_format", "opaque"));
    assertThat(c.has("access_token_alg")).isFalse();
    JsonNode jwt = server.createClient("opaque", Map.of("name", "jwt"));
    assertThat(jwt.get("access_token_alg").asText()).isEqualTo("ES256");
  }
}
