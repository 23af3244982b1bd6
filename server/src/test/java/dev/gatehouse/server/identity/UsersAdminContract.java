package dev.gatehouse.server.identity;

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

/** Users, groups and roles through the admin API, as an operator manages them; per database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UsersAdminContract {

  private TestServer server;

  abstract TestDatabase database();

  @BeforeAll
  void start() {
    server = TestServer.start(database());
    server.createTenant("acme");
    server.createTenant("globex");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private TestServer.Response post(String path, Object body) {
    return server.admin("POST", "/admin/v1/tenants/acme" + path, body);
  }

  @Test
  void createUserWhenValidThenCreatedWithoutAnyHashInTheAnswer() {
    TestServer.Response r = post("/users", Map.of("username", "alice", "email",
        "alice@example.com", "password", "purple-otter-sings", "display_name", "Alice"));
    assertThat(r.status()).isEqualTo(201);
    JsonNode u = r.json();
    assertThat(u.get("username").asText()).isEqualTo("alice");
    assertThat(u.get("has_password").asBoolean()).isTrue();
    assertThat(r.text()).doesNotContain("argon2").doesNotContain("purple-otter-sings");

    TestServer.Response fetched = server.admin("GET", "/admin/v1/tenants/acme/users/"
        + u.get("id").asText(), null);
    assertThat(fetched.json().get("email").asText()).isEqualTo("alice@example.com");
  }

  @Test
  void createUserWhenUsernameTakenInAnyCaseThenConflict() {
    assertThat(post("/users", Map.of("username", "Bob")).status()).isEqualTo(201);
    TestServer.Response again = post("/users", Map.of("username", "bob"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.header("Content-Type")).startsWith("application/problem+json");
    // The same name in another tenant is another person.
    assertThat(server.admin("POST", "/admin/v1/tenants/globex/users",
        Map.of("username", "bob")).status()).isEqualTo(201);
  }

  @Test
  void createUserWhenPasswordWeakThenRefusedWithReason() {
    TestServer.Response r = post("/users", Map.of("username", "carol", "password", "password1"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("detail").asText()).contains("too common");
    TestServer.Response shortOne = post("/users", Map.of("username", "carol", "password", "x1"));
    assertThat(shortOne.json().get("detail").asText()).contains("at least 8");
  }

  @Test
  void createUserWhenImportingUnknownHashFormatThenRefused() {
    TestServer.Response r = post("/users", Map.of("username", "dave", "password_hash",
        "md5:5f4dcc3b5aa765d61d8327deb882cf99"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(post("/users", Map.of("username", "dave", "password_hash",
        "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")).status()).isEqualTo(201);
  }

  @Test
  void listUsersWhenSearchingAndPagingThenPrefixMatchesInOrder() {
    for (String name : List.of("page-a", "page-b", "page-c")) {
      post("/users", Map.of("username", name, "email", name + "@paging.example"));
    }
    JsonNode first = server.admin("GET", "/admin/v1/tenants/acme/users?q=page-&limit=2", null)
        .json();
    assertThat(first.get("items")).extracting(n -> n.get("username").asText())
        .containsExactly("page-a", "page-b");
    JsonNode second = server.admin("GET", "/admin/v1/tenants/acme/users?q=page-&limit=2&after="
        + first.get("next_after").asText(), null).json();
    assertThat(second.get("items")).extracting(n -> n.get("username").asText())
        .containsExactly("page-c");
    JsonNode byEmail = server.admin("GET", "/admin/v1/tenants/acme/users?q=PAGE-B%40", null)
        .json();
    assertThat(byEmail.get("items")).hasSize(1);
    JsonNode otherTenant = server.admin("GET", "/admin/v1/tenants/globex/users?q=page-", null)
        .json();
    assertThat(otherTenant.get("items")).isEmpty();
  }

  @Test
  void updateUserWhenDisabledAndEmailChangedThenStoredAndVerificationReset() {
    String id = post("/users", Map.of("username", "erin", "email", "erin@example.com",
        "email_verified", true)).json().get("id").asText();
    JsonNode updated = server.admin("PATCH", "/admin/v1/tenants/acme/users/" + id,
        Map.of("email", "erin@new.example", "disabled", true)).json();
    assertThat(updated.get("disabled").asBoolean()).isTrue();
    assertThat(updated.get("email_verified").asBoolean()).isFalse();
    assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/users/" + id, null).status())
        .isEqualTo(204);
    assertThat(server.admin("GET", "/admin/v1/tenants/acme/users/" + id, null).status())
        .isEqualTo(404);
  }

  @Test
  void groupsWhenNestedThenUserHasInheritedGroupsAndRoles() {
    assertThat(post("/groups", Map.of("name", "staff")).status()).isEqualTo(201);
    assertThat(post("/groups", Map.of("name", "engineering", "parent", "staff")).status())
        .isEqualTo(201);
    assertThat(post("/groups", Map.of("name", "orphan", "parent", "missing")).status())
        .isEqualTo(400);
    String id = post("/users", Map.of("username", "frank")).json().get("id").asText();
    assertThat(server.admin("PUT", "/admin/v1/tenants/acme/groups/engineering/members/" + id,
        null).status()).isEqualTo(204);
    assertThat(server.admin("PUT", "/admin/v1/tenants/acme/users/" + id + "/roles",
        Map.of("roles", List.of("billing-admin"))).status()).isEqualTo(200);
    JsonNode u = server.admin("GET", "/admin/v1/tenants/acme/users/" + id, null).json();
    assertThat(u.get("groups")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("engineering", "staff");
    assertThat(u.get("roles")).extracting(JsonNode::asText).containsExactly("billing-admin");
    // A user of acme cannot be put into a group through globex.
    assertThat(server.admin("PUT", "/admin/v1/tenants/globex/groups/staff/members/" + id, null)
        .status()).isEqualTo(404);
  }

  @Test
  void passwordPolicyWhenRaisedThenNewPasswordsMeasuredAgainstIt() {
    assertThat(server.admin("PUT", "/admin/v1/tenants/globex/password-policy",
        Map.of("min_length", 14)).status()).isEqualTo(200);
    TestServer.Response r = server.admin("POST", "/admin/v1/tenants/globex/users",
        Map.of("username", "gina", "password", "purple-otter"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("detail").asText()).contains("at least 14");
    assertThat(server.admin("PUT", "/admin/v1/tenants/globex/password-policy",
        Map.of("min_length", 0)).status()).isEqualTo(400);
  }

  @Test
  void adminCallsWhenBodyBadThenProblemJson() {
    assertThat(post("/users", Map.of("username", "h", "unknown", 1)).status()).isEqualTo(400);
    assertThat(post("/users", Map.of("username", 42)).status()).isEqualTo(400);
    assertThat(post("/users", Map.of("username", "h", "attributes", "nope")).status())
        .isEqualTo(400);
    assertThat(server.admin("GET", "/admin/v1/tenants/acme/users?limit=0", null).status())
        .isEqualTo(400);
  }
}
