package dev.gatehouse.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unreachable server printed {@code cannot reach http://localhost:9: null}. */
class CliConnectionErrorTest {

  private static String run(Path data, String... args) {
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    all[0] = "--data";
    all[1] = data.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    assertThat(cli.execute(all)).isEqualTo(1);
    return err.toString();
  }

  private static Path credentials(Path dir, String server) throws Exception {
    Files.writeString(dir.resolve("bootstrap-admin.json"), "{\"server\":\"" + server + "\","
        + "\"client_id\":\"x\",\"client_secret\":\"y\"}");
    return dir;
  }

  @Test
  void adminCommandWhenNothingListensThenSaysSoAndWhatToTry(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String err = run(credentials(dir, "http://127.0.0.1:" + port), "tenant", "list");
    assertThat(err).startsWith("gatehouse: cannot reach http://127.0.0.1:" + port)
        .contains("bootstrap-admin.json").contains("connection refused")
        .contains("./gatehouse serve").contains("--server URL")
        .doesNotContain("null");
  }

  @Test
  void adminCommandWhenHostUnknownThenSaysSo(@TempDir Path dir) throws Exception {
    String err = run(credentials(dir, "http://no-such-host.invalid:8080"), "tenant", "list");
    assertThat(err).contains("unknown host").doesNotContain("null");
  }
}
