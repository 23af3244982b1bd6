package dev.gatehouse.server.detect;

import java.util.Map;

/**
 * Token abuse over {@code token.issued} and {@code refresh.reused}: a client whose token rate
 * leaves its own learned baseline, or whose tokens start coming from subnets it never used (a
 * leaked client secret used elsewhere); and a burst of refresh-token reuse in a tenant (stolen
 * refresh tokens replayed).
 */
final class TokenDetectors {

  private final DetectionEngine engine;
  private final DetectSettings s;

  TokenDetectors(DetectionEngine engine, DetectSettings settings) {
    this.engine = engine;
    this.s = settings;
  }

  void issued(TenantState t, Observation o) {
    if (o.clientId() == null) {
      return;
    }
    TenantState.Client c = t.clients.get(o.clientId(), k -> new TenantState.Client());
    String subnet = o.ip() == null ? null : Network.subnet(o.ip());
    // A subnet is new to a client that has history elsewhere (the first hundred tokens teach).
    boolean strange = subnet != null && c.seen >= 100 && c.subnets.get(subnet) == null;
    c.seen++;
    c.tokens.add(o.time(), 1);
    c.strangeTokens.add(o.time(), strange ? 1 : 0);
    if (subnet != null && !strange) {
      c.subnets.get(subnet, k -> new int[1])[0]++;
    }
    String subject = "client:" + o.clientId();
    Incident i = t.incident("token_abuse", subject);
    // The client's own subnets are evidence of a rate surge, not addresses of an attacker: a
    // busy service must not make the people behind the same address look like intruders.
    if (i != null) {
      if (strange || c.tokens.reaches(s.surprise() / 2)) {
        i.cover(o, strange);
      }
      return;
    }
    boolean rateHigh = c.seen > 100 && c.tokens.recent(10) >= 4 * s.minEvents()
        && c.tokens.reaches(s.surprise());
    boolean whereNew = strange && c.strangeTokens.recent(10) >= s.minEvents()
        && c.strangeTokens.reaches(s.surprise());
    if (rateHigh || whereNew) {
      double rate = c.tokens.worst();
      double where = strange ? c.strangeTokens.worst() : 0;
      i = engine.open(t, "token_abuse", subject, o.time(), Math.max(rate, where), Map.of(
          "rule", where >= s.surprise() ? "tokens from new subnets" : "token rate",
          "expected_10min", RiskModel.round(c.tokens.expected(10)),
          "seen_10min", c.tokens.recent(10)));
      i.freeze(c.tokens);
      i.freeze(c.strangeTokens);
      i.cover(o, strange);
      engine.announce(t, i, o.time());
    }
  }

  void reused(TenantState t, Observation o) {
    t.refreshReuse.add(o.time(), 1);
    Incident i = t.incident("refresh_reuse_burst", "tenant");
    if (i != null) {
      i.cover(o);
      return;
    }
    if (t.refreshReuse.recent(10) >= s.minEvents() && t.refreshReuse.reaches(s.surprise())) {
      double surprise = t.refreshReuse.worst();
      i = engine.open(t, "refresh_reuse_burst", "tenant", o.time(), surprise, Map.of(
          "rule", "refresh reuse surge", "seen_10min", t.refreshReuse.recent(10)));
      i.cover(o);
      engine.announce(t, i, o.time());
    }
  }
}
