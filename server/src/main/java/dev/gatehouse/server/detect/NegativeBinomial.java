package dev.gatehouse.server.detect;

/** The negative binomial upper tail, in log space (counts up to millions without overflow). */
final class NegativeBinomial {

  private NegativeBinomial() {}

  /**
   * {@code -log10 P(X >= k)} for X negative binomial with shape {@code r} and success
   * probability {@code p} (mean {@code r (1-p) / p}); 0 when {@code k} is at most the mean.
   */
  static double upperTailSurprise(int k, double r, double p) {
    double mean = r * (1 - p) / p;
    if (k <= mean || k <= 0) {
      return 0;
    }
    // Sum the pmf from k upward; terms fall geometrically past the mode, so a few hundred do.
    double logTerm = lgamma(k + r) - lgamma(r) - lgamma(k + 1.0) + r * Math.log(p)
        + k * Math.log1p(-p);
    double logSum = logTerm;
    double lq = Math.log1p(-p);
    for (int x = k + 1; x < k + 2000; x++) {
      logTerm += Math.log((x - 1 + r) / x) + lq;
      double next = logAdd(logSum, logTerm);
      if (next - logSum < 1e-12) {
        break;
      }
      logSum = next;
    }
    return Math.max(0, -logSum / Math.log(10));
  }

  private static double logAdd(double a, double b) {
    double m = Math.max(a, b);
    return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
  }

  /** log Γ(x) for x > 0 (Lanczos, g=7, 9 terms: about 15 significant digits). */
  static double lgamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
    }
    double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
        771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
        9.9843695780195716e-6, 1.5056327351493116e-7};
    x -= 1;
    double s = c[0];
    for (int i = 1; i < 9; i++) {
      s += c[i] / (x + i);
    }
    double t = x + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
  }
}
