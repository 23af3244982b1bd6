package dev.gatehouse.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Security-relevant events in the outbox: every token issued (by jti or hash, never the token),
 * every revocation, and every administrative change with who made it and what it touched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityEventsTest {

  private TestServer server;
  private String adminId;

  @BeforeAll
  void start() {
    // sync: each token.issued is in the outbox before the token response (async has its own test).
    server = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_WEBHOOKS_ENABLED", "false",
        "GATEHOUSE_EVENTS_TOKEN_ISSUED", "sync"));
    adminId = server.bootstrapAdmin().get("client_id").asText();
    server.createTenant("audit");
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private long mark(String tenant) {
    return server.admin("GET", "/admin/v1/tenants/" + tenant + "/events", null).json()
        .get("last_id").asLong();
  }

  private List<JsonNode> since(String tenant, long after) {
    JsonNode page = server.admin("GET", "/admin/v1/tenants/" + tenant + "/events?after=" + after,
        null).json();
    List<JsonNode> out = new ArrayList<>();
    page.get("items").forEach(out::add);
    return out;
  }

  @Test
  void eventsWhenTenantUnknownThen404ProblemAsEveryAdminApi() {
    TestServer.Response events = server.admin("GET", "/admin/v1/tenants/nobody/events", null);
    TestServer.Response users = server.admin("GET", "/admin/v1/tenants/nobody/users", null);
    assertThat(events.status()).as(events.toString()).isEqualTo(404);
    assertThat(events.header("Content-Type")).startsWith("application/problem+json");
    assertThat(events.json().get("detail").asText()).isEqualTo("no tenant `nobody`")
        .isEqualTo(users.json().get("detail").asText());
  }

  private List<JsonNode> since(String tenant, long after, String type) {
    return since(tenant, after).stream().filter(e -> e.get("type").asText().equals(type))
        .toList();
  }

  private JsonNode token(JsonNode client) {
    TestServer.Response r = server.postForm("/t/audit/oauth2/token",
        "grant_type=client_credentials", TestServer.basic(client.get("client_id").asText(),
            client.get("client_secret").asText()));
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  @Nested
  class Tokens {

    @Test
    void tokenWhenIssuedThenEventNamesClientGrantAndJtiButNotTheToken() {
      JsonNode client = server.createClient("audit", Map.of("name", "svc"));
      long start = mark("audit");
      String token = token(client).get("access_token").asText();
      String jti = server.postForm("/t/audit/oauth2/introspect", "token=" + token,
          TestServer.basic(client.get("client_id").asText(), client.get("client_secret")
              .asText())).json().get("jti").asText();
      List<JsonNode> issued = since("audit", start, "token.issued");
      assertThat(issued).hasSize(1);
      JsonNode p = issued.get(0).get("payload");
      assertThat(p.get("client_id").asText()).isEqualTo(client.get("client_id").asText());
      assertThat(p.get("grant_type").asText()).isEqualTo("client_credentials");
      assertThat(p.get("token_type").asText()).isEqualTo("jwt");
      assertThat(p.get("jti").asText()).isEqualTo(jti);
      assertThat(p.toString()).doesNotContain(token).doesNotContain(token.split("\\.")[2]);
    }

    @Test
    void tokenWhenIssuedWithTheDefaultAsyncWriterThenEventArrivesShortlyAfter() throws Exception {
      try (TestServer node = TestServer.start(TestDatabase.H2)) {
        node.createTenant("quick");
        JsonNode client = node.createClient("quick", Map.of("name", "svc"));
        long start = node.admin("GET", "/admin/v1/tenants/quick/events", null).json()
            .get("last_id").asLong();
        for (int i = 0; i < 20; i++) {
          assertThat(node.postForm("/t/quick/oauth2/token", "grant_type=client_credentials",
              TestServer.basic(client.get("client_id").asText(),
                  client.get("client_secret").asText())).status()).isEqualTo(200);
        }
        long deadline = System.currentTimeMillis() + 5_000;
        long issued = 0;
        while (issued < 20 && System.currentTimeMillis() < deadline) {
          Thread.sleep(50);
          issued = 0;
          for (JsonNode e : node.admin("GET", "/admin/v1/tenants/quick/events?after=" + start
              + "&limit=1000", null).json().get("items")) {
            issued += e.get("type").asText().equals("token.issued") ? 1 : 0;
          }
        }
        assertThat(issued).isEqualTo(20);
      }
    }

    @Test
    void tokenWhenOpaqueThenEventCarriesItsHashNotItsValue() {
      JsonNode client = server.createClient("audit", Map.of("name", "opaque",
          "token_format", "opaque"));
      long start = mark("audit");
      String token = token(client).get("access_token").asText();
      JsonNode p = since("audit", start, "token.issued").get(0).get("payload");
      assertThat(p.get("token_type").asText()).isEqualTo("opaque");
      assertThat(p.get("token_hash").asText()).isNotBlank().isNotEqualTo(token);
      assertThat(p.toString()).doesNotContain(token);
    }

    @Test
    void revokeWhenByTheClientThroughRfc7009ThenEventNamesTheClient() {
      JsonNode client = server.createClient("audit", Map.of("name", "revoker"));
      String id = client.get("client_id").asText();
      String token = token(client).get("access_token").asText();
      long start = mark("audit");
      assertThat(server.postForm("/t/audit/oauth2/revoke", "token=" + token,
          TestServer.basic(id, client.get("client_secret").asText())).status()).isEqualTo(200);
      List<JsonNode> revoked = since("audit", start, "token.revoked");
      assertThat(revoked).hasSize(1);
      JsonNode p = revoked.get(0).get("payload");
      assertThat(p.get("actor").asText()).isEqualTo("client:" + id);
      assertThat(p.get("client_id").asText()).isEqualTo(id);
      assertThat(p.get("target").asText()).isNotBlank();
      assertThat(p.toString()).doesNotContain(token);
      // Revoking it again, or an unknown token, changes nothing and records nothing.
      long again = mark("audit");
      server.postForm("/t/audit/oauth2/revoke", "token=" + token,
          TestServer.basic(id, client.get("client_secret").asText()));
      server.postForm("/t/audit/oauth2/revoke", "token=not-a-token",
          TestServer.basic(id, client.get("client_secret").asText()));
      assertThat(since("audit", again, "token.revoked")).isEmpty();
    }

    @Test
    void revokeWhenByAnAdminThenEventNamesTheAdminClient() {
      JsonNode client = server.createClient("audit", Map.of("name", "victim"));
      String token = token(client).get("access_token").asText();
      long start = mark("audit");
      assertThat(server.admin("POST", "/admin/v1/tenants/audit/tokens/revoke",
          Map.of("token", token)).json().get("revoked").asBoolean()).isTrue();
      JsonNode p = since("audit", start, "token.revoked").get(0).get("payload");
      assertThat(p.get("actor").asText()).isEqualTo("admin:" + adminId);
    }
  }

  @Nested
  class AdminChanges {

    @Test
    void adminWhenClientCreatedRotatedAndDeletedThenEachIsRecordedWithActorAndTarget() {
      long start = mark("audit");
      String id = server.createClient("audit", Map.of("name", "life")).get("client_id").asText();
      server.admin("POST", "/admin/v1/tenants/audit/clients/" + id + "/secret", null);
      server.admin("DELETE", "/admin/v1/tenants/audit/clients/" + id, null);
      List<JsonNode> events = since("audit", start).stream()
          .filter(e -> e.get("type").asText().startsWith("admin.client.")).toList();
      assertThat(events).extracting(e -> e.get("type").asText()).containsExactly(
          "admin.client.created", "admin.client.secret_rotated", "admin.client.deleted");
      for (JsonNode e : events) {
        assertThat(e.at("/payload/actor").asText()).isEqualTo(adminId);
        assertThat(e.at("/payload/target").asText()).isEqualTo(id);
        assertThat(e.get("payload").toString()).doesNotContain("client_secret");
      }
    }

    @Test
    void adminWhenTenantCreatedThenRecordedAtTheSystemTenant() {
      long start = mark("system");
      server.createTenant("audit-new");
      List<JsonNode> created = since("system", start, "admin.tenant.created");
      assertThat(created).hasSize(1);
      assertThat(created.get(0).at("/payload/target").asText()).isEqualTo("audit-new");
      assertThat(created.get(0).at("/payload/actor").asText()).isEqualTo(adminId);
    }

    @Test
    void adminWhenKeysRotatedUsersGroupsAndPoliciesChangedThenRecorded() {
      long start = mark("audit");
      server.admin("POST", "/admin/v1/tenants/audit/keys/rotate", null);
      String user = server.admin("POST", "/admin/v1/tenants/audit/users",
          Map.of("username", "grace")).json().get("id").asText();
      server.admin("PUT", "/admin/v1/tenants/audit/users/" + user + "/roles",
          Map.of("roles", List.of("auditor")));
      server.admin("POST", "/admin/v1/tenants/audit/groups", Map.of("name", "staff"));
      server.admin("PUT", "/admin/v1/tenants/audit/groups/staff/members/" + user, null);
      assertThat(server.admin("PUT", "/admin/v1/tenants/audit/policies", Map.of("policies",
          "permit(principal, action, resource);")).status()).isEqualTo(200);
      List<String> types = since("audit", start).stream().map(e -> e.get("type").asText())
          .toList();
      assertThat(types).containsSubsequence("admin.keys.rotated", "admin.user.created",
          "admin.user.roles_set", "admin.group.created", "admin.group.member_added",
          "policy.updated");
      JsonNode roles = since("audit", start, "admin.user.roles_set").get(0).get("payload");
      assertThat(roles.get("target").asText()).isEqualTo(user);
      assertThat(roles.get("roles").get(0).asText()).isEqualTo("auditor");
    }

    @Test
    void adminWhenChangeRefusedThenNoEvent() {
      long start = mark("audit");
      assertThat(server.admin("POST", "/admin/v1/tenants/audit/clients",
          Map.of("name", "bad", "grant_types", List.of("password"))).status()).isEqualTo(400);
      assertThat(server.admin("PUT", "/admin/v1/tenants/audit/policies",
          Map.of("policies", "permit(")).status()).isEqualTo(400);
      assertThat(since("audit", start).stream().map(e -> e.get("type").asText())
          .filter(t -> t.startsWith("admin.") || t.startsWith("policy."))).isEmpty();
    }
  }
}
