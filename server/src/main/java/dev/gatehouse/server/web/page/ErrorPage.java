package dev.gatehouse.server.web.page;

/**
 * An error shown to the person rather than redirected to the client (RFC 6749 §4.1.2.1).
 *
 * @param advice what to do next, or null when {@code message} already says it (said once)
 */
public record ErrorPage(Layout layout, String heading, String message, String advice)
    implements Page {

  static final String RETURN = "Return to the application and try again.";

  /**
   * A page under the generic heading; the generic advice only when the message gives none of its
   * own (such messages end in "... again.", e.g. "Return to the application and start again.").
   */
  public ErrorPage(Layout layout, String message) {
    this(layout, "Something went wrong", message, message.contains(" again") ? null : RETURN);
  }

  /**
   * The page of an address under {@code /t/} that names no tenant: for the person who followed a
   * mistyped or outdated link, without the server's wording (no tenant, no identifier echoed).
   */
  public static ErrorPage unknownTenant(Layout layout) {
    return new ErrorPage(layout, "This sign-in address is not valid",
        "The link you followed does not lead to a sign-in page. It may be mistyped or out of"
            + " date.", "Go back to the application you came from and sign in from there. If it"
            + " keeps happening, tell the people who run that application.");
  }

  @Override
  public String template() {
    return "error.jte";
  }
}
