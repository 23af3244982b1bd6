package dev.gatehouse.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin API from the command line: clients, users, groups, roles, the MFA policy and
 * sessions; {@code --output json|table}; and {@code tenant delete} asking first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliCoverageTest {

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("acme");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private JsonNode json(String... args) throws Exception {
    Cli.Run r = Cli.run(server, args);
    assertThat(r.code()).as(r.out()).isZero();
    return TestServer.JSON.readTree(r.out());
  }

  @Test
  void clientWhenGetUpdateRotateDeleteThenAdminApiDoesIt() throws Exception {
    JsonNode created = json("client", "create", "--tenant", "acme", "--name", "billing",
        "--scope", "a b");
    String id = created.get("client_id").asText();
    assertThat(json("client", "get", "--tenant", "acme", id).get("scope").asText())
        .isEqualTo("a b");
    assertThat(json("client", "update", "--tenant", "acme", id, "--scope", "a", "--ttl", "120")
        .get("access_token_ttl").asInt()).isEqualTo(120);
    String secret = json("client", "rotate-secret", "--tenant", "acme", id)
        .get("client_secret").asText();
    assertThat(secret).isNotEqualTo(created.get("client_secret").asText());
    assertThat(server.postForm("/t/acme/oauth2/token", "grant_type=client_credentials&scope=a",
        TestServer.basic(id, secret)).status()).isEqualTo(200);
    assertThat(Cli.run(server, "client", "delete", "--tenant", "acme", id).code()).isZero();
    Cli.Run gone = Cli.run(server, "client", "get", "--tenant", "acme", id);
    assertThat(gone.code()).isNotZero();
    assertThat(gone.out()).contains("404");
  }

  @Test
  void userWhenUpdateSetPasswordRolesGroupsDeleteThenByUsername() throws Exception {
    json("user", "create", "--tenant", "acme", "--username", "carol");
    assertThat(json("user", "update", "--tenant", "acme", "--user", "carol", "--display-name",
        "Carol", "--disabled", "true").get("disabled").asBoolean()).isTrue();
    Cli.Run weak = Cli.withInput(server, "123\n", "user", "set-password", "--tenant", "acme",
        "--user", "carol");
    assertThat(weak.code()).isNotZero();
    assertThat(weak.out()).contains("400");
    Cli.Run set = Cli.withInput(server, "correct horse battery staple\n", "user",
        "set-password", "--tenant", "acme", "--user", "carol");
    assertThat(set.code()).as(set.out()).isZero();
    assertThat(json("user", "get", "--tenant", "acme", "--user", "carol")
        .get("has_password").asBoolean()).isTrue();
    assertThat(json("user", "set-roles", "--tenant", "acme", "--user", "carol", "--role",
        "auditor", "--role", "billing").get("roles")).hasSize(2);

    json("group", "create", "--tenant", "acme", "staff");
    json("group", "create", "--tenant", "acme", "ops", "--parent", "staff");
    assertThat(Cli.run(server, "group", "add-member", "--tenant", "acme", "ops", "--user",
        "carol").code()).isZero();
    assertThat(json("group", "members", "--tenant", "acme", "ops").get("items").get(0)
        .get("username").asText()).isEqualTo("carol");
    assertThat(json("user", "get", "--tenant", "acme", "--user", "carol").get("groups")
        .toString()).contains("ops", "staff");
    assertThat(Cli.run(server, "group", "remove-member", "--tenant", "acme", "ops", "--user",
        "carol").code()).isZero();
    assertThat(json("group", "members", "--tenant", "acme", "ops").get("items")).isEmpty();
    assertThat(Cli.run(server, "group", "delete", "--tenant", "acme", "ops").code()).isZero();
    assertThat(json("group", "list", "--tenant", "acme").get("items").findValuesAsText("name"))
        .contains("staff").doesNotContain("ops");

    assertThat(Cli.run(server, "user", "delete", "--tenant", "acme", "--user", "carol").code())
        .isZero();
    assertThat(json("user", "list", "--tenant", "acme", "--query", "carol").get("items"))
        .isEmpty();
  }

  @Test
  void mfaAndPasswordPoliciesAndSessionsWhenSetAndListedThenAdminApiDoesIt() throws Exception {
    json("group", "create", "--tenant", "acme", "admins");
    JsonNode p = json("mfa", "set", "--tenant", "acme", "--policy", "groups",
        "--required-group", "admins");
    assertThat(p.get("policy").asText()).isEqualTo("groups");
    assertThat(json("mfa", "show", "--tenant", "acme").get("required_groups").get(0).asText())
        .isEqualTo("admins");
    assertThat(json("password-policy", "set", "--tenant", "acme", "--min-length", "12")
        .get("min_length").asInt()).isEqualTo(12);
    assertThat(json("password-policy", "show", "--tenant", "acme").get("refuse_common")
        .asBoolean()).isTrue();
    assertThat(json("session", "list", "--tenant", "acme").get("items")).isEmpty();
    Cli.Run revoke = Cli.run(server, "session", "revoke", "--tenant", "acme", "nosuch");
    assertThat(revoke.code()).isNotZero();
    assertThat(revoke.out()).contains("404");
  }

  @Test
  void outputWhenTableThenColumnsAndWhenJsonThenApiFields() throws Exception {
    Cli.Run table = Cli.run(server, "--output", "table", "tenant", "list");
    assertThat(table.code()).as(table.out()).isZero();
    assertThat(table.out().lines().findFirst().orElseThrow())
        .startsWith("NAME").contains("DISPLAY_NAME", "ISSUER");
    assertThat(table.out()).contains("acme", server.issuer("acme"));
    Cli.Run one = Cli.run(server, "tenant", "list", "--output", "table");
    assertThat(one.out()).isEqualTo(table.out());
    JsonNode json = json("--output", "json", "tenant", "list");
    assertThat(json.get("items").findValuesAsText("name")).contains("acme", "system");
    assertThat(json("--output", "json", "policy", "history", "--tenant", "acme").has("items"))
        .isTrue();
    assertThat(Cli.run(server, "policy", "history", "--tenant", "acme").out())
        .startsWith("VERSION");
    Cli.Run bad = Cli.run(server, "--output", "xml", "tenant", "list");
    assertThat(bad.code()).isNotZero();
  }

  @Test
  void tenantDeleteWhenNotConfirmedThenKeptAndWhenNameTypedOrYesThenDeleted() {
    server.createTenant("doomed");
    Cli.Run refused = Cli.run(server, "tenant", "delete", "doomed");
    assertThat(refused.code()).isNotZero();
    assertThat(refused.out()).contains("Type `doomed` to confirm", "--yes");
    assertThat(server.admin("GET", "/admin/v1/tenants/doomed", null).status()).isEqualTo(200);
    Cli.Run wrong = Cli.withInput(server, "acme\n", "tenant", "delete", "doomed");
    assertThat(wrong.code()).isNotZero();
    assertThat(server.admin("GET", "/admin/v1/tenants/doomed", null).status()).isEqualTo(200);
    Cli.Run typed = Cli.withInput(server, "doomed\n", "tenant", "delete", "doomed");
    assertThat(typed.code()).as(typed.out()).isZero();
    assertThat(server.admin("GET", "/admin/v1/tenants/doomed", null).status()).isEqualTo(404);

    server.createTenant("doomed2");
    assertThat(Cli.run(server, "tenant", "delete", "doomed2", "--yes").code()).isZero();
    assertThat(server.admin("GET", "/admin/v1/tenants/doomed2", null).status()).isEqualTo(404);
    assertThat(server.admin("GET", "/admin/v1/tenants/acme", null).status()).isEqualTo(200);
  }
}
