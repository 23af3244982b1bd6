package dev.gatehouse.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code user factors list|reset} against a running node (issue #7). */
class UserFactorsCliTest {

  @Test
  void factorsWhenListedAndResetThenAdminApiAnswersShown() throws Exception {
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      server.createTenant("acme");
      String id = server.admin("POST", "/admin/v1/tenants/acme/users", Map.of("username", "erin",
          "password", "a long enough passphrase")).json().get("id").asText();
      JsonNode listed = TestServer.JSON.readTree(run(server, "user", "factors", "list",
          "--tenant", "acme", "--user", id));
      assertThat(listed.get("totp").get("enrolled").asBoolean()).isFalse();
      assertThat(listed.get("passkeys").size()).isZero();
      JsonNode reset = TestServer.JSON.readTree(run(server, "user", "factors", "reset",
          "--tenant", "acme", "--user", id));
      assertThat(reset.get("removed").get("passkeys").asInt()).isZero();
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
