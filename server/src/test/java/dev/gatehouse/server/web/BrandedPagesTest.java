package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Per-tenant branding over HTTP: set through {@code PATCH /admin/v1/tenants/{tenant}} (bad values
 * answered with problem+json), shown on the hosted pages, and allowed by their CSP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrandedPagesTest {

  static final String REDIRECT = "https://app.example.com/cb";
  static final String LOGO = "https://cdn.acme.example/logo.svg";

  private TestServer server;
  private String clientId;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
    server.createTenant("acme");
    server.createTenant("globex");
    clientId = server.createClient("acme", Map.of("name", "App",
        "grant_types", List.of("authorization_code"), "redirect_uris", List.of(REDIRECT)))
        .get("client_id").asText();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private TestServer.Response patch(String tenant, Map<String, Object> body) {
    return server.admin("PATCH", "/admin/v1/tenants/" + tenant, body);
  }

  private TestServer.Response loginPage(String tenant, String client) {
    return new Browser().follow(server.issuer(tenant) + "/oauth2/authorize?response_type=code"
        + "&client_id=" + client + "&redirect_uri=" + URLEncoder.encode(REDIRECT,
            StandardCharsets.UTF_8) + "&scope=openid"
        + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        + "&code_challenge_method=S256", server.baseUrl());
  }

  @Test
  void patchWhenBadValuesThenProblemJsonNamingTheField() {
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("primary_color", "red");
    bad.put("accent_color", "#ffcc00");
    bad.put("logo_url", "javascript:alert(1)");
    bad.put("support_url", "http://help.acme.example");
    for (Map.Entry<String, Object> e : bad.entrySet()) {
      TestServer.Response r = patch("acme", Map.of(e.getKey(), e.getValue()));
      assertThat(r.status()).as("%s", r).isEqualTo(400);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
      assertThat(r.json().get("detail").asText()).contains("`" + e.getKey() + "`");
    }
    assertThat(patch("acme", Map.of("accent_color", "#ffcc00")).json().get("detail").asText())
        .contains("4.5:1");
    assertThat(patch("acme", Map.of("colour", "#000000")).json().get("detail").asText())
        .contains("unknown field `colour`");
    assertThat(patch("acme", Map.of("primary_color", 123)).json().get("detail").asText())
        .contains("must be a string");
    assertThat(patch("acme", Map.of("display_name", "")).status()).isEqualTo(400);
    Map<String, Object> nullName = new HashMap<>();
    nullName.put("display_name", null);
    assertThat(patch("acme", nullName).status()).isEqualTo(400);
    assertThat(patch("nobody", Map.of("primary_color", "#000000")).status()).isEqualTo(404);
    // Nothing of the refused requests stuck.
    JsonNode t = server.admin("GET", "/admin/v1/tenants/acme", null).json();
    assertThat(t.has("primary_color")).isFalse();
    assertThat(t.has("logo_url")).isFalse();
  }

  @Test
  void loginPageWhenTenantBrandedThenShowsLogoColoursLinksAndCspAllowsTheLogo() {
    TestServer.Response set = patch("acme", Map.of("display_name", "Acme Corp",
        "logo_url", LOGO, "primary_color", "#FFCC00", "support_url", "https://help.acme.example",
        "privacy_url", "https://acme.example/privacy"));
    assertThat(set.status()).as("%s", set).isEqualTo(200);
    assertThat(set.json().get("primary_color").asText()).isEqualTo("#ffcc00");
    assertThat(set.json().get("logo_url").asText()).isEqualTo(LOGO);

    TestServer.Response page = loginPage("acme", clientId);
    assertThat(page.status()).isEqualTo(200);
    String html = page.text();
    assertThat(html).contains("<img src=\"" + LOGO + "\" alt=\"\" height=\"48\">")
        .contains("<p class=\"brand\">Acme Corp</p>")
        .contains("<title>Sign in – Acme Corp</title>")
        // Yellow buttons get black text; links fall back to the default blue (yellow on white
        // would not reach 4.5:1).
        .contains("--primary:#ffcc00;--on-primary:#000000;--accent:#1d4ed8")
        .contains("<a href=\"https://help.acme.example\" rel=\"noopener noreferrer\">Help</a>")
        .contains("<a href=\"https://acme.example/privacy\" rel=\"noopener noreferrer\">"
            + "Privacy</a>");
    String csp = page.header("Content-Security-Policy");
    assertThat(csp).contains("img-src https://cdn.acme.example;")
        .contains("frame-ancestors 'none'").contains("default-src 'none'")
        .doesNotContain("unsafe-inline");
    String nonce = csp.replaceAll(".*style-src 'nonce-([^']*)'.*", "$1");
    // The one script is the passkey file, under the page's nonce; nothing inline.
    assertThat(html).contains("<style nonce=\"" + nonce + "\">");
    assertThat(html.split("<script", -1)).hasSize(2);
    assertThat(html).contains("<script src=\"/assets/passkey.js\" nonce=\"" + nonce
        + "\" defer></script>");
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");

    // A data: logo is allowed as data: only; another tenant keeps the defaults and no img-src.
    assertThat(patch("acme", Map.of("logo_url", "data:image/svg+xml;base64,PHN2Zy8+")).status())
        .isEqualTo(200);
    assertThat(loginPage("acme", clientId).header("Content-Security-Policy"))
        .contains("img-src data:;");
    TestServer.Response plain = new Browser().get(server.issuer("globex")
        + "/login?ar=expired.x");
    assertThat(plain.status()).isEqualTo(400);
    assertThat(plain.text()).contains("--primary:#1d4ed8;--on-primary:#ffffff;--accent:#1d4ed8")
        .doesNotContain("<img").doesNotContain("<footer>");
    assertThat(plain.header("Content-Security-Policy")).doesNotContain("img-src");

    // null puts a setting back to the default.
    Map<String, Object> clear = new HashMap<>();
    clear.put("logo_url", null);
    clear.put("primary_color", null);
    TestServer.Response cleared = patch("acme", clear);
    assertThat(cleared.json().has("logo_url")).isFalse();
    assertThat(cleared.json().get("support_url").asText()).isEqualTo("https://help.acme.example");
    assertThat(loginPage("acme", clientId).text()).doesNotContain("<img")
        .contains("--primary:#1d4ed8");
  }
}
