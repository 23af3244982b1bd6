package dev.gatehouse.server.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation of tenant branding: only what is safe to put in a page and a CSP gets through. */
class BrandingTest {

  private static Branding logo(String url) {
    return new Branding(url, null, null, null, null);
  }

  @Test
  void brandingWhenAllValidThenKeptWithColoursLowerCased() {
    Branding b = new Branding("https://cdn.acme.example/logo.svg", "#FFCC00", "#1D4ED8",
        "https://help.acme.example", "https://acme.example/privacy");
    assertThat(b.primaryColor()).isEqualTo("#ffcc00");
    assertThat(b.accentColor()).isEqualTo("#1d4ed8");
  }

  @Test
  void logoWhenHttpsOrBase64ImageThenAccepted() {
    assertThat(logo("https://cdn.acme.example/l.png").logoUrl()).isNotNull();
    for (String type : List.of("png", "jpeg", "gif", "webp", "svg+xml")) {
      assertThat(logo("data:image/" + type + ";base64,PHN2Zy8+").logoUrl()).startsWith("data:");
    }
  }

  @Test
  void logoWhenOtherSchemeOrNotAnImageThenRefused() {
    for (String bad : List.of("http://cdn.acme.example/l.png", "javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=", "data:image/png,rawbytes",
        "data:image/png;base64,not base64!", "https://user:pw@cdn.acme.example/l.png",
        "https:///nohost", "//cdn.acme.example/l.png", "https://cdn.acme.example/a b.png",
        "https://cdn.acme.example/" + "x".repeat(Branding.MAX_URL_CHARS))) {
      assertThatThrownBy(() -> logo(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("logo_url");
    }
    assertThatThrownBy(() -> logo("data:image/png;base64," + "A".repeat(Branding.MAX_LOGO_CHARS)))
        .hasMessageContaining("longer than");
  }

  @Test
  void colourWhenNotSixHexDigitsThenRefused() {
    for (String bad : List.of("red", "#fff", "#12345g", "1d4ed8", "#1d4ed8;}", "#1d4ed8 ")) {
      assertThatThrownBy(() -> new Branding(null, bad, null, null, null)).as(bad)
          .hasMessageContaining("`primary_color` must be a colour written #rrggbb");
    }
  }

  @Test
  void accentWhenBelowAaContrastOnWhiteThenRefusedWithTheRatio() {
    assertThatThrownBy(() -> new Branding(null, null, "#ffcc00", null, null))
        .hasMessageContaining("`accent_color` #ffcc00 has a contrast of 1.")
        .hasMessageContaining("4.5:1");
    // Any primary colour is accepted: the text on it is chosen for contrast.
    assertThat(new Branding(null, "#ffcc00", null, null, null).primaryColor()).isEqualTo("#ffcc00");
  }

  @Test
  void linksWhenNotHttpsThenRefused() {
    assertThatThrownBy(() -> new Branding(null, null, null, "mailto:help@acme.example", null))
        .hasMessageContaining("`support_url` must be an absolute https URL");
    assertThatThrownBy(() -> new Branding(null, null, null, null, "javascript:alert(1)"))
        .hasMessageContaining("`privacy_url` must be an absolute https URL");
  }
}
