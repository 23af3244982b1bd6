package dev.gatehouse.server.web.page;

/** The account page of someone not signed in: a link to sign in. */
public record AccountSignInPage(Layout layout, String loginUrl) implements Page {

  @Override
  public String template() {
    return "accountSignIn.jte";
  }
}
