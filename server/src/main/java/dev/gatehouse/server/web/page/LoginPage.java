package dev.gatehouse.server.web.page;

/**
 * The login page: a username and password form posting to {@code action} with the CSRF token and
 * the sealed authorization request. {@code username} and {@code error} may be null; an error is
 * announced to screen readers.
 *
 * @param next {@code account} when signing in to the account page (then {@code ar} is null)
 * @param passkey the passkey sign-in form, or null when the tenant turned MFA off
 * @param clientName the application the sign-in continues to ("to continue to ..."), or null
 */
public record LoginPage(Layout layout, String action, String csrf, String ar,
    String username, String error, String next, Passkey passkey, String clientName)
    implements Page {

  /**
   * Username-less sign-in with a passkey: where the assertion goes, the challenge
   * (bound to the browser) and the RP ID. Hidden until the passkey script finds WebAuthn.
   */
  public record Passkey(String action, String challenge, String rpId) {}

  public LoginPage(Layout layout, String action, String csrf, String ar, String username,
      String error) {
    this(layout, action, csrf, ar, username, error, null, null, null);
  }

  @Override
  public String template() {
    return "login.jte";
  }

  /** Focus starts on the first empty field: the username, unless it is already filled in. */
  public boolean focusUsername() {
    return username == null || username.isEmpty();
  }
}
