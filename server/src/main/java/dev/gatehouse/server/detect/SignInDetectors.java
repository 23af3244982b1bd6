package dev.gatehouse.server.detect;

import java.util.Map;

/**
 * Credential stuffing, password spraying, brute force and account takeover, over
 * {@code login.failed}, {@code login.succeeded} and {@code account.locked}.
 *
 * <p>Each failure is sorted first: on an <em>unknown name</em> (no sign-in of that name ever
 * succeeded: stuffing lists are mostly accounts of other sites), on a known name from a network
 * the account never used (<em>strange</em>: what spraying and distributed guessing look like), or
 * on a known name from a familiar network (a typo at home: ignored). Then:
 *
 * <ul>
 *   <li>tenant-wide, the counts of unknown-name and of strange failures are compared with their
 *       learned baselines ({@link RateBaseline}); a surprising surge opens a stuffing or spraying
 *       incident that covers such failures until it goes quiet. This catches distributed and
 *       slow campaigns that no single address or account reveals;
 *   <li>per address, an hour of failures over many accounts with few successes opens an incident
 *       about that address (stuffing when most names are unknown, spraying otherwise);
 *   <li>per account, strange failures against the account's own baseline (hourly, learned) open
 *       a brute-force incident: distributed guessing that the per-name lockout only slows;
 *   <li>every success is scored by {@link RiskModel} plus two signals: a failure wave on the
 *       account just before, and an address an open incident comes from. A risky success is a
 *       {@code risk.assessed} line ({@code account_takeover}).
 * </ul>
 */
final class SignInDetectors {

  private final DetectionEngine engine;
  private final DetectSettings s;

  SignInDetectors(DetectionEngine engine, DetectSettings settings) {
    this.engine = engine;
    this.s = settings;
  }

  void failed(TenantState t, Observation o) {
    String account = o.account();
    boolean unknown = account == null || !t.knownNames().contains(account);
    RiskModel.Profile profile = t.risk().profile(account);
    boolean strange = !unknown && (profile == null || !profile.knows(Network.subnet(o.ip())));

    TenantState.Source src = t.source(o.ip(), o.time());
    src.failures++;
    if (unknown) {
      src.unknownNames++;
    }
    if (account != null && src.accounts.size() < 64) {
      src.accounts.add(account);
    }
    int counted = (unknown || strange) && t.countsTenantWide(account, o.time()) ? 1 : 0;
    t.unknownFailures.add(o.time(), unknown ? counted : 0);
    t.strangeFailures.add(o.time(), strange ? counted : 0);

    boolean covered = false;
    // Tenant-wide surges.
    if (unknown) {
      covered |= surge(t, t.unknownFailures, t.unknownAccounts, "credential_stuffing", o);
    }
    if (strange) {
      covered |= surge(t, t.strangeFailures, t.strangeAccounts, "password_spraying", o);
    }
    // One address over many accounts.
    if (src.accounts.size() >= 5 && src.failures >= 3 * (src.successes + 1)) {
      String kind = src.unknownNames * 2 >= src.failures ? "credential_stuffing"
          : "password_spraying";
      Incident i = t.incident(kind, "ip:" + o.ip());
      boolean fresh = i == null;
      i = engine.open(t, kind, "ip:" + o.ip(), o.time(), src.accounts.size(),
          Map.of("rule", "one address, many accounts", "accounts_this_hour",
              src.accounts.size()));
      i.cover(o);
      covered = true;
      if (fresh) {
        engine.announce(t, i, o.time());
      }
    }
    // One account from strange networks.
    if (strange) {
      TenantState.Account a = t.account(account);
      a.strangeFailures.add(o.time(), 1);
      long hour = Math.floorDiv(o.time(), 3600);
      if (a.sourcesHour != hour) {
        a.sourcesHour = hour;
        a.sources.clear();
      }
      if (a.sources.size() < 32 && o.ip() != null) {
        a.sources.add(o.ip());
      }
      int k = a.strangeFailures.recent(2);
      double surprise = a.strangeFailures.surprise(k, 2);
      Incident i = t.incident("brute_force", "account:" + account);
      // Distributed over addresses, or going on past a lock or two: a forgetful owner on a new
      // network makes a handful of tries from one address.
      boolean distributed = a.sources.size() >= 3 || k >= 20;
      if (i == null && k >= s.minEvents() && surprise >= s.surprise() && distributed) {
        i = engine.open(t, "brute_force", "account:" + account, o.time(), surprise,
            Map.of("rule", "one account, strange networks", "distinct_sources",
                a.sources.size()));
        i.cover(o);
        engine.announce(t, i, o.time());
      } else if (i != null) {
        i.cover(o);
      }
      covered |= i != null;
    }
    // A failure from an address an open incident comes from belongs to it.
    if (!covered) {
      for (Incident i : t.incidents.values()) {
        if (i.source(o.ip(), 2)) {
          i.cover(o);
          break;
        }
      }
    }
  }

  /** Feeds one failure to a tenant-wide surge detector; true when an incident covers it. */
  private boolean surge(TenantState t, RateBaseline b, RecentKeys accounts, String kind,
      Observation o) {
    accounts.add(o.account(), o.time());
    Incident i = t.incident(kind, "tenant");
    if (i != null) {
      i.cover(o);
      return true;
    }
    // Stuffing and spraying are about many accounts: one person's bad morning is not a surge.
    if (b.recent(10) >= s.minEvents() && b.reaches(s.surprise())
        && accounts.distinct(o.time() - 3600) >= 3) {
      double surprise = b.worst();
      i = engine.open(t, kind, "tenant", o.time(), surprise, Map.of("rule", "tenant-wide surge",
          "expected_10min", RiskModel.round(b.expected(10)), "seen_10min", b.recent(10)));
      i.sourcesTryManyAccounts();
      i.cover(o);
      i.freeze(b);
      engine.announce(t, i, o.time());
      return true;
    }
    return false;
  }

  void succeeded(TenantState t, Observation o) {
    DetectionEngine.Risk r = engine.assessLocked(t, o.account(), o.ip(), o.userAgent(),
        o.device(), o.time());
    boolean risky = r.score() >= s.stepUpScore();
    if (risky) {
      engine.assessed(t, o, r);
      for (Incident i : t.incidents.values()) {
        if (i.source(o.ip(), 2)) {
          i.cover(o);
          break;
        }
      }
    }
    // History should be the owner's: learned after a while, or once a second factor confirms it;
    // a risky sign-in only then.
    t.risk().hold(o.account(), RiskModel.features(o.ip(), o.userAgent(), o.device()),
        DetectionEngine.hour(o.time()), o.time(), o.sid(), risky);
    if (o.sid() != null && o.account() != null) {
      t.heldSessions.put(o.sid(), o.account());
    }
    if (o.account() != null) {
      t.knownNames().add(o.account());
    }
    t.source(o.ip(), o.time()).successes++;
  }

  /** A second factor shown in a session: the sign-in that started it is the owner's. */
  void verified(TenantState t, Observation o) {
    String account = o.sid() == null ? null : t.heldSessions.remove(o.sid());
    if (account != null) {
      t.risk().confirm(account, o.sid());
    }
  }

  void locked(TenantState t, Observation o) {
    Incident i = o.account() == null ? null : t.incident("brute_force", "account:" + o.account());
    if (i != null) {
      i.evidence.put("locked", true);
    }
  }
}
