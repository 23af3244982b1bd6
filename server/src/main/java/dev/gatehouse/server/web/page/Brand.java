package dev.gatehouse.server.web.page;

import dev.gatehouse.server.tenant.Branding;
import dev.gatehouse.server.tenant.ContrastRatio;
import dev.gatehouse.server.tenant.Tenant;

/**
 * How a page looks, resolved from a tenant's {@link Branding}: every colour set (defaults filled
 * in), the text colour on primary buttons chosen for contrast, and the optional logo and links.
 *
 * @param primary background of primary buttons, {@code #rrggbb}
 * @param onPrimary text on primary buttons: white or black, whichever contrasts more (at least
 *     4.5:1, WCAG 2.2 SC 1.4.3)
 * @param accent links and focus rings, at least 4.5:1 against the white page
 */
public record Brand(String displayName, String logoUrl, String primary, String onPrimary,
    String accent, String supportUrl, String privacyUrl) {

  /** Blue 700: 6.7:1 against white, WCAG AA for text and controls. */
  public static final String DEFAULT_ACCENT = "#1d4ed8";

  /** The brand of pages that belong to no tenant (an unknown tenant's error page). */
  public static final Brand UNBRANDED = named("Gatehouse");

  /** Gatehouse's colours under {@code displayName}. */
  public static Brand named(String displayName) {
    return of(displayName, Branding.NONE);
  }

  /** The brand of {@code tenant}'s pages. */
  public static Brand of(Tenant tenant) {
    return of(tenant.displayName(), tenant.branding());
  }

  static Brand of(String displayName, Branding b) {
    String primary = b.primaryColor() != null ? b.primaryColor() : DEFAULT_ACCENT;
    String accent = b.accentColor() != null ? b.accentColor()
        // A primary colour dark enough for links on white doubles as the accent.
        : ContrastRatio.of(primary, ContrastRatio.WHITE) >= ContrastRatio.AA_TEXT ? primary
        : DEFAULT_ACCENT;
    return new Brand(displayName, b.logoUrl(), primary, ContrastRatio.textOn(primary), accent,
        b.supportUrl(), b.privacyUrl());
  }

  /**
   * Where the page's CSP must allow images from: the logo's origin, {@code data:} for an inline
   * logo, or null without a logo (then {@code default-src 'none'} blocks every image).
   */
  public String logoSource() {
    if (logoUrl == null) {
      return null;
    }
    return logoUrl.startsWith("data:") ? "data:"
        : "https://" + java.net.URI.create(logoUrl).getRawAuthority();
  }

  /** Whether the page has a footer (a support or privacy link). */
  public boolean hasFooter() {
    return supportUrl != null || privacyUrl != null;
  }
}
