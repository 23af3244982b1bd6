package dev.gatehouse.server.web.page;

/**
 * The page at {@code /}: what this server is and where to go next. It names no tenant (which
 * tenants exist is not public); a person who knows their tenant's name goes to its pages.
 */
public record LandingPage(Layout layout, String base) implements Page {

  @Override
  public String template() {
    return "landing.jte";
  }
}
