package dev.gatehouse.server.web.page;

import java.util.List;

/**
 * Recovery codes, shown once. The button continues the sign-in (a GET of the authorization
 * endpoint's resume with {@code ar}) or returns to the account page (a POST with the CSRF token).
 */
public record RecoveryCodesPage(Layout layout, List<String> codes, String continueAction,
    String csrf, String ar) implements Page {

  @Override
  public String template() {
    return "recoveryCodes.jte";
  }
}
