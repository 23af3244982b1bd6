package dev.gatehouse.server.web.page;

import java.util.Map;

/**
 * The logout confirmation (RP-Initiated Logout 1.0 §2: "the OP SHOULD ask the End-User whether
 * to log out"); {@code carried} are the request's parameters posted back with the answer.
 *
 * @param clientName the application that asked for the logout, or null when not known
 */
public record LogoutConfirmPage(Layout layout, String action, String csrf,
    Map<String, String> carried, String clientName) implements Page {

  public LogoutConfirmPage(Layout layout, String action, String csrf,
      Map<String, String> carried) {
    this(layout, action, csrf, carried, null);
  }

  @Override
  public String template() {
    return "logoutConfirm.jte";
  }
}
