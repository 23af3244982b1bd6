package dev.gatehouse.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A start skips Flyway only when every migration this build carries is applied: a database that
 * lacks one, or holds a failed one, is migrated (or refused) by Flyway as before.
 */
class BundledMigrationsTest {

  @Test
  void versionsWhenListedThenEveryVersionedFileAsFlywayWritesIt() throws Exception {
    Set<String> files;
    try (Stream<Path> dir = Files.list(Path.of(BundledMigrations.class.getClassLoader()
        .getResource("db/migration").toURI()))) {
      files = dir.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("V"))
          .collect(Collectors.toSet());
    }

    Set<String> versions = BundledMigrations.versions().orElseThrow();

    assertThat(versions).hasSize(files.size()).contains("1", "8.1", "10.10");
  }

  @Test
  void versionsWhenInAJarThenReadFromIt(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path jar = dir.resolve("server.jar");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
      for (String name : List.of("db/migration/", "db/migration/V1__a.sql",
          "db/migration/V10_2__b.sql", "db/migration/README.txt", "other/V9__c.sql")) {
        out.putNextEntry(new java.util.jar.JarEntry(name));
        out.closeEntry();
      }
    }
    try (var loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()},
        null)) {
      assertThat(BundledMigrations.versions(loader)).contains(Set.of("1", "10.2"));
    }
  }

  @Test
  void allAppliedWhenMigratedThenTrue() throws Exception {
    String url = TestDatabase.H2.freshUrl();
    try (Database db = Database.open(url, null, null, 2, null);
        Connection c = DriverManager.getConnection(url)) {
      assertThat(BundledMigrations.allApplied(c, BundledMigrations.versions().orElseThrow()))
          .isTrue();
    }
  }

  @Test
  void allAppliedWhenOneVersionMissingThenFalse() throws Exception {
    String url = TestDatabase.H2.freshUrl();
    try (Database db = Database.open(url, null, null, 2, null);
        Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute("delete from flyway_schema_history where version = '10.11'");

      assertThat(BundledMigrations.allApplied(c, BundledMigrations.versions().orElseThrow()))
          .isFalse();
    }
  }

  @Test
  void allAppliedWhenAMigrationFailedThenFalse() throws Exception {
    String url = TestDatabase.H2.freshUrl();
    try (Database db = Database.open(url, null, null, 2, null);
        Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute(
          "update flyway_schema_history set success = false where version = '1'");

      assertThat(BundledMigrations.allApplied(c, BundledMigrations.versions().orElseThrow()))
          .isFalse();
    }
  }

  @Test
  void allAppliedWhenNoHistoryTableThenFalse() throws Exception {
    try (Connection c = DriverManager.getConnection(TestDatabase.H2.freshUrl())) {
      assertThat(BundledMigrations.allApplied(c, Set.of("1"))).isFalse();
    }
  }

  @Test
  void openWhenAVersionIsMissingThenFlywayRunsAndReportsIt() throws Exception {
    String url = TestDatabase.H2.freshUrl();
    try (Database db = Database.open(url, null, null, 2, null);
        Connection c = DriverManager.getConnection(url)) {
      // The newest migration's row gone: Flyway (not the shortcut) must see it pending and run
      // it again, which fails on the column it already added.
      c.createStatement().execute("delete from flyway_schema_history where version = '10.11'");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> Database.open(url, null, null, 2, null).close())
        .hasMessageContaining("V10_11");
  }

  @Test
  void openWhenCurrentThenReady() {
    String url = TestDatabase.H2.freshUrl();
    Database.open(url, null, null, 2, null).close();

    try (Database again = Database.open(url, null, null, 2, null)) {
      assertThat(again.health().up()).isTrue();
    }
  }
}
