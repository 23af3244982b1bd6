package dev.gatehouse.cedar.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The official Cedar test corpus: the archive {@code cedar-conformance/corpus.tar.gz} among the
 * test resources (where it comes from: the README beside it), unpacked once into {@code
 * target/cedar-conformance}. Another copy of the corpus, a folder, may be named with the system
 * property {@code cedar.conformance.root} or the environment variable {@code
 * GATEHOUSE_CEDAR_CORPUS}. It is part of the project's test data, not an optional service: a test
 * that needs it fails when it is missing instead of passing unchecked.
 */
public final class ConformanceCorpus {
  private static final String ARCHIVE = "/cedar-conformance/corpus.tar.gz";
  private static Path root;

  private ConformanceCorpus() {}

  /** The corpus folder (holding {@code corpus-tests/}); fails the calling test when absent. */
  public static synchronized Path root() {
    if (root == null) {
      root = locate().toAbsolutePath().normalize();
    }
    assertThat(Files.isDirectory(root.resolve("corpus-tests")))
        .as("corpus folder %s must contain corpus-tests/", root)
        .isTrue();
    return root;
  }

  private static Path locate() {
    String folder = System.getProperty("cedar.conformance.root", System.getenv("GATEHOUSE_CEDAR_CORPUS"));
    if (folder != null && !folder.isBlank()) {
      return Path.of(folder);
    }
    URL archive = ConformanceCorpus.class.getResource(ARCHIVE);
    assertThat(archive).as("test resource %s", ARCHIVE).isNotNull();
    try {
      return CorpusArchive.unpacked(Path.of(archive.toURI()),
          Path.of(System.getProperty("cedar.conformance.unpacked", "target/cedar-conformance")));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The corpus's schemas in the Cedar syntax ({@code corpus-tests/*.cedarschema}), sorted. */
  public static List<Path> schemas(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root.resolve("corpus-tests"))) {
      return s.filter(p -> p.toString().endsWith(".cedarschema")).sorted().toList();
    }
  }
}
