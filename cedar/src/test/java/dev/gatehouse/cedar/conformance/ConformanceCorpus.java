package dev.gatehouse.cedar.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The official Cedar test corpus ({@code ../shared/cedar-conformance}, set by the build as the
 * system property {@code cedar.conformance.root}). It is part of the project's test data, not an
 * optional service: a test that needs it fails when it is missing instead of passing unchecked.
 */
public final class ConformanceCorpus {

  private ConformanceCorpus() {}

  /** The corpus folder (holding {@code corpus-tests/}); fails the calling test when absent. */
  public static Path root() {
    String prop = System.getProperty("cedar.conformance.root");
    assertThat(prop).as("system property cedar.conformance.root").isNotNull();
    Path root = Path.of(prop).toAbsolutePath().normalize();
    assertThat(Files.isDirectory(root.resolve("corpus-tests")))
        .as("corpus folder %s must contain corpus-tests/", root)
        .isTrue();
    return root;
  }

  /** The corpus's schemas in the Cedar syntax ({@code corpus-tests/*.cedarschema}), sorted. */
  public static List<Path> schemas(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root.resolve("corpus-tests"))) {
      return s.filter(p -> p.toString().endsWith(".cedarschema")).sorted().toList();
    }
  }
}
