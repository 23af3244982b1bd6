package dev.gatehouse.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tenant update} sets and removes the branding of a tenant's hosted pages. */
class TenantCliBrandingTest {

  /** Runs the CLI; returns its exit code and what it printed (standard output and error). */
  private static String[] run(TestServer server, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      String[] all = new String[args.length + 2];
      all[0] = "--data";
      all[1] = server.dataDir().toString();
      System.arraycopy(args, 0, all, 2, args.length);
      int code = new CommandLine(new Main()).execute(all);
      return new String[] {String.valueOf(code), buf.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void tenantUpdateWhenBrandingGivenThenSetAndEmptyValueRemovesIt() throws Exception {
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      server.createTenant("acme");
      String[] set = run(server, "tenant", "update", "acme", "--display-name", "Acme Corp",
          "--logo-url", "https://cdn.acme.example/logo.png", "--primary-color", "#0b6e4f",
          "--accent-color", "#0b6e4f", "--privacy-url", "https://acme.example/privacy");
      assertThat(set[0]).as(set[1]).isEqualTo("0");
      JsonNode t = TestServer.JSON.readTree(set[1]);
      assertThat(t.get("display_name").asText()).isEqualTo("Acme Corp");
      assertThat(t.get("primary_color").asText()).isEqualTo("#0b6e4f");

      String[] cleared = run(server, "tenant", "update", "acme", "--logo-url", "");
      assertThat(cleared[0]).as(cleared[1]).isEqualTo("0");
      JsonNode after = TestServer.JSON.readTree(cleared[1]);
      assertThat(after.has("logo_url")).isFalse();
      assertThat(after.get("privacy_url").asText()).isEqualTo("https://acme.example/privacy");

      String[] bad = run(server, "tenant", "update", "acme", "--accent-color", "#eeeeee");
      assertThat(bad[0]).isNotEqualTo("0");
      assertThat(bad[1]).contains("400").contains("accent_color");
    }
  }
}
