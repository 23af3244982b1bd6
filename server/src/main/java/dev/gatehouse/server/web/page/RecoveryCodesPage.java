package dev.gatehouse.server.web.page;

import java.util.List;

/**
 * Recovery codes, shown once. The button continues the sign-in (a GET of the authorization
 * endpoint's resume with {@code ar}) or returns to the account page (a POST with the CSRF token).
 * Copy and download are done in the browser by {@code /assets/recovery-codes.js} (loaded with the
 * page's nonce): the codes are never served again nor kept in plaintext by the server.
 */
public record RecoveryCodesPage(Layout layout, List<String> codes, String continueAction,
    String csrf, String ar) implements Page {

  /** The downloaded file's name: the tenant's display name, in letters and digits only. */
  public String fileName() {
    String name = layout.brand().displayName().toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    return (name.isEmpty() ? "" : name + "-") + "recovery-codes.txt";
  }

  @Override
  public String template() {
    return "recoveryCodes.jte";
  }
}
