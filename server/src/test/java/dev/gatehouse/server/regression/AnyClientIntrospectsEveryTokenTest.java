package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GH-15: any confidential client of a tenant could introspect every token of the tenant and read
 * its subject, scope and client. RFC 7662 §4: the server "MUST determine whether or not the
 * protected resource is allowed to introspect the token". Now only the client the token was
 * issued to and the resource servers in its audience learn anything; every other client gets
 * {@code {"active": false}}, as Keycloak 26 answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnyClientIntrospectsEveryTokenTest {

  private TestServer server;
  private JsonNode api;
  private JsonNode snoop;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("gh15");
    api = server.createClient("gh15", Map.of("name", "invoice-api"));
    snoop = server.createClient("gh15", Map.of("name", "snoop"));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String token(JsonNode client) {
    return server.postForm("/t/gh15/oauth2/token", "grant_type=client_credentials",
        UserSignIn.basic(client)).json().get("access_token").asText();
  }

  private JsonNode introspect(JsonNode as, String token) {
    TestServer.Response r = server.postForm("/t/gh15/oauth2/introspect", "token=" + token,
        UserSignIn.basic(as));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  @Test
  void whenAClientOutsideTheAudienceIntrospectsThenInactiveAndNothingElse() {
    for (String format : new String[] {"jwt", "opaque"}) {
      JsonNode billing = server.createClient("gh15", Map.of("name", "billing-" + format,
          "token_format", format, "audience", List.of(api.get("client_id").asText())));
      String token = token(billing);
      JsonNode seen = introspect(snoop, token);
      assertThat(seen.get("active").asBoolean()).as(format).isFalse();
      assertThat(seen.size()).isEqualTo(1);
      // The resource server the token is for, and the client it was issued to, may.
      JsonNode forApi = introspect(api, token);
      assertThat(forApi.get("active").asBoolean()).as(format).isTrue();
      assertThat(forApi.get("aud").asText()).isEqualTo(api.get("client_id").asText());
      assertThat(introspect(billing, token).get("active").asBoolean()).isTrue();
    }
  }

  @Test
  void whenTokenHasTheDefaultAudienceThenOnlyItsClientMayIntrospect() {
    JsonNode billing = server.createClient("gh15", Map.of("name", "billing-default"));
    String token = token(billing);
    assertThat(introspect(api, token).get("active").asBoolean()).isFalse();
    assertThat(introspect(billing, token).get("active").asBoolean()).isTrue();
  }
}
