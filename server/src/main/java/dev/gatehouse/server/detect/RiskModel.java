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
 * <p>Per-account state is a few top-K maps (at most {@code K} values a feature, least used
 * forgotten), per tenant a bounded LRU of accounts: memory is bounded by configuration.
 */
final class RiskModel {

  static final String[] FEATURES = {"subnet", "ip", "agent", "device"};
  private static final double[] WEIGHTS = {1.0, 0.5, 1.0, 1.0};
  private static final int K = 12;

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

  RiskModel(int maxAccounts) {
    for (int f = 0; f < FEATURES.length; f++) {
      global[f] = new Sketches.CountMin(4, 1024);
      distinct[f] = new Sketches.HyperLogLog();
    }
    profiles = new Sketches.Lru<>(maxAccounts);
  }

  static String[] features(String ip, String userAgent, String device) {
    return new String[] {Network.subnet(ip), ip == null ? "none" : ip,
        Network.agentFamily(userAgent), device == null ? "none" : device};
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

  /** Learns a successful sign-in of {@code account}. */
  void learn(String account, String[] features, int hour) {
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
