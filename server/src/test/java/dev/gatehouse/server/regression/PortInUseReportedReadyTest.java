package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.Gatehouse;
import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatehouseConfig;
import dev.gatehouse.server.testing.TestDatabase;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With its port taken, a node logged "Failed to start listener", then "gatehouse ready on
 * http://localhost:-1", kept running and wrote {@code "server": "http://localhost:-1"} into
 * bootstrap-admin.json. It must refuse to start, naming the port.
 */
class PortInUseReportedReadyTest {

  @Test
  void startWhenPortTakenThenFailsNamingThePortAndWritesNoCredentials(@TempDir Path dir)
      throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("0.0.0.0", 0));
      int port = taken.getLocalPort();
      GatehouseConfig config = ConfigLoader.load(null, Map.of(
          "GATEHOUSE_SERVER_PORT", String.valueOf(port),
          "GATEHOUSE_DATA_DIR", dir.toString(),
          "GATEHOUSE_DB_URL", TestDatabase.H2.freshUrl()));

      assertThatThrownBy(() -> Gatehouse.start(config).close())
          .hasMessageContaining("cannot listen on")
          .hasMessageContaining(":" + port);
      assertThat(Files.exists(dir.resolve("bootstrap-admin.json"))).isFalse();
    }
  }
}
