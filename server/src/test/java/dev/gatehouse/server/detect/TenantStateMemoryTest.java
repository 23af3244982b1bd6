package dev.gatehouse.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tenant's sign-in sketches (risk model, known names: about 150 KiB) exist only once it has
 * sign-ins. They were made for every tenant the detectors saw, so 1,000 tenants that only issued
 * tokens held about 150 MiB of them in a 192 MiB heap, and token issuance spread over 100,000
 * tenants ran in back-to-back full collections.
 */
class TenantStateMemoryTest {

  private final List<Detection> found = new ArrayList<>();
  private final DetectionEngine engine = new DetectionEngine(DetectSettings.DEFAULTS,
      new InMemoryBlockList(1000), found::add);

  private void feed(String tenant, String type, long t, String account, String client) {
    engine.accept(new Observation("e" + t, tenant, type, t, "198.51.100.7", "Firefox/120",
        "dev1", account, null, client, null, null, false));
  }

  @Test
  void stateWhenATenantOnlyIssuesTokensThenNoSignInSketches() {
    for (int i = 0; i < 50; i++) {
      feed("tokens-only", "token.issued", 1_793_491_200L + i, null, "svc");
    }
    engine.blocked("tokens-only", "198.51.100.7", "someone", 1_793_491_300L);
    TenantState t = engine.stateIfAny("tokens-only");
    assertThat(t).isNotNull();
    assertThat(t.clients.get("svc")).isNotNull();
    assertThat(t.riskIfAny()).isNull();
  }

  @Test
  void stateWhenATenantHasASignInThenItsRiskModelIsKept() {
    feed("people", "login.succeeded", 1_793_491_200L, "alice", null);
    assertThat(engine.stateIfAny("people").riskIfAny()).isNotNull();
    assertThat(engine.assess("people", "alice", "198.51.100.7", "Firefox/120", "dev1",
        1_793_491_260L)).isNotNull();
  }
}
