package dev.gatehouse.cedar.validation;

import org.junit.jupiter.api.Assumptions;

/**
 * Whether the official engine (cedar-java, a native library) loads on this machine. Its jar
 * carries Linux binaries only; elsewhere the differential tests skip and say why, as tests of
 * optional services do, unless {@code GATEHOUSE_REQUIRE_SERVICES=true} (CI) makes that a failure.
 */
public final class OfficialEngine {
  private static final String PROBLEM = probe();

  private OfficialEngine() {}

  private static String probe() {
    try {
      com.cedarpolicy.model.policy.PolicySet.parsePolicies("permit(principal, action, resource);");
      return null;
    } catch (Throwable t) {
      return t.toString();
    }
  }

  /** Skips the calling test when the official engine cannot run here. */
  public static void assumeAvailable() {
    if (PROBLEM != null && "true".equalsIgnoreCase(System.getenv("GATEHOUSE_REQUIRE_SERVICES"))) {
      throw new AssertionError("official Cedar engine unavailable: " + PROBLEM
          + " and GATEHOUSE_REQUIRE_SERVICES=true");
    }
    Assumptions.assumeTrue(PROBLEM == null, () -> "official Cedar engine unavailable: " + PROBLEM);
  }
}
