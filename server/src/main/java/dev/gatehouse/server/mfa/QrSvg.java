package dev.gatehouse.server.mfa;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code as an SVG image (io.nayuki:qrcodegen encodes; this draws): rendered on the server so
 * that enrolment needs no JavaScript and no third party sees the secret.
 */
final class QrSvg {

  private static final int BORDER = 4;

  private QrSvg() {}

  /** An SVG of {@code text} at error correction level M, with a 4-module quiet zone. */
  static String of(String text) {
    QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
    int size = qr.size + BORDER * 2;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < qr.size; y++) {
      for (int x = 0; x < qr.size; x++) {
        if (qr.getModule(x, y)) {
          path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size
        + "\" width=\"220\" height=\"220\" role=\"img\" aria-label=\"QR code for your"
        + " authenticator app\" shape-rendering=\"crispEdges\"><rect width=\"100%\""
        + " height=\"100%\" fill=\"#fff\"/><path d=\"" + path + "\" fill=\"#000\"/></svg>";
  }
}
