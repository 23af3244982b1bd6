package dev.gatehouse.server.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateBaselineTest {

  @Test
  void surpriseWhenCountAtMostTheMeanThenZero() {
    assertThat(NegativeBinomial.upperTailSurprise(2, 10, 10.0 / 15)).isZero();
  }

  @Test
  void surpriseMatchesTheNegativeBinomialTail() {
    // r=1, p=0.5: geometric, P(X >= k) = 0.5^k.
    assertThat(NegativeBinomial.upperTailSurprise(10, 1, 0.5)).isCloseTo(10 * Math.log10(2),
        within(1e-6));
  }

  @Test
  void lgammaMatchesFactorials() {
    assertThat(NegativeBinomial.lgamma(11)).isCloseTo(Math.log(3_628_800), within(1e-9));
  }

  @Test
  void baselineWhenTrafficIsSteadyThenASurgeIsSurprisingAndNormalIsNot() {
    RateBaseline b = new RateBaseline(60, 60, 1, 30, 720);
    long t = 0;
    for (int m = 0; m < 2000; m++) {
      t = m * 60L;
      b.add(t, m % 2);  // one event every two minutes
    }
    assertThat(b.expected(10)).isCloseTo(5, within(1.0));
    assertThat(b.surprise(6, 10)).isLessThan(2);
    assertThat(b.surprise(60, 10)).isGreaterThan(10);
  }

  @Test
  void thawWhenAnIncidentEndsThenItsBucketsAreNotLearned() {
    RateBaseline b = new RateBaseline(60, 60, 1, 30, 720);
    for (int m = 0; m < 500; m++) {
      b.add(m * 60L, m % 2);
    }
    double before = b.expected(1);
    b.freeze();
    b.add(500 * 60L, 500);
    b.advance(510 * 60L);
    b.thaw();
    b.advance(520 * 60L);
    assertThat(b.expected(1)).isLessThan(before * 1.1);
  }

  @Test
  void reachesWhenCheckedOnEveryEventThenAgreesWithTheWorstSurprise() {
    // reaches() answers from counts cached per closed bucket; it must say what worst() says, on
    // quiet traffic, a slow rise and a surge, through bucket changes, for two thresholds at once.
    RateBaseline b = new RateBaseline(60, 60, 1, 10, 720);
    java.util.Random random = new java.util.Random(7);
    int disagreements = 0;
    int reached = 0;
    long t = 0;
    for (int step = 0; step < 12_000; step++) {
      t += step < 6_000 ? random.nextInt(30) : step < 9_000 ? random.nextInt(4) : 0;
      b.add(t, 1);
      for (double threshold : new double[] {3, 6}) {
        boolean expected = b.worst() >= threshold;
        reached += expected ? 1 : 0;
        disagreements += b.reaches(threshold) == expected ? 0 : 1;
      }
    }
    assertThat(reached).as("the traffic reaches the thresholds at times").isGreaterThan(1000);
    assertThat(disagreements).isZero();
  }

  @Test
  void leastCountIsTheFirstCountThatReachesTheThreshold() {
    RateBaseline b = new RateBaseline(60, 60, 1, 10, 720);
    for (int m = 0; m < 500; m++) {
      b.add(m * 60L, 3);
    }
    int k = b.leastCount(10, 4);
    assertThat(b.surprise(k, 10)).isGreaterThanOrEqualTo(4);
    assertThat(b.surprise(k - 1, 10)).isLessThan(4);
    assertThat(b.leastCount(10, 0)).isZero();
  }
}
