package dev.gatehouse.cedar;

import java.util.Random;

/**
 * Small textual mutations of valid inputs (policies, schemas, entities) for the differential and
 * robustness probes: each replaces one occurrence of a pattern with something near-valid.
 */
public final class Mutations {

  private Mutations() {}

  /**
   * Picks one swap {@code {from, to}} at random and replaces one occurrence of {@code from},
   * chosen uniformly (reservoir sampling), by {@code to}; the text unchanged if it has none.
   */
  public static String swapOnce(String text, String[][] swaps, Random rnd) {
    String[] sw = swaps[rnd.nextInt(swaps.length)];
    int idx = -1;
    int count = 0;
    for (int i = text.indexOf(sw[0]); i >= 0; i = text.indexOf(sw[0], i + 1)) {
      count++;
      if (rnd.nextInt(count) == 0) {
        idx = i;
      }
    }
    return idx < 0 ? text : text.substring(0, idx) + sw[1] + text.substring(idx + sw[0].length());
  }

  /** {@link #swapOnce} applied 1 to {@code maxSwaps} times. */
  public static String swaps(String text, String[][] swaps, int maxSwaps, Random rnd) {
    String s = text;
    int n = 1 + rnd.nextInt(maxSwaps);
    for (int k = 0; k < n; k++) {
      s = swapOnce(s, swaps, rnd);
    }
    return s;
  }
}
