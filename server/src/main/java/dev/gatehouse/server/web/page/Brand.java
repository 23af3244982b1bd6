package dev.gatehouse.server.web.page;

/** How a tenant's pages look: the name shown, and the accent colour of primary buttons. */
public record Brand(String displayName, String accent) {

  /** Blue 700: 6.7:1 against white, WCAG AA for text and controls. */
  public static final String DEFAULT_ACCENT = "#1d4ed8";

  /** The brand of pages that belong to no tenant (an unknown tenant's error page). */
  public static final Brand UNBRANDED = new Brand("Gatehouse", DEFAULT_ACCENT);
}
