package dev.gatehouse.cedar.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every test of the official Cedar conformance corpus (folder from the system property
 * {@code cedar.conformance.root}) and checks decision, reasons and errors per request.
 *
 * <p>A ratchet keeps the build honest while the engine is incomplete: tests listed in {@code
 * conformance-known-failures.txt} are expected to fail; an unlisted failure fails the build, and
 * so does a listed test that passes (remove it from the list: the list only shrinks).
 */
class CorpusConformanceTest {
  private static final String KNOWN_FAILURES = "/conformance-known-failures.txt";

  static Path root() {
    return ConformanceCorpus.root();
  }

  static Set<String> knownFailures() throws IOException {
    Set<String> ids = new TreeSet<>();
    try (InputStream in = CorpusConformanceTest.class.getResourceAsStream(KNOWN_FAILURES)) {
      if (in == null) {
        return ids;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String t = line.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
          ids.add(t);
        }
      }
    }
    return ids;
  }

  @TestFactory
  Stream<DynamicTest> corpus() throws IOException {
    Path root = root();
    Set<String> known = knownFailures();
    ConformanceRunner runner = new ConformanceRunner(root);
    List<Path> tests = ConformanceRunner.findTests(root);
    return tests.stream()
        .map(
            file -> {
              String id = runner.idOf(file);
              return DynamicTest.dynamicTest(
                  id,
                  () -> {
                    TestOutcome o = runner.run(file);
                    if (known.contains(id)) {
                      assertThat(o.passed())
                          .as("%s is listed in %s but now passes: remove it from the list", id, KNOWN_FAILURES)
                          .isFalse();
                    } else {
                      assertThat(o.failures()).as("conformance test %s", id).isEmpty();
                    }
                  });
            });
  }

  @Test
  void knownFailuresWhenListedThenTestExists() throws IOException {
    Path root = root();
    for (String id : knownFailures()) {
      assertThat(Files.isRegularFile(root.resolve(id))).as("known failure %s exists in the corpus", id).isTrue();
    }
  }

  @Test
  void corpusWhenDiscoveredThenHasAllTests() {
    // 6,323 corpus tests + 22 hand-written ones, as the corpus README states.
    assertThat(ConformanceRunner.findTests(root())).hasSize(6345);
  }
}
