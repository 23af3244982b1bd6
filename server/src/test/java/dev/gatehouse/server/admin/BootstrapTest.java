package dev.gatehouse.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** First start creates the system tenant and writes the bootstrap admin's credentials (mode 600). */
class BootstrapTest {

  @Test
  void startWhenFirstThenCredentialsFileIsOwnerOnlyAndWorks() throws Exception {
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      Path file = server.dataDir().resolve(Bootstrap.FILE);
      assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
          PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(Files.getPosixFilePermissions(server.dataDir().resolve("master.key")))
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE);
      JsonNode creds = server.bootstrapAdmin();
      assertThat(creds.get("server").asText()).isEqualTo(server.baseUrl());
      assertThat(creds.get("listen").asText()).isEqualTo(server.node().listenAddress())
          .isEqualTo("127.0.0.1:" + server.node().port());
      assertThat(creds.get("tenant").asText()).isEqualTo("system");
      assertThat(server.adminToken()).isNotBlank();
    }
  }

  @Test
  void nextStepsWhenFirstStartThenNamesTheCredentialsFileAndTheFirstCommands() {
    String steps = Bootstrap.nextSteps(Path.of("data"), "http://localhost:8080");
    assertThat(steps).contains(Path.of("data", Bootstrap.FILE).toString())
        .contains("./gatehouse tenant create acme")
        .contains("./gatehouse client create --tenant acme")
        .contains("http://localhost:8080/t/acme/.well-known/openid-configuration");
  }

  @Test
  void startWhenDataDirectoryMissingThenCreatedOwnerOnly() throws Exception {
    Path data = Files.createTempDirectory("gatehouse-data").resolve("fresh");
    try (TestServer server = TestServer.start(TestDatabase.H2,
        Map.of("GATEHOUSE_DATA_DIR", data.toString()))) {
      assertThat(Files.getPosixFilePermissions(data)).containsExactlyInAnyOrder(
          PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);
    }
  }

  @Test
  void startWhenRestartedOnTheSameDataThenSameAdminAndNoSecondSystemTenant() throws Exception {
    String url = TestDatabase.H2.freshUrl();
    Path dir = Files.createTempDirectory("gatehouse-restart");
    Map<String, String> env = Map.of("GATEHOUSE_DB_URL", url,
        "GATEHOUSE_DATA_DIR", dir.toString());
    String clientId;
    try (TestServer first = TestServer.start(TestDatabase.H2, env)) {
      clientId = first.bootstrapAdmin().get("client_id").asText();
      first.createTenant("acme");
    }
    try (TestServer second = TestServer.start(TestDatabase.H2, env)) {
      assertThat(second.bootstrapAdmin().get("client_id").asText()).isEqualTo(clientId);
      assertThat(second.bootstrapAdmin().get("server").asText()).isEqualTo(second.baseUrl());
      TestServer.Response tenants = second.admin("GET", "/admin/v1/tenants", null);
      assertThat(tenants.status()).isEqualTo(200);
      assertThat(tenants.json().get("items").findValuesAsText("name"))
          .containsExactly("acme", "system");
    }
  }

  @Test
  void keysWhenListedThroughTheAdminApiThenNoPrivateMaterial() {
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      server.createTenant("acme");
      TestServer.Response r = server.admin("GET", "/admin/v1/tenants/acme/keys", null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("items")).hasSize(4);  // ES256 and RS256, active and next
      assertThat(r.text()).doesNotContain("private").doesNotContain("\"d\"")
          .doesNotContain("v1.");
    }
  }
}
