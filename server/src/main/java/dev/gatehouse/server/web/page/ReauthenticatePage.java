package dev.gatehouse.server.web.page;

/** Asks for the password again before a change to how one signs in. */
public record ReauthenticatePage(Layout layout, String action, String csrf, String error)
    implements Page {

  @Override
  public String template() {
    return "reauthenticate.jte";
  }
}
