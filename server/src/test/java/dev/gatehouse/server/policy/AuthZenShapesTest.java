package dev.gatehouse.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The request shapes of the OpenID AuthZEN Authorization API 1.0 that its interop decision files
 * and certification scenario send: unknown fields, properties that add to stored entities,
 * fractional numbers and null, a key in both context and action.properties, a subject that is
 * also the resource, and a body that is not JSON.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("AuthZEN Authorization API 1.0 request shapes")
class AuthZenShapesTest {

  private TestServer server;
  private String pep;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("zen");
    TestServer.Response put = server.admin("PUT", "/admin/v1/tenants/zen/policies", Map.of(
        "policies", """
        @id("admin-in-eng")
        permit(principal, action == Action::"read", resource)
          when { principal has role && principal.role == "admin"
                 && principal has department && principal.department == "eng" };
        @id("high-score")
        permit(principal, action == Action::"score", resource)
          when { context has score && context.score.greaterThan(decimal("0.5")) };
        @id("self-with-both")
        permit(principal, action == Action::"self", resource)
          when { principal == resource && resource has a && resource has b };
        @id("context-wins")
        permit(principal, action == Action::"pick", resource)
          when { context has k && context.k == "from-context" };
        """));
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    TestServer.Response e = server.send(HttpRequest.newBuilder(URI.create(server.httpUrl()
            + "/admin/v1/tenants/zen/entities"))
        .header("Authorization", "Bearer " + server.adminToken())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("[{\"uid\":{\"type\":\"user\",\"id\":\"rick\"},"
            + "\"attrs\":{\"role\":\"admin\"},\"parents\":[]}]")).build());
    assertThat(e.status()).as("%s", e).isEqualTo(200);
    pep = server.clientToken("zen", "pep", "authorize");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private TestServer.Response post(String path, String contentType, String body) {
    return server.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/t/zen" + path))
        .header("Authorization", "Bearer " + pep)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private boolean decision(String body) {
    TestServer.Response r = post("/access/v1/evaluation", "application/json", body);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("decision").asBoolean();
  }

  @Test
  void evaluationWhenUnknownFieldsAtEveryLevelThenIgnored() {
    assertThat(decision("{\"subject\":{\"type\":\"user\",\"id\":\"rick\",\"x-sub\":1,"
        + "\"properties\":{\"department\":\"eng\"}},\"action\":{\"name\":\"read\",\"x-act\":true},"
        + "\"resource\":{\"type\":\"doc\",\"id\":\"d\",\"x-res\":[]},\"x-top\":{}}")).isTrue();
    TestServer.Response batch = post("/access/v1/evaluations", "application/json",
        "{\"subject\":{\"type\":\"user\",\"id\":\"rick\",\"properties\":{\"department\":"
            + "\"eng\"}},\"x-batch\":1,\"evaluations\":[{\"action\":{\"name\":\"read\"},"
            + "\"resource\":{\"type\":\"doc\",\"id\":\"d\"},\"x-item\":\"?\"}]}");
    assertThat(batch.status()).as("%s", batch).isEqualTo(200);
    assertThat(batch.json().at("/evaluations/0/decision").asBoolean()).as("%s", batch).isTrue();
  }

  @Test
  void evaluationWhenPropertiesGivenThenTheyAddToTheStoredEntity() {
    // The stored user::"rick" has role admin; the request adds department only.
    assertThat(decision("{\"subject\":{\"type\":\"user\",\"id\":\"rick\",\"properties\":"
        + "{\"department\":\"eng\"}},\"action\":{\"name\":\"read\"},\"resource\":{\"type\":"
        + "\"doc\",\"id\":\"d\"}}")).isTrue();
    // A property of the same name wins for this decision.
    assertThat(decision("{\"subject\":{\"type\":\"user\",\"id\":\"rick\",\"properties\":"
        + "{\"department\":\"eng\",\"role\":\"viewer\"}},\"action\":{\"name\":\"read\"},"
        + "\"resource\":{\"type\":\"doc\",\"id\":\"d\"}}")).isFalse();
  }

  @Test
  void evaluationWhenFractionalNumberThenCedarDecimal() {
    assertThat(decision("{\"subject\":{\"type\":\"user\",\"id\":\"u\"},\"action\":{\"name\":"
        + "\"score\"},\"resource\":{\"type\":\"doc\",\"id\":\"d\"},\"context\":{\"score\":0.75}}"))
        .isTrue();
    assertThat(decision("{\"subject\":{\"type\":\"user\",\"id\":\"u\"},\"action\":{\"name\":"
        + "\"score\"},\"resource\":{\"type\":\"doc\",\"id\":\"d\"},\"context\":{\"score\":0.25}}"))
        .isFalse();
  }

  @Test
  void evaluationWhenNullValuesThenLeftOut() {
    assertThat(decision("{\"subject\":{\"type\":\"user\",\"id\":\"u\",\"properties\":{\"p\":"
        + "null}},\"action\":{\"name\":\"score\",\"properties\":{\"q\":null}},\"resource\":"
        + "{\"type\":\"doc\",\"id\":\"d\"},\"context\":{\"score\":null,\"list\":[1,null]}}"))
        .isFalse();
  }

  @Test
  void evaluationWhenNumberNotADecimalThen400NamingIt() {
    TestServer.Response r = post("/access/v1/evaluation", "application/json",
        "{\"subject\":{\"type\":\"user\",\"id\":\"u\"},\"action\":{\"name\":\"score\"},"
            + "\"resource\":{\"type\":\"doc\",\"id\":\"d\"},\"context\":{\"pi\":3.14159}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.text()).contains("3.14159");
  }

  @Test
  void evaluationWhenKeyInContextAndActionPropertiesThenContextWins() {
    assertThat(decision("{\"subject\":{\"type\":\"user\",\"id\":\"u\"},\"action\":{\"name\":"
        + "\"pick\",\"properties\":{\"k\":\"from-action\"}},\"resource\":{\"type\":\"doc\","
        + "\"id\":\"d\"},\"context\":{\"k\":\"from-context\"}}")).isTrue();
  }

  @Test
  void evaluationWhenSubjectIsTheResourceWithPropertiesOnBothThenBothApply() {
    assertThat(decision("{\"subject\":{\"type\":\"user\",\"id\":\"s\",\"properties\":{\"a\":1}},"
        + "\"action\":{\"name\":\"self\"},\"resource\":{\"type\":\"user\",\"id\":\"s\","
        + "\"properties\":{\"b\":2}}}")).isTrue();
  }

  @Test
  void evaluationWhenBodyIsNotJsonThen400() {
    TestServer.Response r = post("/access/v1/evaluation", "text/plain", "{}");
    assertThat(r.status()).isEqualTo(400);
  }
}
