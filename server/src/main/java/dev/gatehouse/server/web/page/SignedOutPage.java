package dev.gatehouse.server.web.page;

/**
 * The page after a logout without a registered address to return to: not a dead end, it links
 * to signing in again ({@code signInAgain}, the account page) and names the application the
 * logout came from when known.
 *
 * <p>With clients registered for front-channel logout (OpenID Connect Front-Channel Logout 1.0
 * §3), the page embeds each one's logout URI in an invisible iframe; when the RP asked to be
 * returned to ({@code continueTo}), a script goes there once every frame has loaded (or after a
 * few seconds), and a link does the same without scripts.
 *
 * @param clientName the name of the application that asked for the logout, or null
 * @param frames the front-channel logout URIs to load, with iss and sid
 * @param continueTo the post-logout redirect URI (with state), or null
 */
public record SignedOutPage(Layout layout, String signInAgain, String clientName,
    java.util.List<String> frames, String continueTo) implements Page {

  public SignedOutPage(Layout layout) {
    this(layout, null, null);
  }

  public SignedOutPage(Layout layout, String signInAgain, String clientName) {
    this(layout, signInAgain, clientName, java.util.List.of(), null);
  }

  @Override
  public String template() {
    return "signedOut.jte";
  }
}
