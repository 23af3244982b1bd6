package dev.gatehouse.server.detect;

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
 * <p>Per-account state is a few top-K maps (at most {@code K} values a feature, least used
 * forgotten), per tenant a bounded LRU of accounts: memory is bounded by configuration.
 */
final class RiskModel {

  static final String[] FEATURES = {"subnet", "ip", "agent", "device"};
  private static final double[] WEIGHTS = {1.0, 0.5, 1.0, 1.0};
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

  /** One account's history. */
  static final class Profile {
    final String[][] values = new String[FEATURES.length][K];
    final int[][] counts = new int[FEATURES.length][K];
    final int[] distinct = new int[FEATURES.length];
    final int[] hours = new int[24];
    int n;

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

    boolean knows(String subnet) {
      return count(0, subnet) > 0;
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

  RiskModel(int maxAccounts) {
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
   * The score of a sign-in of {@code account} with {@code features} at {@code hour}, with the
   * log10 likelihood ratio of each feature in {@code factors} (when not null).
   */
  double score(String account, String[] features, int hour, Map<String, Object> factors) {
    Profile p = profile(account);
    if (p == null || p.n == 0) {
      return 0;
    }
    double total = 0;
    for (int f = 0; f < FEATURES.length; f++) {
      double pg = (global[f].count(features[f]) + 1.0)
          / (global[f].total() + distinct[f].estimate() + 1.0);
      double d = p.distinct[f] + 1.0;
      double pu = p.count(f, features[f]) / (p.n + d) + d / (p.n + d) * pg;
      double lr = WEIGHTS[f] * clamp(Math.log10(pg / pu));
      total += lr;
      if (factors != null) {
        factors.put(FEATURES[f], round(lr));
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

  /** Learns a successful sign-in of {@code account}. */
  void learn(String account, String[] features, int hour) {
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
    if (account == null) {
      return;
    }
    Profile p = profiles.get(account, a -> new Profile());
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
