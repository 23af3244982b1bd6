package dev.gatehouse.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code user factors list|reset} against a running node. */
class UserFactorsCliTest {

  @Test
  void factorsWhenEnrolledThenListedAndResetRemovesThem() throws Exception {
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      HostedSignIn t = new HostedSignIn(server, "acme");
      String id = t.createUser("erin");
      t.requireMfa();
      t.enrolAtSignIn(new Browser(), "erin");

      JsonNode listed = TestServer.JSON.readTree(run(server, "user", "factors", "list",
          "--tenant", "acme", "--user", id));
      assertThat(listed.get("totp").get("enrolled").asBoolean()).isTrue();
      assertThat(listed.get("recovery_codes_remaining").asInt()).isPositive();
      JsonNode reset = TestServer.JSON.readTree(run(server, "user", "factors", "reset",
          "--tenant", "acme", "--user", id));
      assertThat(reset.get("removed").get("totp").asBoolean()).as(reset.toString()).isTrue();
      assertThat(reset.get("removed").get("recovery_codes").asInt()).isPositive();
      JsonNode after = TestServer.JSON.readTree(run(server, "user", "factors", "list",
          "--tenant", "acme", "--user", id));
      assertThat(after.get("totp").get("enrolled").asBoolean()).isFalse();
      assertThat(after.get("recovery_codes_remaining").asInt()).isZero();
      assertThat(server.admin("GET", "/admin/v1/tenants/acme/events?after=0", null).text())
          .contains("mfa.reset");
    }
  }

  private static String run(TestServer server, String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 2];
      all[0] = "--data";
      all[1] = server.dataDir().toString();
      System.arraycopy(args, 0, all, 2, args.length);
      int code = new CommandLine(new Main()).execute(all);
      assertThat(code).as(buf.toString(StandardCharsets.UTF_8)).isZero();
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(old);
    }
  }
}
