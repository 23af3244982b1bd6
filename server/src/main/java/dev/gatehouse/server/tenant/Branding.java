package dev.gatehouse.server.tenant;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a tenant's hosted pages look beyond its display name: a logo, a primary colour (buttons), an
 * accent colour (links, focus rings) and links to its support and privacy pages. Every field is
 * optional (null: Gatehouse's default). The compact constructor validates, so a {@code Branding}
 * that exists is safe to render: colours are {@code #rrggbb}, addresses are {@code https} (or a
 * base64 {@code data:image/...} logo), and the accent reads at WCAG AA on the white page.
 */
public record Branding(String logoUrl, String primaryColor, String accentColor, String supportUrl,
    String privacyUrl) {

  /** No branding: Gatehouse's defaults everywhere. */
  public static final Branding NONE = new Branding(null, null, null, null, null);

  /** Logos as {@code data:} URIs are meant to be small; this caps the tenant row and the page. */
  public static final int MAX_LOGO_CHARS = 32_768;
  public static final int MAX_URL_CHARS = 2_048;

  private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
  private static final Pattern DATA_IMAGE = Pattern.compile(
      "data:image/(png|jpeg|gif|webp|svg\\+xml);base64,([A-Za-z0-9+/]+={0,2})");

  public Branding {
    logoUrl = logo(logoUrl);
    primaryColor = color("primary_color", primaryColor);
    accentColor = color("accent_color", accentColor);
    if (accentColor != null) {
      // WCAG 2.2 SC 1.4.3: text (the links drawn in the accent colour) needs 4.5:1 against its
      // background, the white card of every page.
      double ratio = ContrastRatio.of(accentColor, ContrastRatio.WHITE);
      if (ratio < ContrastRatio.AA_TEXT) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "`accent_color` %s has a"
            + " contrast of %.2f:1 against the white page; WCAG AA needs at least 4.5:1 for the"
            + " links drawn in it", accentColor, ratio));
      }
    }
    supportUrl = https("support_url", supportUrl);
    privacyUrl = https("privacy_url", privacyUrl);
  }

  private static String color(String field, String value) {
    if (value == null) {
      return null;
    }
    if (!COLOR.matcher(value).matches()) {
      throw new IllegalArgumentException("`" + field + "` must be a colour written #rrggbb");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static String logo(String value) {
    if (value == null) {
      return null;
    }
    if (value.length() > MAX_LOGO_CHARS) {
      throw new IllegalArgumentException("`logo_url` is longer than " + MAX_LOGO_CHARS
          + " characters");
    }
    if (value.startsWith("data:")) {
      var m = DATA_IMAGE.matcher(value);
      boolean ok = m.matches();
      if (ok) {
        try {
          Base64.getDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
          ok = false;
        }
      }
      if (!ok) {
        throw new IllegalArgumentException("`logo_url` as a data URI must be"
            + " data:image/{png,jpeg,gif,webp,svg+xml};base64,... with valid base64");
      }
      return value;
    }
    return https("logo_url", value);
  }

  private static String https(String field, String value) {
    if (value == null) {
      return null;
    }
    String problem = "`" + field + "` must be an absolute https URL without user information";
    if (value.length() > MAX_URL_CHARS) {
      throw new IllegalArgumentException("`" + field + "` is longer than " + MAX_URL_CHARS
          + " characters");
    }
    URI u;
    try {
      u = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(problem);
    }
    if (!"https".equals(u.getScheme()) || u.getRawAuthority() == null || u.getHost() == null
        || u.getRawUserInfo() != null) {
      throw new IllegalArgumentException(problem);
    }
    return value;
  }
}
