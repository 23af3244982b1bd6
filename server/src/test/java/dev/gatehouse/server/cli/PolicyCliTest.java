package dev.gatehouse.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.policy.PolicyDecisionsContractFixtures;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The policy and entities commands against a running node, as an operator types them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyCliTest {

  private TestServer server;
  @TempDir
  Path dir;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("acme");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  Cli.Run run(String... args) {
    return Cli.run(server, args);
  }

  Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @Test
  void anOperatorLoadsTestsChangesAndRollsBackPolicies() throws Exception {
    Path schema = file("schema.cedarschema", PolicyDecisionsContractFixtures.SCHEMA);
    Path policies = file("policies.cedar", PolicyDecisionsContractFixtures.POLICIES);
    Path entities = file("entities.json", PolicyDecisionsContractFixtures.ENTITIES);
    Path requests = file("requests.json", """
        [
          {"name": "alice edits her doc", "principal": "User::\\"alice\\"", "action": "edit",
           "resource": "Document::\\"d1\\"", "expected": "allow"},
          {"name": "bob cannot", "principal": "User::\\"bob\\"", "action": "edit",
           "resource": "Document::\\"d1\\"", "expected": "deny"}
        ]
        """);

    assertThat(run("policy", "schema", "put", "--tenant", "acme", schema.toString()).code())
        .isZero();
    Cli.Run put = run("policy", "put", "--tenant", "acme", policies.toString(), "--message", "v1");
    assertThat(put.code()).as(put.out()).isZero();
    assertThat(run("entities", "put", "--tenant", "acme", entities.toString()).out())
        .contains("5 entities stored");

    Cli.Run test = run("policy", "test", "--tenant", "acme", requests.toString());
    assertThat(test.code()).as(test.out()).isZero();
    assertThat(test.out()).contains("2 passed, 0 failed");

    Path freeze = file("freeze.cedar", PolicyDecisionsContractFixtures.POLICIES
        + "\nforbid(principal, action == Action::\"edit\", resource);\n");
    assertThat(run("policy", "put", "--tenant", "acme", freeze.toString(), "--message",
        "freeze").code()).isZero();
    Cli.Run failing = run("policy", "test", "--tenant", "acme", requests.toString());
    assertThat(failing.code()).isEqualTo(1);
    assertThat(failing.out()).contains("FAIL alice edits her doc: expected allow, got deny")
        .contains("1 passed, 1 failed");

    Cli.Run history = run("policy", "history", "--tenant", "acme");
    assertThat(history.out()).contains("freeze").contains("v1");
    assertThat(run("policy", "rollback", "--tenant", "acme", "2").out())
        .contains("version 2 restored as version 4");
    assertThat(run("policy", "test", "--tenant", "acme", requests.toString()).out())
        .contains("2 passed, 0 failed");
  }

  @Test
  void validateAndPutReportLineAndColumn() throws Exception {
    server.createTenant("beta");
    run("policy", "schema", "put", "--tenant", "beta",
        file("s.cedarschema", PolicyDecisionsContractFixtures.SCHEMA).toString());
    Path bad = file("bad.cedar", "\n\npermit(principal, action == Action::\"view\", resource)"
        + " when { resource.nosuch };\n");
    Cli.Run v = run("policy", "validate", "--tenant", "beta", bad.toString());
    assertThat(v.code()).isEqualTo(1);
    // At `resource.nosuch`, not at the start of the policy.
    assertThat(v.out()).contains(bad + ":3:62: [policy0]").contains("nosuch");
    Cli.Run put = run("policy", "put", "--tenant", "beta", bad.toString());
    assertThat(put.code()).isEqualTo(1);
    assertThat(put.out()).contains("3:62: [policy0]");
  }

  /**
   * The walkthrough in docs/policies.md, as written: its schema, policies, entities and expected
   * decisions (the heredocs), with real users and a group, through the commands it shows. The
   * schema once left out Gatehouse::User, so a person's principal was "not declared".
   */
  @Test
  void policiesWalkthroughWhenFollowedLiterallyThenItsExpectedDecisionsHold() throws Exception {
    String doc = Files.readString(Path.of("../docs/policies.md"));
    String tenant = "docs";
    server.createTenant(tenant);
    String alice = user(tenant, "alice");
    String bob = user(tenant, "bob");
    assertThat(server.admin("POST", "/admin/v1/tenants/" + tenant + "/groups",
        java.util.Map.of("name", "engineering")).status()).isEqualTo(201);
    assertThat(server.admin("PUT", "/admin/v1/tenants/" + tenant + "/groups/engineering/members/"
        + bob, null).status()).isLessThan(300);
    java.util.function.Function<String, String> shell = text -> text.replace("$ALICE", alice)
        .replace("$BOB", bob);

    Cli.Run schema = run("policy", "schema", "put", "--tenant", tenant,
        file("schema.cedarschema", heredoc(doc, "schema.cedarschema")).toString());
    assertThat(schema.code()).as(schema.out()).isZero();
    Cli.Run put = run("policy", "put", "--tenant", tenant,
        file("policies.cedar", heredoc(doc, "policies.cedar")).toString());
    assertThat(put.code()).as(put.out()).isZero();
    Cli.Run entities = run("entities", "put", "--tenant", tenant,
        file("entities.json", shell.apply(heredoc(doc, "entities.json"))).toString());
    assertThat(entities.code()).as(entities.out()).isZero();
    Cli.Run test = run("policy", "test", "--tenant", tenant,
        file("requests.json", shell.apply(heredoc(doc, "requests.json"))).toString());
    assertThat(test.out()).contains("3 passed, 0 failed");
    assertThat(test.code()).isZero();
  }

  private String user(String tenant, String name) {
    TestServer.Response r = server.admin("POST", "/admin/v1/tenants/" + tenant + "/users",
        java.util.Map.of("username", name, "password", name + "-long-passphrase"));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  /** The text of {@code cat > NAME <<'E' ... E} (or {@code <<E}) in a Markdown file. */
  static String heredoc(String doc, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("cat > " + java.util.regex
        .Pattern.quote(name) + " <<'?E'?\n(.*?)\nE\n", java.util.regex.Pattern.DOTALL)
        .matcher(doc);
    assertThat(m.find()).as("a heredoc writing %s", name).isTrue();
    return m.group(1) + "\n";
  }
}
