package dev.gatehouse.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse export} and {@code gatehouse apply}: a configuration moves from a node on H2
 * to a node on PostgreSQL and exports the same there; a second apply changes nothing; a dry run
 * prints the diff and changes nothing; deletions need --prune; secrets are references only.
 */
class ConfigAsCodeTest {

  private static final String SCHEMA = "entity User;\nentity Doc;\n"
      + "action read appliesTo { principal: User, resource: Doc };\n";
  private static final String POLICIES = "@id(\"readers\")\n"
      + "permit(principal, action == Action::\"read\", resource);\n"
      + "@id(\"owner\")\npermit(principal == ?principal, action, resource == ?resource);\n";

  @TempDir
  Path dir;

  /** An installation with one of everything export knows about. */
  private static String populate(TestServer s) {
    s.createTenant("acme");
    ok(s.admin("PATCH", "/admin/v1/tenants/acme", Map.of("display_name", "Acme Corp",
        "primary_color", "#0b6e4f")));
    ok(s.admin("PUT", "/admin/v1/tenants/acme/password-policy", Map.of("min_length", 12)));
    ok(s.admin("POST", "/admin/v1/tenants/acme/groups", Map.of("name", "staff")));
    ok(s.admin("POST", "/admin/v1/tenants/acme/groups", Map.of("name", "admins",
        "parent", "staff", "description", "People who run things")));
    ok(s.admin("PUT", "/admin/v1/tenants/acme/mfa-policy", Map.of("policy", "groups",
        "required_groups", List.of("admins"))));
    JsonNode billing = s.createClient("acme", Map.of("name", "billing",
        "scope", "invoices.read invoices.write", "token_format", "opaque"));
    s.createClient("acme", Map.of("name", "web", "public", true,
        "redirect_uris", List.of("https://app.acme.example/cb")));
    JsonNode alice = s.admin("POST", "/admin/v1/tenants/acme/users", Map.of("username", "alice",
        "email", "alice@acme.example", "email_verified", true, "display_name", "Alice",
        "password", "correct horse battery staple", "attributes", Map.of("dept", "ops"))).json();
    ok(s.admin("PUT", "/admin/v1/tenants/acme/users/" + alice.get("id").asText() + "/roles",
        Map.of("roles", List.of("auditor"))));
    ok(s.admin("PUT", "/admin/v1/tenants/acme/groups/admins/members/"
        + alice.get("id").asText(), null));
    JsonNode bob = s.admin("POST", "/admin/v1/tenants/acme/users",
        Map.of("username", "bob")).json();
    ok(s.admin("PATCH", "/admin/v1/tenants/acme/users/" + bob.get("id").asText(),
        Map.of("disabled", true)));
    ok(s.admin("PUT", "/admin/v1/tenants/acme/policies/schema", Map.of("schema", SCHEMA)));
    ok(s.admin("PUT", "/admin/v1/tenants/acme/policies", Map.of("policies", POLICIES)));
    ok(s.admin("PUT", "/admin/v1/tenants/acme/policies/links/alice-d1", Map.of(
        "template", "owner", "values", Map.of("?principal", Map.of("type", "User", "id", "alice"),
            "?resource", Map.of("type", "Doc", "id", "d1")))));
    ok(s.admin("POST", "/admin/v1/tenants/acme/entities", List.of(
        Map.of("uid", Map.of("type", "Doc", "id", "d1"), "attrs", Map.of(), "parents", List.of()),
        Map.of("uid", Map.of("type", "Doc", "id", "d2"), "attrs", Map.of(), "parents",
            List.of()))));
    ok(s.admin("POST", "/admin/v1/tenants/acme/webhooks", Map.of(
        "url", "https://hooks.acme.example/gatehouse", "event_types", List.of("token.revoked"))));
    s.createTenant("globex");
    return billing.get("client_secret").asText();
  }

  /** Exports tenant acme to {@code file}; answers the document to edit. */
  private static ObjectNode exportAcme(TestServer s, Path file) throws java.io.IOException {
    Cli.Run export = Cli.run(s, "export", "--tenant", "acme", "-o", file.toString());
    assertThat(export.code()).as(export.out()).isZero();
    return (ObjectNode) ConfigFile.read(file);
  }

  private static void ok(TestServer.Response r) {
    assertThat(r.status()).as(r.toString()).isBetween(200, 299);
  }

  @Test
  void applyWhenExportOfH2InstallationAppliedToPostgresThenSameExportAndSecondApplyChangesNothing()
      throws Exception {
    try (TestServer h2 = TestServer.start(TestDatabase.H2);
         TestServer pg = TestServer.start(TestDatabase.POSTGRES)) {
      String billingSecret = populate(h2);
      Path file = dir.resolve("gatehouse.yaml");
      Cli.Run export = Cli.run(h2, "export", "-o", file.toString());
      assertThat(export.code()).as(export.out()).isZero();
      String text = Files.readString(file);
      assertThat(text).contains("name: acme", "client_id:", "username: alice", "readers",
          "hooks.acme.example").doesNotContain(billingSecret).doesNotContain("$argon2")
          .doesNotContain("system");

      // The billing service keeps its secret: the operator gives it as a reference.
      Path secretFile = dir.resolve("billing.secret");
      Files.writeString(secretFile, billingSecret + "\n");
      ObjectNode doc = (ObjectNode) ConfigFile.YAML.readTree(text);
      for (JsonNode c : doc.get("tenants").get(0).get("clients")) {
        if (c.get("name").asText().equals("billing")) {
          ((ObjectNode) c).put("secret", "${file:" + secretFile + "}");
        }
      }
      Files.writeString(file, ConfigFile.YAML.writeValueAsString(doc));

      Cli.Run dry = Cli.run(pg, "apply", "--dry-run", file.toString());
      assertThat(dry.code()).as(dry.out()).isZero();
      assertThat(dry.out()).contains("+ create tenant acme", "+ create user acme/alice",
          "dry run, nothing changed");
      assertThat(pg.admin("GET", "/admin/v1/tenants/acme", null).status()).isEqualTo(404);

      Cli.Run applied = Cli.run(pg, "apply", file.toString());
      assertThat(applied.code()).as(applied.out()).isZero();
      assertThat(applied.out()).contains("+ create tenant acme", "+ create tenant globex",
          "+ create client acme/", "+ create group acme/admins", "applied:");
      Cli.Run again = Cli.run(pg, "apply", file.toString());
      assertThat(again.code()).as(again.out()).isZero();
      assertThat(again.out().strip()).isEqualTo("no changes: the installation matches " + file);

      JsonNode before = ConfigFile.YAML.readTree(Cli.run(h2, "export").out());
      JsonNode after = ConfigFile.YAML.readTree(Cli.run(pg, "export").out());
      assertThat(after).isEqualTo(before);

      // Same client ids, and the secret from the reference works on the new installation.
      String billingId = before.get("tenants").get(0).get("clients").findValuesAsText(
          "client_id").stream().filter(id -> h2.admin("GET", "/admin/v1/tenants/acme/clients/"
          + id, null).json().get("name").asText().equals("billing")).findFirst().orElseThrow();
      TestServer.Response token = pg.postForm("/t/acme/oauth2/token",
          "grant_type=client_credentials&scope=invoices.read",
          TestServer.basic(billingId, billingSecret));
      assertThat(token.status()).as(token.toString()).isEqualTo(200);

      // A later change to the file updates the client on PostgreSQL in place.
      for (JsonNode c : doc.get("tenants").get(0).get("clients")) {
        if (c.get("name").asText().equals("billing")) {
          ((ObjectNode) c).put("scope", "invoices.read").put("access_token_ttl", 60);
        }
      }
      Files.writeString(file, ConfigFile.YAML.writeValueAsString(doc));
      Cli.Run changed = Cli.run(pg, "apply", file.toString());
      assertThat(changed.out()).contains("~ update client acme/" + billingId)
          .doesNotContain("secret: set");
      JsonNode billing = pg.admin("GET", "/admin/v1/tenants/acme/clients/" + billingId, null)
          .json();
      assertThat(billing.get("scope").asText()).isEqualTo("invoices.read");
      assertThat(billing.get("access_token_ttl").asInt()).isEqualTo(60);
      assertThat(pg.postForm("/t/acme/oauth2/token", "grant_type=client_credentials",
          TestServer.basic(billingId, billingSecret)).status()).isEqualTo(200);
    }
  }

  @Test
  void applyWhenFileChangedThenDryRunShowsDiffAndDeletionsOnlyWithPrune() throws Exception {
    try (TestServer s = TestServer.start(TestDatabase.H2)) {
      populate(s);
      Path file = dir.resolve("acme.json");
      ObjectNode doc = exportAcme(s, file);
      ObjectNode acme = (ObjectNode) doc.get("tenants").get(0);
      acme.put("display_name", "Acme Inc");
      for (JsonNode c : acme.get("clients")) {
        if (c.get("name").asText().equals("billing")) {
          ((ObjectNode) c).put("scope", "invoices.read");
        }
      }
      ArrayNode users = (ArrayNode) acme.get("users");
      for (int i = 0; i < users.size(); i++) {
        if (users.get(i).get("username").asText().equals("bob")) {
          users.remove(i);
        }
      }
      Files.writeString(file, AdminClient.JSON.writeValueAsString(doc));

      Cli.Run dry = Cli.run(s, "apply", "--dry-run", file.toString());
      assertThat(dry.code()).as(dry.out()).isZero();
      assertThat(dry.out()).contains("~ update tenant acme", "display_name: \"Acme Corp\" → \"Acme Inc\"",
          "~ update client acme/", "scope: \"invoices.read invoices.write\" → \"invoices.read\"")
          .doesNotContain("delete user").doesNotContain("globex");
      assertThat(s.admin("GET", "/admin/v1/tenants/acme", null).json().get("display_name")
          .asText()).isEqualTo("Acme Corp");

      Cli.Run piped = Cli.withInput(s, Files.readString(file), "apply", "--dry-run", "-");
      assertThat(piped.out()).isEqualTo(dry.out().replace(file.toString(), "-"));
      Cli.Run pruneDry = Cli.run(s, "apply", "--dry-run", "--prune", file.toString());
      assertThat(pruneDry.out()).contains("- delete user acme/bob").doesNotContain("globex");
      Cli.Run tenantsDry = Cli.run(s, "apply", "--dry-run", "--prune-tenants",
          file.toString());
      assertThat(tenantsDry.out()).contains("- delete tenant globex")
          .doesNotContain("delete user");

      Cli.Run applied = Cli.run(s, "apply", file.toString());
      assertThat(applied.code()).as(applied.out()).isZero();
      assertThat(s.admin("GET", "/admin/v1/tenants/acme/users?q=bob", null).json().get("items"))
          .hasSize(1);
      assertThat(Cli.run(s, "apply", file.toString()).out()).startsWith("no changes");
    }
  }

  @Test
  void applyWhenGroupOrWebhookChangedThenReplacedWithMembersAndChildrenKept() throws Exception {
    try (TestServer s = TestServer.start(TestDatabase.H2)) {
      populate(s);
      Path file = dir.resolve("acme.yaml");
      ObjectNode doc = exportAcme(s, file);
      ObjectNode acme = (ObjectNode) doc.get("tenants").get(0);
      for (JsonNode g : acme.get("groups")) {
        if (g.get("name").asText().equals("staff")) {
          ((ObjectNode) g).put("description", "Everyone on the payroll");
        }
      }
      ((ObjectNode) acme.get("webhooks").get(0)).putArray("event_types").add("token.revoked")
          .add("user.signed_in");
      Files.writeString(file, ConfigFile.YAML.writeValueAsString(doc));

      Cli.Run applied = Cli.run(s, "apply", file.toString());
      assertThat(applied.code()).as(applied.out()).isZero();
      assertThat(applied.out()).contains("~ update group acme/staff", "~ update group acme/admins",
          "~ update webhook acme https://hooks.acme.example/gatehouse", "signing secret");
      Cli.Run again = Cli.run(s, "apply", file.toString());
      assertThat(again.out()).as(again.out()).startsWith("no changes");
      JsonNode admins = s.admin("GET", "/admin/v1/tenants/acme/groups", null).json()
          .get("items").findParents("name").stream()
          .filter(g -> g.get("name").asText().equals("admins")).findFirst().orElseThrow();
      assertThat(admins.get("parent").asText()).isEqualTo("staff");
      assertThat(s.admin("GET", "/admin/v1/tenants/acme/groups/admins/members", null).json()
          .get("items").findValuesAsText("username")).containsExactly("alice");
    }
  }

  @Test
  void applyWhenSchemaDropsAnActionThePoliciesUseThenPoliciesGoFirst() throws Exception {
    try (TestServer s = TestServer.start(TestDatabase.H2)) {
      populate(s);
      Path file = dir.resolve("acme.yaml");
      ObjectNode doc = exportAcme(s, file);
      ObjectNode cedar = (ObjectNode) doc.get("tenants").get(0).get("cedar");
      // The new schema refuses the old policies (`read` is gone): only policies-then-schema works.
      cedar.put("schema", "entity User;\nentity Doc;\n"
          + "action write appliesTo { principal: User, resource: Doc };\n");
      cedar.put("policies", "@id(\"owner\")\n"
          + "permit(principal == ?principal, action, resource == ?resource);\n");
      Files.writeString(file, ConfigFile.YAML.writeValueAsString(doc));

      Cli.Run dry = Cli.run(s, "apply", "--dry-run", file.toString());
      assertThat(dry.out()).contains("~ update cedar acme", "- action read appliesTo",
          "+ action write appliesTo", "- permit(principal, action == Action::\"read\", resource);");
      Cli.Run applied = Cli.run(s, "apply", file.toString());
      assertThat(applied.code()).as(applied.out()).isZero();
      assertThat(Cli.run(s, "apply", file.toString()).out()).startsWith("no changes");
      assertThat(s.admin("GET", "/admin/v1/tenants/acme/policies/schema", null).json()
          .get("schema").asText()).contains("action write");
    }
  }

  @Test
  void applyWhenSecretIsLiteralOrPasswordGivenThenRefusedAndNothingChanged() throws Exception {
    try (TestServer s = TestServer.start(TestDatabase.H2)) {
      Path file = dir.resolve("bad.yaml");
      Files.writeString(file, """
          gatehouse: 1
          tenants:
            - name: initech
              clients:
                - name: tps
                  secret: hunter2hunter2hunter2hunter2hunter2
          """);
      Cli.Run literal = Cli.run(s, "apply", file.toString());
      assertThat(literal.code()).isNotZero();
      assertThat(literal.out()).contains("never the secret itself");
      Files.writeString(file, """
          gatehouse: 1
          tenants:
            - name: initech
              users:
                - username: peter
                  password: hunter2hunter2
          """);
      Cli.Run password = Cli.run(s, "apply", file.toString());
      assertThat(password.code()).isNotZero();
      assertThat(password.out()).contains("passwords are not configuration");
      assertThat(s.admin("GET", "/admin/v1/tenants/initech", null).status()).isEqualTo(404);
    }
  }
}
