package dev.gatehouse.server.store;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Whether a database already holds every migration this build carries, asked without Flyway.
 *
 * <p>Loading and configuring Flyway and letting it scan and checksum the migrations took a third
 * of a restart's time on the embedded default (0.3–0.6 s of ~2 s), and on a restart there is
 * nothing to migrate. So a start first lists the versions in {@code db/migration} and compares them
 * with Flyway's history table; only when one is missing or a migration failed does Flyway run (and
 * then validates checksums as usual). {@code gatehouse migrate} always runs Flyway.
 */
final class BundledMigrations {

  private static final String LOCATION = "db/migration";
  /** Flyway's versioned migration names: {@code V10_10__what.sql} is version {@code 10.10}. */
  private static final Pattern VERSIONED = Pattern.compile("(?:.*/)?V([0-9][0-9_.]*)__[^/]*\\.sql");

  private BundledMigrations() {}

  /**
   * The versions of the migrations on the class path, as Flyway writes them in its history
   * ({@code 10.10}); empty when the location cannot be listed (then Flyway decides).
   */
  static Optional<Set<String>> versions() {
    return versions(BundledMigrations.class.getClassLoader());
  }

  /** {@link #versions()} as {@code loader} sees them (a directory or a jar). */
  static Optional<Set<String>> versions(ClassLoader loader) {
    URL url = loader.getResource(LOCATION);
    if (url == null) {
      return Optional.empty();
    }
    try (Stream<String> names = names(url)) {
      if (names == null) {
        return Optional.empty();
      }
      Set<String> versions = new HashSet<>();
      names.forEach(name -> {
        Matcher m = VERSIONED.matcher(name);
        if (m.matches()) {
          versions.add(m.group(1).replace('_', '.'));
        }
      });
      return versions.isEmpty() ? Optional.empty() : Optional.of(versions);
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Stream<String> names(URL url) throws IOException, URISyntaxException {
    switch (url.getProtocol()) {
      case "file":
        return Files.list(Path.of(url.toURI())).map(p -> p.getFileName().toString());
      case "jar":
        // jar:file:/path/server.jar!/db/migration: the jar read as a file, not through a URL
        // connection (which only the outbound guard may open, ArchitectureTest).
        String path = url.getPath();
        int bang = path.indexOf("!/");
        if (bang < 0 || !path.startsWith("file:")) {
          return null;
        }
        JarFile jar = new JarFile(Path.of(new java.net.URI(path.substring(0, bang))).toFile());
        return jar.stream().map(e -> e.getName())
            .filter(n -> n.startsWith(LOCATION + "/")).onClose(() -> close(jar));
      default:
        return null;
    }
  }

  private static void close(JarFile jar) {
    try {
      jar.close();
    } catch (IOException ignored) {
      // Read-only; nothing to lose.
    }
  }

  /**
   * True when every one of {@code versions} is in Flyway's history as applied and no migration
   * there failed. A database without the history table (new, or not ours) is not current.
   */
  static boolean allApplied(Connection c, Set<String> versions) {
    Set<String> applied = new HashSet<>();
    try (var st = c.createStatement();
        var rs = st.executeQuery("select version, success from flyway_schema_history")) {
      while (rs.next()) {
        if (!rs.getBoolean(2)) {
          return false;
        }
        if (rs.getString(1) != null) {
          applied.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      return false;
    }
    return applied.containsAll(versions);
  }
}
