package dev.gatehouse.server.mfa;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code drawn as SVG path data (io.nayuki:qrcodegen encodes): rendered on the server, inline
 * in the page, so that enrolment needs no JavaScript, no image source in the CSP, and no third
 * party sees the secret.
 */
public final class QrSvg {

  private static final int BORDER = 4;

  /**
   * An SVG drawing: a square of {@code size} modules (quiet zone included) and the path of the
   * dark modules, only letters, digits and commas (safe in an attribute).
   */
  public record Image(int size, String path) {}

  private QrSvg() {}

  /** The QR code of {@code text} at error correction level M, with a 4-module quiet zone. */
  public static Image of(String text) {
    QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < qr.size; y++) {
      for (int x = 0; x < qr.size; x++) {
        if (qr.getModule(x, y)) {
          path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
        }
      }
    }
    return new Image(qr.size + BORDER * 2, path.toString());
  }
}
