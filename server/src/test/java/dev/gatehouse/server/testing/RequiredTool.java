package dev.gatehouse.server.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a tool it drives (Chromium, Node.js, oathtool) is missing: with
 * {@code GATEHOUSE_REQUIRE_SERVICES=true} (CI) it fails; elsewhere it is skipped with the reason
 * printed, as tests of optional services are (see {@link TestDatabase}).
 */
public final class RequiredTool {

  private RequiredTool() {}

  /** Fails or skips {@code test} when {@code missing} is not null (what is missing, and how to get it). */
  public static void check(String test, String missing) {
    if (missing == null) {
      return;
    }
    if (TestDatabase.requireServices()) {
      throw new AssertionError(missing + " and GATEHOUSE_REQUIRE_SERVICES=true");
    }
    System.out.println("SKIPPED " + test + ": " + missing);
    Assumptions.abort(missing);
  }
}
