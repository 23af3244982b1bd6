package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * GH-13: the H2 database file was created 0644 (readable by every local user) while the master key
 * and bootstrap file were 0600. Now the data directory is 0700 and every file in it 0600, whatever
 * the umask, and an existing installation is tightened at start.
 */
class DataFilesReadableByOthersTest {

  @Test
  void dataDirectoryWhenCreatedByTheServerThenEveryFileIsPrivate() throws Exception {
    Path data = Files.createTempDirectory("gatehouse-perms").resolve("data");
    try (TestServer server = TestServer.start(TestDatabase.H2, Map.of(
        "GATEHOUSE_DATA_DIR", data.toString(), "GATEHOUSE_DB_URL", ""))) {
      server.createTenant("perms");
    }
    assertThat(mode(data)).isEqualTo("rwx------");
    List<Path> files = files(data);
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("gatehouse.mv.db", "master.key", "bootstrap-admin.json");
    for (Path f : files) {
      assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
    }
  }

  @Test
  void dataDirectoryWhenAlreadyOpenToOthersThenTightenedAtStart() throws Exception {
    Path data = Files.createTempDirectory("gatehouse-perms-old");
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path stray = Files.writeString(data.resolve("gatehouse.trace.db"), "old trace\n");
    Files.setPosixFilePermissions(stray, PosixFilePermissions.fromString("rw-r--r--"));
    try (TestServer server = TestServer.start(TestDatabase.H2, Map.of(
        "GATEHOUSE_DATA_DIR", data.toString(), "GATEHOUSE_DB_URL", ""))) {
      assertThat(mode(data)).isEqualTo("rwx------");
      assertThat(mode(stray)).isEqualTo("rw-------");
    }
  }

  @Test
  void h2WhenItWritesATraceFileThenThatFileIsPrivateToo() throws Exception {
    Path dir = Files.createTempDirectory("gatehouse-perms-trace");
    dev.gatehouse.server.store.PrivateH2Files.register();
    String url = dev.gatehouse.server.store.PrivateH2Files.privateUrl("jdbc:h2:file:"
        + dir.resolve("db") + ";TRACE_LEVEL_FILE=3");
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute("create table t(x int)");
      c.createStatement().execute("create index i on t(x)");
    }
    List<Path> files = files(dir);
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("db.mv.db", "db.trace.db");
    for (Path f : files) {
      assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
    }
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).toList();
    }
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
