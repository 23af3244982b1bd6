package dev.gatehouse.server.detect;

/**
 * A learned rate of something (failures of a tenant, tokens of a client) per time bucket, and how
 * surprising a recent count is under it.
 *
 * <p>The model is Bayesian: counts per bucket are Poisson with an unknown rate, the rate has a
 * Gamma prior (shape {@code a0}, rate {@code b0}: {@code b0} buckets holding {@code a0} events),
 * and each closed bucket updates the posterior with exponential forgetting (weight {@code decay}
 * per bucket), so the baseline follows slow drifts (growth, seasons) but not a burst. The count
 * in the last {@code w} buckets is then negative-binomial (the posterior predictive), which is
 * wider than a Poisson when the baseline has little data: a young tenant needs a larger surge to
 * be surprising than an old one. Surprise is {@code -log10 P(X >= k)}.
 *
 * <p>Buckets counted while an incident is open are not learned ({@link #freeze}): an attack must
 * not become the baseline it is measured against.
 */
final class RateBaseline {

  private static final int[] WINDOWS = {1, 10, 60};


  private final long bucketSeconds;
  private final double a0;
  private final double b0;
  private final double decay;
  private double a;
  private double b;
  private final int[] ring;
  private long bucket = Long.MIN_VALUE;
  private boolean frozen;
  private double maxShape = 25;
  /** {@link #reaches}' thresholds: per threshold, the least surprising count of each window. */
  private final double[] cachedThreshold = {Double.NaN, Double.NaN};
  private final int[][] cachedCounts = new int[2][];
  private double cachedA = Double.NaN;
  private double cachedB = Double.NaN;
  private int nextSlot;

  /**
   * A baseline of buckets of {@code bucketSeconds}, remembering the last {@code ring} of them,
   * with a Gamma({@code a0}, {@code b0}) prior and a half-life of {@code halfLifeBuckets}.
   */
  RateBaseline(long bucketSeconds, int ring, double a0, double b0, double halfLifeBuckets) {
    this.bucketSeconds = bucketSeconds;
    this.ring = new int[ring];
    this.a0 = a0;
    this.b0 = b0;
    this.decay = Math.pow(0.5, 1 / halfLifeBuckets);
    this.a = a0;
    this.b = b0;
  }

  /** Counts {@code n} events at {@code time} (epoch seconds; later than or equal to the last). */
  void add(long time, int n) {
    advance(time);
    ring[(int) Math.floorMod(bucket, ring.length)] += n;
  }

  /** Moves the current bucket to {@code time}'s, learning the buckets that closed. */
  void advance(long time) {
    long now = Math.floorDiv(time, bucketSeconds);
    if (bucket == Long.MIN_VALUE) {
      bucket = now;
      return;
    }
    if (now <= bucket) {
      return;
    }
    long steps = now - bucket;
    long direct = Math.min(steps, ring.length);
    for (long i = 1; i <= direct; i++) {
      if (!frozen) {
        learn(ring[(int) Math.floorMod(bucket + i - 1, ring.length)]);
      }
      ring[(int) Math.floorMod(bucket + i, ring.length)] = 0;
    }
    if (steps > ring.length && !frozen) {
      // The remaining buckets were empty: their updates in closed form.
      double dk = Math.pow(decay, steps - ring.length);
      a = a0 + dk * (a - a0);
      b = b0 + dk * (b - b0) + (1 - dk) / (1 - decay);
    }
    bucket = now;
  }

  private void learn(int count) {
    a = a0 + decay * (a - a0) + count;
    b = b0 + decay * (b - b0) + 1;
    if (a > maxShape) {
      // Bounded confidence: real traffic is overdispersed (hours of the day, weekdays, bursts of
      // one user), so the rate is never known better than a Gamma of this shape says.
      b *= maxShape / a;
      a = maxShape;
    }
  }

  /** The count in the last {@code w} buckets (the current one included, {@code w <= ring}). */
  int recent(int w) {
    int sum = 0;
    for (int i = 0; i < w; i++) {
      sum += ring[(int) Math.floorMod(bucket - i, ring.length)];
    }
    return sum;
  }

  /** The expected count in {@code w} buckets. */
  double expected(int w) {
    return a / b * w;
  }

  /** {@code -log10 P(X >= k)} for the count X of {@code w} buckets under the baseline. */
  double surprise(int k, int w) {
    return NegativeBinomial.upperTailSurprise(k, a, b / (b + w));
  }

  /** The largest surprise over windows of 1, 10 and 60 buckets (as the ring allows). */
  double worst() {
    double best = 0;
    for (int w : WINDOWS) {
      if (w > ring.length) {
        break;
      }
      double s = surprise(recent(w), w);
      best = Math.max(best, s);
    }
    return best;
  }

  /**
   * Whether {@link #worst()} is at least {@code threshold}, in a few integer comparisons.
   *
   * <p>Surprise grows with the count, and the posterior changes only when a bucket closes, so the
   * least count of each window that reaches the threshold is found once per bucket (a search of
   * about 30 tail sums) and every event until then compares counts: a client's token rate is
   * checked on each of thousands of tokens a second without a tail sum per token.
   */
  boolean reaches(double threshold) {
    int[] least = leastCounts(threshold);
    for (int i = 0; i < WINDOWS.length && WINDOWS[i] <= ring.length; i++) {
      if (recent(WINDOWS[i]) >= least[i]) {
        return true;
      }
    }
    return false;
  }

  private int[] leastCounts(double threshold) {
    if (a != cachedA || b != cachedB) {
      cachedA = a;
      cachedB = b;
      cachedThreshold[0] = Double.NaN;
      cachedThreshold[1] = Double.NaN;
    }
    for (int s = 0; s < 2; s++) {
      if (cachedThreshold[s] == threshold) {
        return cachedCounts[s];
      }
    }
    int[] least = new int[WINDOWS.length];
    for (int i = 0; i < WINDOWS.length; i++) {
      least[i] = leastCount(WINDOWS[i], threshold);
    }
    int s = nextSlot;
    nextSlot = 1 - nextSlot;
    cachedThreshold[s] = threshold;
    cachedCounts[s] = least;
    return least;
  }

  /** The least count of {@code w} buckets whose surprise is at least {@code threshold}. */
  int leastCount(int w, double threshold) {
    if (threshold <= 0) {
      return 0;
    }
    long lo = (long) Math.floor(expected(w));  // at or below the mean: no surprise at all
    long hi = Math.max(1, lo + 1);
    while (surprise((int) hi, w) < threshold) {
      if (hi >= Integer.MAX_VALUE / 2) {
        return Integer.MAX_VALUE;  // unreachable
      }
      lo = hi;
      hi *= 2;
    }
    // INVARIANT: surprise(lo) < threshold <= surprise(hi)
    while (hi - lo > 1) {
      long mid = (lo + hi) >>> 1;
      if (surprise((int) mid, w) >= threshold) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return (int) hi;
  }

  /** Caps the posterior's shape (how sure the baseline may be of its rate); 25 by default. */
  RateBaseline maxShape(double shape) {
    this.maxShape = shape;
    return this;
  }

  /** The count of the current bucket. */
  int current() {
    return recent(1);
  }

  /** Stops learning: the buckets from now on belong to an incident. */
  void freeze() {
    frozen = true;
  }

  /**
   * Learns again from the next bucket on; the incident's buckets still in the ring are dropped
   * unlearned (they would teach the attack's rate as normal).
   */
  void thaw() {
    if (frozen) {
      java.util.Arrays.fill(ring, 0);
      frozen = false;
    }
  }
}
