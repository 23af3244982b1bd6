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
}
