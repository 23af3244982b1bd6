package dev.gatehouse.server.web.page;

/**
 * The login page: a username and password form posting to {@code action} with the CSRF token and
 * the sealed authorization request. {@code username} and {@code error} may be null; an error is
 * announced to screen readers.
 */
public record LoginPage(Layout layout, String action, String csrf, String ar,
    String username, String error) implements Page {

  @Override
  public String template() {
    return "login.jte";
  }

  /** Focus starts on the first empty field: the username, unless it is already filled in. */
  public boolean focusUsername() {
    return username == null || username.isEmpty();
  }
}
