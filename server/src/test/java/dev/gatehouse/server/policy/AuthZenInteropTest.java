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
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every request of the OpenID AuthZEN working group's current interop decision files (the Todo
 * application, Authorization API 1.0 shapes 01 and 02 with batch evaluations, and the API gateway
 * scenario), copied into {@code src/test/resources/authzen-interop/} with their licence, answered
 * by {@code /access/v1/evaluation(s)} as the files expect. The Todo application's rules are
 * written in Cedar below; its users are stored entities, once per subject type the files use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("AuthZEN 1.0 interop decision files")
class AuthZenInteropTest {

  /** The Todo application's users (interop scenario): subject id, email, roles. */
  private static final List<List<Object>> USERS = List.of(
      List.of("CiRmZDA2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs",
          "rick@the-citadel.com", List.of("admin", "evil_genius")),
      List.of("CiRmZDE2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs",
          "morty@the-citadel.com", List.of("editor")),
      List.of("CiRmZDI2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs",
          "summer@the-smiths.com", List.of("editor")),
      List.of("CiRmZDM2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs",
          "beth@the-smiths.com", List.of("viewer")),
      List.of("CiRmZDQ2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs",
          "jerry@the-smiths.com", List.of("viewer")));

  private static final String POLICIES = """
      @id("anyone-reads")
      permit(principal, action in [Action::"can_read_user", Action::"can_read_todos"], resource);
      @id("admins-and-editors-create")
      permit(principal, action == Action::"can_create_todo", resource)
        when { principal has roles
               && (principal.roles.contains("admin") || principal.roles.contains("editor")) };
      @id("evil-geniuses-update-any")
      permit(principal, action == Action::"can_update_todo", resource)
        when { principal has roles && principal.roles.contains("evil_genius") };
      @id("admins-delete-any")
      permit(principal, action == Action::"can_delete_todo", resource)
        when { principal has roles && principal.roles.contains("admin") };
      @id("editors-change-their-own")
      permit(principal, action in [Action::"can_update_todo", Action::"can_delete_todo"], resource)
        when { principal has roles && principal.roles.contains("editor") && principal has email
               && resource has ownerID && resource.ownerID == principal.email };
      @id("gateway-anyone-gets")
      permit(principal is identity, action == Action::"GET", resource is route);
      @id("gateway-editors-write")
      permit(principal is identity, action in [Action::"POST", Action::"PUT", Action::"DELETE"],
             resource is route)
        when { principal has roles
               && (principal.roles.contains("admin") || principal.roles.contains("editor")) };
      """;

  private TestServer server;
  private String pep;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("interop");
    TestServer.Response put = server.admin("PUT", "/admin/v1/tenants/interop/policies",
        Map.of("policies", POLICIES));
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    List<Map<String, Object>> entities = new ArrayList<>();
    for (List<Object> u : USERS) {
      for (String type : List.of("user", "identity")) {
        entities.add(Map.of("uid", Map.of("type", type, "id", u.get(0)),
            "attrs", Map.of("email", u.get(1), "roles", u.get(2)), "parents", List.of()));
      }
    }
    TestServer.Response e = post("/admin/v1/tenants/interop/entities", server.adminToken(),
        TestServer.JSON.valueToTree(entities).toString());
    assertThat(e.status()).as("%s", e).isEqualTo(200);
    pep = server.clientToken("interop", "pep", "authorize");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private TestServer.Response post(String path, String token, String body) {
    return server.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + path))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static JsonNode file(String name) {
    try (InputStream in = AuthZenInteropTest.class.getResourceAsStream("/authzen-interop/"
        + name)) {
      assertThat(in).as(name).isNotNull();
      return TestServer.JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRequestOfTheCurrentDecisionFiles() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : List.of("todo-decisions-authorization-api-1_0-01.json",
        "todo-decisions-authorization-api-1_0-02.json", "api-gateway-decisions.json")) {
      JsonNode f = file(name);
      int i = 0;
      for (JsonNode c : f.path("evaluation")) {
        int n = ++i;
        tests.add(DynamicTest.dynamicTest(name + " evaluation " + n, () -> {
          TestServer.Response r = post("/t/interop/access/v1/evaluation", pep,
              c.get("request").toString());
          assertThat(r.status()).as("%s", r).isEqualTo(200);
          assertThat(r.json().get("decision").asBoolean()).as("%s -> %s", c.get("request"), r)
              .isEqualTo(c.get("expected").asBoolean());
        }));
      }
      int j = 0;
      for (JsonNode c : f.path("evaluations")) {
        int n = ++j;
        tests.add(DynamicTest.dynamicTest(name + " evaluations " + n, () -> {
          TestServer.Response r = post("/t/interop/access/v1/evaluations", pep,
              c.get("request").toString());
          assertThat(r.status()).as("%s", r).isEqualTo(200);
          JsonNode got = r.json().get("evaluations");
          JsonNode want = c.get("expected");
          assertThat(got.size()).as("%s", r).isEqualTo(want.size());
          for (int k = 0; k < want.size(); k++) {
            assertThat(got.get(k).get("decision").asBoolean()).as("item %d of %s", k, r)
                .isEqualTo(want.get(k).get("decision").asBoolean());
          }
        }));
      }
    }
    return tests.stream();
  }
}
