package dev.gatehouse.server.tenant;

/**
 * WCAG 2.2 contrast ratio between two {@code #rrggbb} colours: (L1 + 0.05) / (L2 + 0.05) of their
 * relative luminances, from 1 (same colour) to 21 (black on white).
 *
 * @see <a href="https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio">WCAG 2.2, contrast ratio</a>
 */
public final class ContrastRatio {

  /** WCAG 2.2 SC 1.4.3 (AA): "at least 4.5:1" for text. */
  public static final double AA_TEXT = 4.5;
  public static final String WHITE = "#ffffff";
  /**
   * Black: of white and black, one always reaches 4.58:1 or more on any background (a softer
   * dark gray would fall to 4.2:1 on some mid blues).
   */
  public static final String BLACK = "#000000";

  private ContrastRatio() {}

  /** The contrast ratio of {@code a} and {@code b}, both {@code #rrggbb}. */
  public static double of(String a, String b) {
    double la = luminance(a);
    double lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  /** White or black text, whichever reads better on {@code background} (always at least 4.5:1). */
  public static String textOn(String background) {
    return of(background, WHITE) >= of(background, BLACK) ? WHITE : BLACK;
  }

  /** WCAG 2.2 "relative luminance": 0.2126 R + 0.7152 G + 0.0722 B of the linearised sRGB. */
  static double luminance(String hex) {
    int rgb = Integer.parseInt(hex.substring(1), 16);
    return 0.2126 * channel(rgb >> 16 & 0xff) + 0.7152 * channel(rgb >> 8 & 0xff)
        + 0.0722 * channel(rgb & 0xff);
  }

  private static double channel(int c8) {
    double c = c8 / 255.0;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
}
