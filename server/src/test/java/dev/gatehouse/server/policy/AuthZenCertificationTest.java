package dev.gatehouse.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenID AuthZEN working group's certification scenario for the Authorization API 1.0, at
 * the levels Gatehouse offers: Basic and Batch (Core and Properties), the transport and header
 * requirements that apply to every level, and Discovery. Search is not offered, so its level is
 * not run. The scenario's requests and expected answers are transcribed, with their section
 * numbers, in {@code src/test/resources/authzen-certification/scenario-1_0.json}; its fixture
 * (two users, two records, eight decisions) is written in Cedar below.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("AuthZEN 1.0 certification scenario")
class AuthZenCertificationTest {

  /**
   * The fixture's eight decisions (scenario C.1.4): any user reads a record; alice writes what is
   * not archived; an admin writes what is archived; alice deletes softly only.
   */
  private static final String FIXTURE_POLICIES = """
      @id("users-read-records")
      permit(principal is user, action == Action::"read", resource is record);
      @id("alice-writes-live-records")
      permit(principal == user::"alice", action == Action::"write", resource is record)
        unless { resource has status && resource.status == "archived" };
      @id("admins-write-archived-records")
      permit(principal is user, action == Action::"write", resource is record)
        when { principal has role && principal.role == "admin"
               && resource has status && resource.status == "archived" };
      @id("alice-deletes-softly")
      permit(principal == user::"alice", action == Action::"delete", resource is record)
        when { context has soft && context.soft == true };
      """;

  /** The fixture's entities (scenario C.1.1 and C.1.2). */
  private static final List<Map<String, Object>> FIXTURE_ENTITIES = List.of(
      entity("user", "alice", Map.of()),
      entity("user", "bob", Map.of("role", "admin")),
      entity("record", "record-1", Map.of("status", "active")),
      entity("record", "record-2", Map.of("status", "archived")));

  private static final String PDP_BASE = "https://pdp.certification.test";

  private TestServer server;
  private String pep;

  private static Map<String, Object> entity(String type, String id, Map<String, Object> attrs) {
    return Map.of("uid", Map.of("type", type, "id", id), "attrs", attrs, "parents", List.of());
  }

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_SERVER_BASE_URL", PDP_BASE));
    server.createTenant("cert");
    TestServer.Response put = server.admin("PUT", "/admin/v1/tenants/cert/policies",
        Map.of("policies", FIXTURE_POLICIES));
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    TestServer.Response e = server.send(HttpRequest.newBuilder(URI.create(server.httpUrl()
            + "/admin/v1/tenants/cert/entities"))
        .header("Authorization", "Bearer " + server.adminToken())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            TestServer.JSON.valueToTree(FIXTURE_ENTITIES).toString())).build());
    assertThat(e.status()).as("%s", e).isEqualTo(200);
    pep = server.clientToken("cert", "pep", "authorize");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private TestServer.Response post(String path, String contentType, String body,
      String requestId) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.httpUrl() + "/t/cert" + path))
        .header("Authorization", "Bearer " + pep)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (requestId != null) {
      b.header("X-Request-ID", requestId);
    }
    return server.send(b.build());
  }

  private static JsonNode scenario() {
    try (InputStream in = AuthZenCertificationTest.class.getResourceAsStream(
        "/authzen-certification/scenario-1_0.json")) {
      assertThat(in).isNotNull();
      return TestServer.JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sections C.2.2, C.2.3, C.2.4, C.3.2, C.3.3 and C.3.4, one dynamic test per request. */
  @TestFactory
  Stream<DynamicTest> everyBasicAndBatchCase() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : scenario().get("cases")) {
      String name = "C." + c.get("id").asText() + " (" + c.get("level").asText() + ")";
      tests.add(DynamicTest.dynamicTest(name, () -> check(c)));
    }
    return tests.stream();
  }

  private void check(JsonNode c) {
    JsonNode body = c.get("body");
    String text = body.isTextual() ? body.asText() : body.toString();
    String type = c.has("contentType") ? c.get("contentType").asText() : "application/json";
    TestServer.Response r = post(c.get("path").asText(), type, text, null);
    assertThat(r.status()).as("%s", r).isEqualTo(c.get("status").asInt());
    if (r.status() != 200) {
      return;
    }
    // C.5 item 2: a successful answer is JSON.
    assertThat(r.header("Content-Type")).startsWith("application/json");
    JsonNode answer = r.json();
    if (c.has("decision")) {
      assertDecision(answer, c.get("decision").asBoolean(), r);
    }
    if (c.has("decisions")) {
      JsonNode expected = c.get("decisions");
      JsonNode items = answer.get("evaluations");
      // C.3.3: same length and order as the request's evaluations, each with a boolean decision.
      assertThat(items).as("%s", r).isNotNull();
      assertThat(items.size()).as("%s", r).isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        JsonNode want = expected.get(i);
        if (want.isNull()) {
          assertThat(items.get(i).get("decision").isBoolean()).as("item %d of %s", i, r).isTrue();
        } else {
          assertDecision(items.get(i), want.asBoolean(), r);
        }
      }
    }
  }

  /** C.2.3: {@code decision} is a boolean; a {@code context}, when present, is an object. */
  private static void assertDecision(JsonNode answer, boolean expected, TestServer.Response r) {
    assertThat(answer.get("decision")).as("%s", r).isNotNull();
    assertThat(answer.get("decision").isBoolean()).as("%s", r).isTrue();
    assertThat(answer.get("decision").asBoolean()).as("%s", r).isEqualTo(expected);
    if (answer.has("context")) {
      assertThat(answer.get("context").isObject()).as("%s", r).isTrue();
    }
  }

  @Nested
  @DisplayName("C.2.5 header handling")
  class Headers {
    private static final String ALICE_READS = "{\"subject\":{\"type\":\"user\",\"id\":\"alice\"},"
        + "\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"record\",\"id\":\"record-1\"}}";

    @Test
    void evaluationWhenRequestIdGivenThenEchoed() {
      for (String path : List.of("/access/v1/evaluation", "/access/v1/evaluations")) {
        TestServer.Response r = post(path, "application/json", ALICE_READS, "cert-7f3a");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.header("X-Request-ID")).as(path).isEqualTo("cert-7f3a");
      }
    }

    @Test
    void evaluationWhenRequestIdAbsentThenAnswered() {
      TestServer.Response r = post("/access/v1/evaluation", "application/json", ALICE_READS, null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("decision").asBoolean()).isTrue();
    }

    @Test
    void errorWhenRequestIdGivenThenEchoedToo() {
      TestServer.Response r = post("/access/v1/evaluation", "application/json", "{}", "cert-e1");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.header("X-Request-ID")).isEqualTo("cert-e1");
    }

    @Test
    void evaluationWhenSentRepeatedlyThenTheSameDecision() {
      // C.2.6 idempotency: the decision cache must not change an answer.
      for (int i = 0; i < 5; i++) {
        TestServer.Response r = post("/access/v1/evaluation", "application/json",
            ALICE_READS.replace("read", "write").replace("alice", "bob"), null);
        assertThat(r.json().get("decision").asBoolean()).as("request %d", i).isFalse();
      }
    }
  }

  @Nested
  @DisplayName("C.6 discovery")
  class Discovery {
    @Test
    void metadataWhenAskedAtTheWellKnownUriThenItNamesThePdpAndItsEndpoints() {
      // C.6.1: the well-known part is inserted between the host and the PDP's path.
      TestServer.Response r = server.get("/.well-known/authzen-configuration/t/cert");
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(r.header("Content-Type")).startsWith("application/json");
      JsonNode m = r.json();
      // C.6.5: policy_decision_point matches the base URL used for discovery; endpoints are
      // HTTPS URLs.
      assertThat(m.get("policy_decision_point").asText()).isEqualTo(PDP_BASE + "/t/cert");
      assertThat(m.get("access_evaluation_endpoint").asText())
          .isEqualTo(PDP_BASE + "/t/cert/access/v1/evaluation");
      assertThat(m.get("access_evaluations_endpoint").asText())
          .isEqualTo(PDP_BASE + "/t/cert/access/v1/evaluations");
      m.fieldNames().forEachRemaining(f -> {
        if (f.endsWith("_endpoint")) {
          assertThat(URI.create(m.get(f).asText()).getScheme()).as(f).isEqualTo("https");
        }
      });
      // Search is not offered, so it is not advertised.
      assertThat(m.has("search_subject_endpoint")).isFalse();
    }

    @Test
    void metadataWhenTenantUnknownThen404() {
      assertThat(server.get("/.well-known/authzen-configuration/t/nobody").status())
          .isEqualTo(404);
    }
  }
}
