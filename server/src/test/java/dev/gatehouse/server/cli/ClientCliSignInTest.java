package dev.gatehouse.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/** {@code client create} with the browser-flow options (redirect URIs, public clients). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCliSignInTest {

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

  private String run(String... args) {
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

  @Test
  void clientCreateWhenPublicWithRepeatedGrantsAndRedirectUrisThenRegistered() throws Exception {
    JsonNode c = TestServer.JSON.readTree(run("client", "create", "--tenant", "acme", "--name",
        "SPA", "--public", "--grant", "authorization_code", "--grant", "refresh_token",
        "--redirect-uri", "http://127.0.0.1:3000/cb", "--redirect-uri",
        "https://app.example.com/cb"));
    assertThat(c.get("public").asBoolean()).isTrue();
    assertThat(c.get("token_endpoint_auth_method").asText()).isEqualTo("none");
    assertThat(c.has("client_secret")).isFalse();
    assertThat(c.get("grant_types").toString()).contains("authorization_code", "refresh_token");
    assertThat(c.get("redirect_uris").size()).isEqualTo(2);
    assertThat(c.get("id_token_signed_response_alg").asText()).isEqualTo("RS256");
  }

  @Test
  void clientCreateWhenRedirectUriInvalidThenRefused() {
    for (String bad : new String[] {"http://app.example.com/cb", "https://app.example.com/cb#x",
        "/relative", "javascript:alert(1)"}) {
      TestServer.Response r = server.admin("POST", "/admin/v1/tenants/acme/clients",
          java.util.Map.of("name", "x", "grant_types", java.util.List.of("authorization_code"),
              "redirect_uris", java.util.List.of(bad)));
      assertThat(r.status()).as(bad).isEqualTo(400);
    }
  }
}
