package dev.gatehouse.server.web.page;

/**
 * The page after a logout without a registered address to return to: not a dead end, it links
 * to signing in again ({@code signInAgain}, the account page) and names the application the
 * logout came from when known.
 *
 * @param clientName the name of the application that asked for the logout, or null
 */
public record SignedOutPage(Layout layout, String signInAgain, String clientName)
    implements Page {

  public SignedOutPage(Layout layout) {
    this(layout, null, null);
  }

  @Override
  public String template() {
    return "signedOut.jte";
  }
}
