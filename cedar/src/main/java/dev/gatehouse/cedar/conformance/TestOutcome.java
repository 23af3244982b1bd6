package dev.gatehouse.cedar.conformance;

import java.util.List;

/**
 * The result of one conformance test file.
 *
 * @param id the test file's path relative to the corpus root, e.g. {@code corpus-tests/0004f2.json}
 * @param requests how many requests it has
 * @param failures one line per mismatch; empty when the test passed
 */
public record TestOutcome(String id, int requests, List<String> failures) {
  public TestOutcome {
    failures = List.copyOf(failures);
  }

  /** Returns whether everything matched. */
  public boolean passed() {
    return failures.isEmpty();
  }
}
