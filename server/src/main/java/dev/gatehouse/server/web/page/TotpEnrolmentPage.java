package dev.gatehouse.server.web.page;

import dev.gatehouse.server.mfa.TotpService;

/**
 * Setting up an authenticator app: the QR code, the key to type, and the first code to confirm.
 *
 * @param forced whether the tenant's policy requires it at this sign-in
 */
public record TotpEnrolmentPage(Layout layout, String action, String csrf, String ar,
    String next, TotpService.Enrollment enrollment, boolean forced, String error)
    implements Page {

  @Override
  public String template() {
    return "totpEnrolment.jte";
  }

  /** The secret in groups of four, easier to type. */
  public String groupedSecret() {
    return enrollment.secret().replaceAll("(.{4})(?!$)", "$1 ");
  }

  public String viewBox() {
    return "0 0 " + enrollment.qr().size() + " " + enrollment.qr().size();
  }
}
