package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.Gatehouse;
import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatehouseConfig;
import dev.gatehouse.server.testing.TestDatabase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started with another master key than the one its installation's data was encrypted with
 * started and reported ready, then answered invalid_client to every client. It must refuse to
 * start, saying why.
 */
class WrongMasterKeyReportedReadyTest {

  private static GatehouseConfig config(Path dir, String db, String key) {
    return ConfigLoader.load(null, Map.of("GATEHOUSE_SERVER_PORT", "0",
        "GATEHOUSE_DATA_DIR", dir.toString(), "GATEHOUSE_DB_URL", db,
        "GATEHOUSE_MASTER_KEY", key, "GATEHOUSE_SERVER_SHUTDOWN_GRACE_SECONDS", "1"));
  }

  private static String freshKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  @Test
  void startWhenMasterKeyDiffersFromInstallationsThenRefusesWithClearLine(@TempDir Path dir) {
    String db = TestDatabase.H2.freshUrl();
    String key = freshKey();
    Gatehouse.start(config(dir.resolve("a"), db, key)).close();

    assertThatThrownBy(() -> Gatehouse.start(config(dir.resolve("b"), db, freshKey())).close())
        .hasMessageStartingWith("the master key does not match this installation's data");

    try (Gatehouse again = Gatehouse.start(config(dir.resolve("c"), db, key))) {
      assertThat(again.port()).as("the right key still starts").isPositive();
    }
  }
}
