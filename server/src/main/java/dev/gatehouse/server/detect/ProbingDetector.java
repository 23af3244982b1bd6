package dev.gatehouse.server.detect;

import java.util.Map;

/**
 * Authorization probing over {@code policy.decision}: a principal collecting denies on resources
 * it was never denied (or allowed) before, at a rate its own learned baseline makes improbable.
 * Decisions are logged at {@code policy.decision-log-sample-rate}: below 1 this detector sees a
 * sample and needs a proportionally longer probe.
 */
final class ProbingDetector {

  private final DetectionEngine engine;
  private final DetectSettings s;

  ProbingDetector(DetectionEngine engine, DetectSettings settings) {
    this.engine = engine;
    this.s = settings;
  }

  void decided(TenantState t, Observation o) {
    if (o.principal() == null || o.resource() == null) {
      return;
    }
    TenantState.Principal p = t.principals.get(o.principal(), k -> new TenantState.Principal());
    boolean fresh = p.resources.put(o.resource(), Boolean.TRUE) == null;
    boolean newDeny = o.deny() && fresh;
    p.newDenies.add(o.time(), newDeny ? 1 : 0);
    String subject = "principal:" + o.principal();
    Incident i = t.incident("authorization_probing", subject);
    if (i != null) {
      if (o.deny()) {
        i.cover(o);
      }
      return;
    }
    if (!newDeny) {
      return;
    }
    if (p.newDenies.recent(60) >= 2 * s.minEvents() && p.newDenies.reaches(s.surprise())) {
      double surprise = p.newDenies.worst();
      i = engine.open(t, "authorization_probing", subject, o.time(), surprise, Map.of(
          "rule", "denies on new resources", "seen_60min", p.newDenies.recent(60)));
      i.freeze(p.newDenies);
      i.cover(o);
      engine.announce(t, i, o.time());
    }
  }
}
