package dev.gatehouse.server.detect;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-login risk score, after Freeman et al., "Who Are You? A Statistical Approach to
 * Measuring User Authenticity" (NDSS 2016): a sign-in's features are compared with the account's
 * own history and with the whole tenant's, and the score is the log10 likelihood ratio
 * {@code sum_k log10( P(x_k | tenant) / P(x_k | this account) )}: large when the account has not
 * been seen like this but the tenant has (or nobody has).
 *
 * <p>Features: the network (the /24 or /48 subnet, and at half weight the address itself), the
 * user agent's family, the device cookie, and the hour of day. Country and ASN are not used: they
 * need an IP database, which Gatehouse does not ship.
 *
 * <p>Smoothing. The account's distribution is interpolated with the tenant's (Witten-Bell):
 * {@code P(x|u) = c_u(x)/(n_u+D_u+1) + (D_u+1)/(n_u+D_u+1) P(x|tenant)}, with {@code n_u} the
 * account's sign-ins and {@code D_u} its distinct values. A value new to the account thus scores
 * {@code log10((n_u+D_u+1)/(D_u+1))}: strong for an account always seen at home, weak for one
 * that roams (many distinct networks), zero for an account without history (no evidence either
 * way). The tenant's counts are count-min sketches with add-one smoothing over the number of
 * distinct values (a HyperLogLog); the hour uses a Dirichlet prior of weight 2 on the tenant's
 * hourly distribution and counts neighbouring hours at half weight.
 *
 * <p>Network new to the tenant. Freeman et al. take the attacker's distribution to be the global
 * one, which fits a service as large as the Internet; a tenant's own traffic is not the world:
 * its people come from a few providers, attackers mostly from elsewhere (hosting, proxies,
 * VPNs). So one more term is the likelihood ratio of the binary fact "no learned sign-in of the
 * tenant ever came from this network block" (the /16, or the /32 of IPv6: a crude stand-in for the
 * provider, as no ASN database is read): {@code log10(P(new | attacker) / P(new | tenant))}, where
 * {@code P(new | attacker)} is an assumption ({@link #ATTACKER_NEW_NETWORK}, no evidence either
 * way) and {@code P(new | tenant)} is measured: the share of the tenant's recent learned sign-ins
 * whose block was new to it. A tenant whose people roam the world measures a high share and the
 * term fades; a young tenant measures everything new and it is zero.
 *
 * <p>History should be the owner's. A sign-in is not learned at once: it is held (at most
 * {@link #HELD} an account) and learned {@code learnAfter} seconds later, or as soon as a second
 * factor confirms it ({@link #confirm}). A risky sign-in is learned only when confirmed. So the
 * second sign-in of a takeover whose first one scored low is measured against the owner's
 * history, not the attacker's, and an owner whose new laptop was stepped up and confirmed is not
 * stepped up on it again.
 *
 * <p>Per-account state is a few top-K maps (at most {@code K} values a feature, least used
 * forgotten), per tenant a bounded LRU of accounts: memory is bounded by configuration.
 */
final class RiskModel {

  static final String[] FEATURES = {"subnet", "ip", "agent", "device"};
  private static final double[] WEIGHTS = {1.0, 0.5, 1.0, 1.0};
  private static final int AGENT = 2;
  /**
   * The device cookie's index. Its term may fall to -2, the others' to -1: a known cookie is a
   * secret the server set in the owner's browser, better evidence of the owner than any network
   * or hour is against them (an attacker with the phished password does not have it).
   */
  private static final int DEVICE = 3;
  private static final int K = 12;
  /** Index of the network block in {@link #features}: a tenant-wide fact, not kept per account. */
  static final int BLOCK = FEATURES.length;
  /**
   * The share of an attacker's sign-ins from a network block the tenant never saw: an assumption
   * (one half: no evidence either way), not something the tenant's traffic can tell.
   */
  static final double ATTACKER_NEW_NETWORK = 0.5;
  /** Forgetting of the tenant's new-network share: a memory of about 10,000 sign-ins. */
  private static final double DECAY = 1 - 1.0 / 10_000;
  /** Sign-ins held per account; beyond, the oldest is learned early (or, if risky, dropped). */
  static final int HELD = 4;

  /** A sign-in not learned yet. */
  private record Held(String[] features, int hour, long time, String sid, boolean risky) {}

  /** One account's history. */
  static final class Profile {
    final String[][] values = new String[FEATURES.length][K];
    final int[][] counts = new int[FEATURES.length][K];
    final int[] distinct = new int[FEATURES.length];
    final int[] hours = new int[24];
    int n;
    /** Sign-ins waiting to be learned, oldest first; null while there are none. */
    ArrayDeque<Held> held;

    int count(int f, String v) {
      for (int i = 0; i < K; i++) {
        if (v.equals(values[f][i])) {
          return counts[f][i];
        }
      }
      return 0;
    }

    void add(int f, String v) {
      int min = 0;
      for (int i = 0; i < K; i++) {
        if (v.equals(values[f][i])) {
          counts[f][i]++;
          return;
        }
        if (counts[f][i] < counts[f][min]) {
          min = i;
        }
      }
      // Space-saving: a new value takes the least used slot.
      values[f][min] = v;
      counts[f][min] = 1;
      distinct[f]++;
    }

    /**
     * Whether the account signed in from {@code subnet}: learned, or held and not risky (a typo
     * right after a sign-in from a new network is the owner's, not a stranger's).
     */
    boolean knows(String subnet) {
      if (count(0, subnet) > 0) {
        return true;
      }
      if (held != null) {
        for (Held h : held) {
          if (!h.risky() && subnet.equals(h.features()[0])) {
            return true;
          }
        }
      }
      return false;
    }
  }

  private final Sketches.CountMin[] global = new Sketches.CountMin[FEATURES.length];
  private final Sketches.HyperLogLog[] distinct = new Sketches.HyperLogLog[FEATURES.length];
  private final long[] hours = new long[24];
  private final Sketches.Lru<String, Profile> profiles;
  /** Network blocks learned sign-ins came from. */
  private final Sketches.Bloom blocks = new Sketches.Bloom(1 << 18);
  // Learned sign-ins, and those from a block new to the tenant, exponentially forgotten.
  private double signIns;
  private double newBlocks;

  private final long learnAfter;

  /**
   * A model of at most {@code maxAccounts} profiles, learning a sign-in {@code learnAfter}
   * seconds after it unless a second factor confirms it sooner.
   */
  RiskModel(int maxAccounts, long learnAfter) {
    this.learnAfter = learnAfter;
    for (int f = 0; f < FEATURES.length; f++) {
      global[f] = new Sketches.CountMin(4, 1024);
      distinct[f] = new Sketches.HyperLogLog();
    }
    profiles = new Sketches.Lru<>(maxAccounts);
  }

  static String[] features(String ip, String userAgent, String device) {
    return new String[] {Network.subnet(ip), ip == null ? "none" : ip,
        Network.agentFamily(userAgent), device == null ? "none" : device, Network.block(ip)};
  }

  Profile profile(String account) {
    return account == null ? null : profiles.get(account);
  }

  /**
   * The score of a sign-in of {@code account} with {@code features} at {@code time} (its UTC
   * {@code hour}), with the log10 likelihood ratio of each feature in {@code factors} (when not
   * null).
   */
  double score(String account, String[] features, long time, int hour,
      Map<String, Object> factors) {
    Profile p = profile(account);
    if (p != null) {
      settle(p, time);
    }
    if (p == null || p.n == 0) {
      return 0;
    }
    double[] lr = new double[FEATURES.length];
    for (int f = 0; f < FEATURES.length; f++) {
      double pg = (global[f].count(features[f]) + 1.0)
          / (global[f].total() + distinct[f].estimate() + 1.0);
      double d = p.distinct[f] + 1.0;
      double pu = p.count(f, features[f]) / (p.n + d) + d / (p.n + d) * pg;
      lr[f] = WEIGHTS[f] * Math.max(f == DEVICE ? -2 : -1, Math.min(3, Math.log10(pg / pu)));
    }
    // A browser family belongs to a device: on a device new to the account a new family is no
    // second piece of news (a new phone is often another brand), while a familiar one still
    // speaks for the owner. Counted alone, the two would tell of one new device twice.
    if (lr[DEVICE] > 0) {
      lr[AGENT] = Math.min(lr[AGENT], 0);
    }
    double total = 0;
    for (int f = 0; f < FEATURES.length; f++) {
      total += lr[f];
      if (factors != null) {
        factors.put(FEATURES[f], round(lr[f]));
      }
    }
    double lrn = networkTerm(features[BLOCK]);
    total += lrn;
    if (factors != null) {
      factors.put("tenant_network", round(lrn));
    }
    long all = 0;
    for (long h : hours) {
      all += h;
    }
    double pgh = (hours[hour] + 1.0) / (all + 24.0);
    double sh = p.hours[hour] + 0.5 * (p.hours[(hour + 23) % 24] + p.hours[(hour + 1) % 24]);
    double puh = (sh + 2 * pgh) / (2.0 * p.n + 2);
    double lrh = clamp(Math.log10(pgh / puh));
    total += lrh;
    if (factors != null) {
      factors.put("hour", round(lrh));
    }
    return total;
  }

  /**
   * The log10 likelihood ratio of whether the tenant knows {@code block}: positive for a block no
   * learned sign-in came from, slightly negative for a known one.
   */
  private double networkTerm(String block) {
    double tenantNew = (newBlocks + 1) / (signIns + 2);
    return blocks.contains(block)
        ? clamp(Math.log10((1 - ATTACKER_NEW_NETWORK) / (1 - tenantNew)))
        : clamp(Math.log10(ATTACKER_NEW_NETWORK / tenantNew));
  }

  /**
   * Holds a successful sign-in of {@code account} (in session {@code sid}, nullable) until it is
   * learned: {@code learnAfter} seconds later, or when a second factor confirms it; a
   * {@code risky} one only then.
   */
  void hold(String account, String[] features, int hour, long time, String sid, boolean risky) {
    if (account == null) {
      if (!risky) {
        learnInto(null, features, hour);
      }
      return;
    }
    Profile p = profiles.get(account, a -> new Profile());
    settle(p, time);
    if (learnAfter == 0 && !risky) {
      learnInto(p, features, hour);
      return;
    }
    if (p.held == null) {
      p.held = new ArrayDeque<>(HELD);
    } else if (p.held.size() == HELD) {
      Held oldest = p.held.pollFirst();
      if (!oldest.risky()) {
        learnInto(p, oldest.features(), oldest.hour());
      }
    }
    p.held.addLast(new Held(features, hour, time, sid, risky));
  }

  /**
   * A second factor was shown in session {@code sid} of {@code account}: its sign-in, if held, is
   * the owner's and is learned now. False when there was none.
   */
  boolean confirm(String account, String sid) {
    Profile p = profile(account);
    if (p == null || p.held == null || sid == null) {
      return false;
    }
    for (Iterator<Held> i = p.held.iterator(); i.hasNext(); ) {
      Held h = i.next();
      if (sid.equals(h.sid())) {
        i.remove();
        learnInto(p, h.features(), h.hour());
        return true;
      }
    }
    return false;
  }

  /** Learns the held sign-ins that waited long enough; drops risky ones nobody confirmed. */
  private void settle(Profile p, long now) {
    while (p.held != null && !p.held.isEmpty() && now - p.held.peekFirst().time() >= learnAfter) {
      Held h = p.held.pollFirst();
      if (!h.risky()) {
        learnInto(p, h.features(), h.hour());
      }
    }
  }

  /** Learns a successful sign-in of {@code account} now. */
  void learn(String account, String[] features, int hour) {
    learnInto(account == null ? null : profiles.get(account, a -> new Profile()), features, hour);
  }

  private void learnInto(Profile p, String[] features, int hour) {
    boolean newBlock = !blocks.contains(features[BLOCK]);
    signIns = signIns * DECAY + 1;
    newBlocks = newBlocks * DECAY + (newBlock ? 1 : 0);
    if (newBlock) {
      blocks.add(features[BLOCK]);
    }
    for (int f = 0; f < FEATURES.length; f++) {
      global[f].add(features[f]);
      distinct[f].add(features[f]);
    }
    hours[hour]++;
    if (p == null) {
      return;
    }
    for (int f = 0; f < FEATURES.length; f++) {
      p.add(f, features[f]);
    }
    p.hours[hour]++;
    p.n++;
  }

  private static double clamp(double x) {
    return Math.max(-1, Math.min(3, x));
  }

  static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }

  static Map<String, Object> newFactors() {
    return new LinkedHashMap<>();
  }
}
