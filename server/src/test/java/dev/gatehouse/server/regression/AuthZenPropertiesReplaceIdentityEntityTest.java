package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GH-14: AuthZEN {@code subject.properties} replaced the projected {@code Gatehouse::User} entity
 * for the decision (its attributes, and with them its parents: the user dropped out of its
 * groups, or took attributes it does not have), while {@code /v1/authorize} refused the same.
 * The identity namespace is read-only on every path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthZenPropertiesReplaceIdentityEntityTest {

  private TestServer server;
  private String pep;
  private String userId;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("ident");
    assertThat(server.admin("PUT", "/admin/v1/tenants/ident/policies", Map.of("policies", """
        @id("cleared")
        permit(principal, action == Action::"read", resource)
          when { principal has attributes && principal.attributes has clearance
                 && principal.attributes.clearance >= 3 };
        """)).status()).isEqualTo(200);
    userId = server.admin("POST", "/admin/v1/tenants/ident/users",
        Map.of("username", "mallory", "attributes", Map.of("clearance", 1))).json().get("id")
        .asText();
    pep = server.clientToken("ident", "pep", "authorize");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private TestServer.Response post(String path, String body) {
    return server.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/t/ident" + path))
        .header("Authorization", "Bearer " + pep)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private String subject() {
    return "{\"type\":\"Gatehouse::User\",\"id\":\"" + userId + "\",\"properties\":"
        + "{\"attributes\":{\"clearance\":5}}}";
  }

  @Test
  void evaluationWhenSubjectPropertiesOnIdentityEntityThenBadRequest() {
    TestServer.Response r = post("/access/v1/evaluation", "{\"subject\":" + subject()
        + ",\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"Doc\",\"id\":\"d\"}}");
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.text()).contains("read-only");
  }

  @Test
  void evaluationWhenResourcePropertiesOnIdentityEntityThenBadRequest() {
    TestServer.Response r = post("/access/v1/evaluation", "{\"subject\":{\"type\":\"Doc\","
        + "\"id\":\"x\"},\"action\":{\"name\":\"read\"},\"resource\":{\"type\":"
        + "\"Gatehouse::Group\",\"id\":\"staff\",\"properties\":{}}}");
    assertThat(r.status()).as(r.text()).isEqualTo(400);
  }

  @Test
  void evaluationsBatchWhenSubjectPropertiesOnIdentityEntityThenItemErrorAndNoAllow() {
    TestServer.Response r = post("/access/v1/evaluations", "{\"evaluations\":[{\"subject\":"
        + subject() + ",\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"Doc\","
        + "\"id\":\"d\"}}]}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode item = r.json().get("evaluations").get(0);
    assertThat(item.get("decision").asBoolean()).isFalse();
    assertThat(item.get("context").get("error").get("status").asInt()).isEqualTo(400);
  }

  @Test
  void withoutPropertiesTheStoredAttributesDecide() {
    TestServer.Response r = post("/access/v1/evaluation", "{\"subject\":{\"type\":"
        + "\"Gatehouse::User\",\"id\":\"" + userId + "\"},\"action\":{\"name\":\"read\"},"
        + "\"resource\":{\"type\":\"Doc\",\"id\":\"d\"}}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().get("decision").asBoolean()).isFalse();
  }

  @Test
  void authorizeWhenEntitiesInIdentityNamespaceThenBadRequest() {
    TestServer.Response r = post("/v1/authorize", "{\"principal\":{\"type\":\"Gatehouse::User\","
        + "\"id\":\"" + userId + "\"},\"action\":\"read\",\"resource\":{\"type\":\"Doc\","
        + "\"id\":\"d\"},\"entities\":[{\"uid\":{\"type\":\"Gatehouse::User\",\"id\":\""
        + userId + "\"},\"attrs\":{\"attributes\":{\"clearance\":5}},\"parents\":[]}]}");
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.text()).contains("read-only");
  }
}
