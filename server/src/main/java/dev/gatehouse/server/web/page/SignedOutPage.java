package dev.gatehouse.server.web.page;

/** The page after a logout without a registered address to return to. */
public record SignedOutPage(Layout layout) implements Page {

  @Override
  public String template() {
    return "signedOut.jte";
  }
}
