package dev.gatehouse.server.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** WCAG 2.2 contrast ratios, against values computed by hand from the definition. */
class ContrastRatioTest {

  @Test
  void ofWhenBlackAndWhiteThenTwentyOne() {
    assertThat(ContrastRatio.of("#000000", "#ffffff")).isCloseTo(21.0, within(1e-9));
    assertThat(ContrastRatio.of("#ffffff", "#000000")).isCloseTo(21.0, within(1e-9));
    assertThat(ContrastRatio.of("#777777", "#777777")).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void ofWhenKnownColoursThenKnownRatios() {
    // #1d4ed8 (blue 700) on white: 6.70:1; #777777 on white: 4.48:1, just under AA.
    assertThat(ContrastRatio.of("#1d4ed8", "#ffffff")).isCloseTo(6.70, within(0.01));
    assertThat(ContrastRatio.of("#777777", "#ffffff")).isCloseTo(4.48, within(0.01));
  }

  @Test
  void textOnWhenLightOrDarkBackgroundThenBlackOrWhite() {
    assertThat(ContrastRatio.textOn("#ffcc00")).isEqualTo(ContrastRatio.BLACK);
    assertThat(ContrastRatio.textOn("#1d4ed8")).isEqualTo(ContrastRatio.WHITE);
  }

  @Property
  void textOnAnyBackgroundReachesWcagAa(@ForAll @IntRange(min = 0, max = 0xffffff) int rgb) {
    String bg = String.format("#%06x", rgb);
    assertThat(ContrastRatio.of(bg, ContrastRatio.textOn(bg)))
        .isGreaterThanOrEqualTo(ContrastRatio.AA_TEXT);
  }
}
