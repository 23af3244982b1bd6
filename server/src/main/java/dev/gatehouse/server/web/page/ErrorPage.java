package dev.gatehouse.server.web.page;

/** An error shown to the person rather than redirected to the client (RFC 6749 §4.1.2.1). */
public record ErrorPage(Layout layout, String message) implements Page {

  @Override
  public String template() {
    return "error.jte";
  }
}
