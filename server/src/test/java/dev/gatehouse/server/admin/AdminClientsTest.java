package dev.gatehouse.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin API's client resources. docs/architecture.md: secrets are "stored only as hashes" —
 * a client secret is shown once, at creation or rotation, and never again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminClientsTest {

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("acme");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void getWhenIdUnknownAndNotAsciiThen404NamingItInPrintableAscii() {
    // Every admin API names user input back through AdminTenants.printable.
    Map<String, String> expected = Map.of(
        "/admin/v1/tenants/acme/clients/", "no client `x?y` in tenant `acme`",
        "/admin/v1/tenants/acme/users/", "no user `x?y` in tenant `acme`",
        "/admin/v1/tenants/acme/webhooks/", "no webhook `x?y`",
        "/admin/v1/tenants/x%C3%A9y/users/", "no tenant `x?y`");
    expected.forEach((path, detail) -> {
      TestServer.Response r = server.admin("GET", path + "x%C3%A9y", null);
      assertThat(r.status()).as("%s: %s", path, r).isEqualTo(404);
      assertThat(r.json().get("detail").asText()).as(path).isEqualTo(detail);
    });
  }

  @Test
  void createWhenConfidentialThenSecretShownOnceAndNotCached() {
    TestServer.Response created = server.admin("POST", "/admin/v1/tenants/acme/clients",
        Map.of("name", "billing", "scope", "a b"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Cache-Control")).isEqualTo("no-store");
    String id = created.json().get("client_id").asText();
    String secret = created.json().get("client_secret").asText();
    assertThat(secret).hasSizeGreaterThanOrEqualTo(43);

    TestServer.Response read = server.admin("GET", "/admin/v1/tenants/acme/clients/" + id, null);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().has("client_secret")).isFalse();
    assertThat(read.text()).doesNotContain(secret).doesNotContain("secret_hash")
        .doesNotContain("hash");
    TestServer.Response list = server.admin("GET", "/admin/v1/tenants/acme/clients", null);
    assertThat(list.text()).doesNotContain(secret).doesNotContain("hash");
  }

  @Test
  void listWhenPagedThenEveryClientOnceInOrder() {
    server.createTenant("paged");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(server.createClient("paged", Map.of("name", "c" + i)).get("client_id").asText());
    }
    List<String> seen = new ArrayList<>();
    String after = null;
    for (int page = 0; page < 10; page++) {
      TestServer.Response r = server.admin("GET", "/admin/v1/tenants/paged/clients?limit=2"
          + (after == null ? "" : "&after=" + after), null);
      assertThat(r.status()).isEqualTo(200);
      r.json().get("items").forEach(c -> seen.add(c.get("client_id").asText()));
      JsonNode next = r.json().get("next_after");
      if (next == null) {
        break;
      }
      after = next.asText();
    }
    assertThat(seen).containsExactlyElementsOf(ids.stream().sorted().toList());
  }

  @Test
  void deleteWhenClientExistsThen204ThenGone() {
    String id = server.createClient("acme", Map.of("name", "doomed")).get("client_id").asText();
    assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/clients/" + id, null).status())
        .isEqualTo(204);
    assertThat(server.admin("GET", "/admin/v1/tenants/acme/clients/" + id, null).status())
        .isEqualTo(404);
    assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/clients/" + id, null).status())
        .isEqualTo(404);
  }

  @Test
  void clientWhenAddressedThroughAnotherTenantThen404() {
    server.createTenant("other");
    String id = server.createClient("acme", Map.of("name", "mine")).get("client_id").asText();
    assertThat(server.admin("GET", "/admin/v1/tenants/other/clients/" + id, null).status())
        .isEqualTo(404);
    assertThat(server.admin("DELETE", "/admin/v1/tenants/other/clients/" + id, null).status())
        .isEqualTo(404);
    assertThat(server.admin("POST", "/admin/v1/tenants/other/clients/" + id + "/secret", null)
        .status()).isEqualTo(404);
    assertThat(server.admin("GET", "/admin/v1/tenants/acme/clients/" + id, null).status())
        .isEqualTo(200);
  }

  @Test
  void newSecretWhenClientHasNoSecretThen409() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    Map<String, Object> jwks = TestServer.JSON.readValue(
        new JWKSet(ec.toPublicJWK()).toString(true), Map.class);
    JsonNode c = server.createClient("acme", Map.of("name", "pk",
        "token_endpoint_auth_method", "private_key_jwt", "jwks", jwks));
    assertThat(c.has("client_secret")).isFalse();
    TestServer.Response r = server.admin("POST",
        "/admin/v1/tenants/acme/clients/" + c.get("client_id").asText() + "/secret", null);
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void createWhenJwksHoldsAPrivateKeyThen400AndNothingStored() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    Map<String, Object> jwks = TestServer.JSON.readValue(new JWKSet(ec).toString(false),
        Map.class);
    TestServer.Response r = server.admin("POST", "/admin/v1/tenants/acme/clients",
        Map.of("name", "leaky", "token_endpoint_auth_method", "private_key_jwt", "jwks", jwks));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("detail").asText()).contains("public");
  }
}
