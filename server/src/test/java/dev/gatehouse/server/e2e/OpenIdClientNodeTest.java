package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.RequiredTool;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The code + PKCE flow driven by npm {@code openid-client}, a certified OpenID Connect relying
 * party, from {@code src/test/node/openid-client-flow.mjs} against a real node.
 *
 * <p>Needs {@code node} (20+) on the PATH and the packages of {@code src/test/node} (the test runs
 * {@code npm ci} there when they are missing and npm is present); without them the test is
 * skipped with the reason printed, unless {@code GATEHOUSE_REQUIRE_SERVICES=true} makes that a
 * failure.
 */
class OpenIdClientNodeTest {

  static final Path DIR = Path.of("src/test/node");

  @Test
  void openidClientCompletesCodeFlowWithPkceUserinfoAndRefresh() throws Exception {
    String missing = null;
    if (!onPath("node")) {
      missing = "node is not on the PATH";
    } else if (!Files.isDirectory(DIR.resolve("node_modules/openid-client"))) {
      missing = installWithNpm();
    }
    RequiredTool.check("OpenIdClientNodeTest", missing);
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      server.createTenant("acme");
      String redirect = "http://127.0.0.1:9/callback";
      JsonNode client = server.createClient("acme", Map.of("name", "Node RP",
          "grant_types", List.of("authorization_code", "refresh_token"),
          "redirect_uris", List.of(redirect)));
      TestServer.Response user = server.admin("POST", "/admin/v1/tenants/acme/users",
          Map.of("username", "bob", "password", "a long enough passphrase", "email",
              "bob@example.com"));
      assertThat(user.status()).isEqualTo(201);

      Process p = new ProcessBuilder("node", "openid-client-flow.mjs", server.issuer("acme"),
          client.get("client_id").asText(), client.get("client_secret").asText(), redirect,
          "bob", "a long enough passphrase")
          .directory(DIR.toFile()).redirectErrorStream(true).start();
      boolean done = p.waitFor(120, TimeUnit.SECONDS);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!done) {
        p.destroyForcibly();
      }
      assertThat(done).as("node finished: %s", out).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      JsonNode result = TestServer.JSON.readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
      assertThat(result.get("ok").asBoolean()).isTrue();
      assertThat(result.get("sub").asText()).isEqualTo(user.json().get("id").asText());
      assertThat(result.get("preferred_username").asText()).isEqualTo("bob");
    }
  }

  /** Runs {@code npm ci} (the pinned package-lock.json); null when it worked, else why not. */
  private static String installWithNpm() throws Exception {
    String why = "openid-client is not installed: run `npm ci` in server/src/test/node";
    if (!onPath("npm")) {
      return why + " (npm is not on the PATH)";
    }
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
        .directory(DIR.toFile()).redirectErrorStream(true).start();
    boolean done = npm.waitFor(300, TimeUnit.SECONDS);
    String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      npm.destroyForcibly();
      return why + " (npm ci timed out)";
    }
    return npm.exitValue() == 0 && Files.isDirectory(DIR.resolve("node_modules/openid-client"))
        ? null : why + " (npm ci failed: " + out.strip() + ")";
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
