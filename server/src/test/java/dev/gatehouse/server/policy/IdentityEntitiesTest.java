package dev.gatehouse.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Users, groups and roles take part in decisions as {@code Gatehouse::} entities, and a change to
 * them (a membership, a role, an attribute) changes the next decision.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityEntitiesTest {

  private TestServer server;
  private String pep;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("people");
    assertThat(server.admin("PUT", "/admin/v1/tenants/people/policies", Map.of("policies", """
        @id("staff-read")
        permit(principal in Gatehouse::Group::"staff", action == Action::"read", resource);
        @id("auditors-audit")
        permit(principal in Gatehouse::Role::"auditor", action == Action::"audit", resource)
          when { principal.attributes.clearance >= 3 };
        """)).status()).isEqualTo(200);
    pep = server.clientToken("people", "pep", "authorize");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void groupMembershipThroughParentGroupAllowsAndRemovalDenies() {
    server.admin("POST", "/admin/v1/tenants/people/groups", Map.of("name", "staff"));
    server.admin("POST", "/admin/v1/tenants/people/groups",
        Map.of("name", "engineering", "parent", "staff"));
    String id = server.admin("POST", "/admin/v1/tenants/people/users",
        Map.of("username", "alice")).json().get("id").asText();
    assertThat(decide(id, "read")).isEqualTo("deny");

    server.admin("PUT", "/admin/v1/tenants/people/groups/engineering/members/" + id, null);
    assertThat(decide(id, "read")).isEqualTo("allow");

    server.admin("DELETE", "/admin/v1/tenants/people/groups/engineering/members/" + id, null);
    assertThat(decide(id, "read")).isEqualTo("deny");
  }

  @Test
  void roleAndCustomAttributesTakePartInConditions() {
    String id = server.admin("POST", "/admin/v1/tenants/people/users",
        Map.of("username", "bob", "attributes", Map.of("clearance", 2))).json().get("id")
        .asText();
    server.admin("PUT", "/admin/v1/tenants/people/users/" + id + "/roles",
        Map.of("roles", List.of("auditor")));
    assertThat(decide(id, "audit")).isEqualTo("deny");
    server.admin("PATCH", "/admin/v1/tenants/people/users/" + id,
        Map.of("attributes", Map.of("clearance", 3)));
    assertThat(decide(id, "audit")).isEqualTo("allow");
  }

  private String decide(String userId, String action) {
    String body = "{\"principal\":{\"type\":\"Gatehouse::User\",\"id\":\"" + userId + "\"},"
        + "\"action\":\"" + action + "\",\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},"
        + "\"context\":{}}";
    TestServer.Response r = server.send(HttpRequest.newBuilder(
            URI.create(server.httpUrl() + "/t/people/v1/authorize"))
        .header("Authorization", "Bearer " + pep)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().get("decision").asText();
  }
}
