package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Found in the sweep after GH-02 (credentials outliving their owner): deleting a client left its
 * access tokens active until they expired, at introspection and, for an admin client of the
 * {@code system} tenant, at the admin API, so a deleted admin client kept its admin access for
 * up to the token lifetime. A token now ends with its client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeletedClientTokensStayActiveTest {

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("sweep");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String token(String tenant, JsonNode client, String scope) {
    TestServer.Response r = server.postForm("/t/" + tenant + "/oauth2/token",
        "grant_type=client_credentials" + (scope == null ? "" : "&scope=" + scope),
        UserSignIn.basic(client));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("access_token").asText();
  }

  @Test
  void whenClientDeletedThenItsTokensAreInactiveAtIntrospection() {
    JsonNode api = server.createClient("sweep", Map.of("name", "api"));
    for (String format : new String[] {"jwt", "opaque"}) {
      JsonNode doomed = server.createClient("sweep", Map.of("name", "doomed-" + format,
          "token_format", format, "audience", List.of(api.get("client_id").asText())));
      String token = token("sweep", doomed, null);
      String introspect = "/t/sweep/oauth2/introspect";
      assertThat(server.postForm(introspect, "token=" + token, UserSignIn.basic(api)).json()
          .get("active").asBoolean()).isTrue();
      assertThat(server.admin("DELETE", "/admin/v1/tenants/sweep/clients/"
          + doomed.get("client_id").asText(), null).status()).isEqualTo(204);
      assertThat(server.postForm(introspect, "token=" + token, UserSignIn.basic(api)).json()
          .get("active").asBoolean()).as(format).isFalse();
    }
  }

  @Test
  void whenAdminClientDeletedThenItsTokenNoLongerOpensTheAdminApi() {
    JsonNode admin = server.createClient("system", Map.of("name", "second-admin",
        "scope", "admin"));
    String token = token("system", admin, "admin");
    HttpRequest list = HttpRequest.newBuilder(URI.create(server.httpUrl()
        + "/admin/v1/tenants")).header("Authorization", "Bearer " + token).GET().build();
    assertThat(server.send(list).status()).isEqualTo(200);
    assertThat(server.admin("DELETE", "/admin/v1/tenants/system/clients/"
        + admin.get("client_id").asText(), null).status()).isEqualTo(204);
    assertThat(server.send(list).status()).isEqualTo(401);
  }
}
