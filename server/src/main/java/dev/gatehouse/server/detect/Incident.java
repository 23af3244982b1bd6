package dev.gatehouse.server.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open detection: what it is about, the events it covers so far and where they came from.
 * Mutated only under its tenant's lock.
 */
final class Incident {

  /** Covered event ids kept per incident: enough to name a campaign, bounded for memory. */
  static final int MAX_COVERS = 5_000;

  final String id;
  final String kind;
  final String subject;
  final long opened;
  long last;
  double score;
  int events;
  final List<String> covers = new ArrayList<>();
  final Sketches.Lru<String, int[]> sources = new Sketches.Lru<>(256);
  final Sketches.HyperLogLog accounts = new Sketches.HyperLogLog();
  final Map<String, Object> evidence = new LinkedHashMap<>();
  /**
   * Whether an address must have failed on two or more accounts to count as a source. A
   * tenant-wide surge covers every failure of its kind, the owners' typos among them; stuffing
   * and spraying addresses try many accounts, a traveller mistyping at a hotel only their own.
   */
  private boolean sourcesTryManyAccounts;
  /** Baselines that do not learn while this incident is open. */
  final List<RateBaseline> frozen = new ArrayList<>();

  Incident(String id, String kind, String subject, long opened, double score) {
    this.id = id;
    this.kind = kind;
    this.subject = subject;
    this.opened = opened;
    this.last = opened;
    this.score = score;
  }

  /** Stops {@code b} learning until this incident closes. */
  void freeze(RateBaseline b) {
    b.freeze();
    frozen.add(b);
  }

  /** Counts an address as a source only once it tried more than one account. */
  void sourcesTryManyAccounts() {
    sourcesTryManyAccounts = true;
  }

  /** Closing: the frozen baselines learn again. */
  void thaw() {
    frozen.forEach(RateBaseline::thaw);
  }

  /** Adds an observation to the incident, its address counted as a source of the attack. */
  void cover(Observation o) {
    cover(o, true);
  }

  /**
   * Adds an observation to the incident; its address counts as a source of the attack (a reason
   * to distrust other sign-ins from it, a candidate for a block) only when {@code suspectSource}.
   */
  void cover(Observation o, boolean suspectSource) {
    events++;
    last = Math.max(last, o.time());
    if (o.id() != null && covers.size() < MAX_COVERS) {
      covers.add(o.id());
    }
    if (o.ip() != null && suspectSource) {
      // Per address: events, accounts (changes of account, a cheap lower bound), last account.
      int[] c = sources.get(o.ip(), k -> new int[3]);
      int name = o.account() == null ? 0 : o.account().hashCode();
      if (c[0] == 0 || c[2] != name) {
        c[1]++;
      }
      c[0]++;
      c[2] = name;
    }
    if (o.account() != null) {
      accounts.add(o.account());
    } else if (o.clientId() != null) {
      accounts.add(o.clientId());
    }
  }

  /**
   * Whether {@code ip} sent at least {@code n} of the covered events (on more than one account
   * where {@link #sourcesTryManyAccounts} asks for it).
   */
  boolean source(String ip, int n) {
    int[] c = ip == null ? null : sources.get(ip);
    return c != null && counts(c, n);
  }

  private boolean counts(int[] c, int n) {
    return c[0] >= n && (!sourcesTryManyAccounts || c[1] >= 2);
  }

  /** The addresses that sent at least {@code n} covered events, most first, at most {@code max}. */
  List<String> topSources(int n, int max) {
    return busiest(max, c -> counts(c, n));
  }

  private List<String> busiest(int max, java.util.function.Predicate<int[]> keep) {
    return sources.entrySet().stream().filter(e -> keep.test(e.getValue()))
        .sorted((a, b) -> b.getValue()[0] - a.getValue()[0]).limit(max)
        .map(Map.Entry::getKey).toList();
  }

  /** The evidence of a detection line: counts, never names or secrets. */
  Map<String, Object> evidence() {
    Map<String, Object> m = new LinkedHashMap<>(evidence);
    m.put("events", events);
    m.put("distinct_sources", sources.size());
    m.put("distinct_accounts", Math.round(accounts.estimate()));
    m.put("first_seen", opened);
    m.put("last_seen", last);
    m.put("top_sources", busiest(5, c -> true));
    return m;
  }
}
