package dev.gatehouse.server.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The precompiled JTE pages: escaping of every value, focus order, labels and the CSP nonce. */
class PagesTest {

  static final String XSS = "\"><script>alert(1)</script><img src=x onerror=alert(2)>";
  static final Layout LAYOUT = new Layout(Brand.named("Acme <Corp>"), "n0nce");

  private static String render(Page page) {
    return new String(Pages.render(page), StandardCharsets.UTF_8);
  }

  @Test
  void loginWhenValuesCarryMarkupThenEverythingIsEscaped() {
    String html = render(new LoginPage(LAYOUT, "/t/acme/login", XSS, XSS, XSS, XSS));
    assertThat(html).doesNotContain("<script>").doesNotContain("<img")
        .contains("Acme &lt;Corp&gt;").contains("&lt;script>");
  }

  @Test
  void loginWhenUsernameEmptyThenFocusOnUsernameElsePassword() {
    String empty = render(new LoginPage(LAYOUT, "/a", "c", "ar", null, null));
    assertThat(empty).containsPattern("id=\"username\"[^>]* autofocus")
        .doesNotContainPattern("id=\"password\"[^>]* autofocus")
        .doesNotContain("role=\"alert\"").doesNotContain("aria-describedby");
    String filled = render(new LoginPage(LAYOUT, "/a", "c", "ar", "alice", "Wrong."));
    assertThat(filled).doesNotContainPattern("id=\"username\"[^>]* autofocus")
        .containsPattern("id=\"password\"[^>]* autofocus")
        .contains("<p class=\"error\" role=\"alert\" id=\"login-error\">Wrong.</p>")
        .contains("aria-describedby=\"login-error\"").contains("value=\"alice\"");
  }

  @Test
  void everyPageWhenRenderedThenHasLayoutLabelsAndNoncedStyle() {
    String html = render(new LoginPage(LAYOUT, "/a", "c", "ar", null, null));
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<html lang=\"en\">")
        .contains("<title>Sign in – Acme &lt;Corp&gt;</title>")
        .contains("<style nonce=\"n0nce\">")
        .contains("<label for=\"username\">Username</label>")
        .contains("<label for=\"password\">Password</label>")
        .contains("<input type=\"hidden\" name=\"csrf\" value=\"c\">")
        .doesNotContain("<script");
  }

  @Test
  void consentWhenClientNameHasMarkupThenEscapedAndScopesListed() {
    String html = render(new ConsentPage(LAYOUT, "/c", "t", "ar", XSS,
        List.of("Know who you are", "Use “<b>x</b>”"), "b"));
    assertThat(html).doesNotContain("<script>").doesNotContain("<b>x</b>")
        .contains("<li>Know who you are</li>")
        .contains("name=\"decision\" value=\"allow\" autofocus");
  }

  @Test
  void logoutConfirmWhenCarriedParametersThenPostedBackAsHiddenFields() {
    Map<String, String> carried = new LinkedHashMap<>();
    carried.put("client_id", "web");
    carried.put("state", XSS);
    String html = render(new LogoutConfirmPage(LAYOUT, "/logout", "t", carried));
    assertThat(html).contains("<input type=\"hidden\" name=\"client_id\" value=\"web\">")
        .doesNotContain("<script>").contains("You will be signed out of Acme &lt;Corp&gt;");
  }

  @Test
  void formPostWhenRenderedThenScriptCarriesNonceAndButtonWorksWithoutIt() {
    String html = render(new FormPostPage("abc", "https://app.example.com/cb?x=1&y=2",
        Map.of("code", "c0de")));
    assertThat(html).contains("action=\"https://app.example.com/cb?x=1&amp;y=2\"")
        .contains("<script nonce=\"abc\">")
        .contains("<noscript><button type=\"submit\">Continue</button></noscript>")
        .contains("<input type=\"hidden\" name=\"code\" value=\"c0de\">");
  }

  @Test
  void layoutWhenTenantBrandedThenLogoColoursAndFooterLinks() {
    Brand brand = Brand.of(new dev.gatehouse.server.tenant.Tenant("acme", "Acme", 1,
        new dev.gatehouse.server.tenant.Branding("https://cdn.acme.example/l.png?a=1&b=2",
            "#ffcc00", null, "https://help.acme.example/?q='x'", null)));
    assertThat(brand.onPrimary()).isEqualTo("#000000");
    assertThat(brand.accent()).isEqualTo(Brand.DEFAULT_ACCENT);
    assertThat(brand.logoSource()).isEqualTo("https://cdn.acme.example");
    String html = render(new SignedOutPage(new Layout(brand, "n")));
    assertThat(html).contains("<img src=\"https://cdn.acme.example/l.png?a=1&amp;b=2\" alt=\"\"")
        .contains("--primary:#ffcc00;--on-primary:#000000;--accent:#1d4ed8")
        .contains("<footer>").contains("href=\"https://help.acme.example/?q=&#39;x&#39;\"")
        .doesNotContain("Privacy");
    // A dark primary colour doubles as the accent; no logo, no footer.
    Brand dark = Brand.of(new dev.gatehouse.server.tenant.Tenant("acme", "Acme", 1,
        new dev.gatehouse.server.tenant.Branding(null, "#0b6e4f", null, null, null)));
    assertThat(dark.accent()).isEqualTo("#0b6e4f");
    assertThat(dark.onPrimary()).isEqualTo("#ffffff");
    assertThat(render(new SignedOutPage(new Layout(dark, "n")))).doesNotContain("<img")
        .doesNotContain("<footer>");
  }

  @Test
  void errorWhenMessageGivesItsOwnAdviceThenAdviceSaidOnce() {
    String own = render(new ErrorPage(LAYOUT, "Expired. Return to the application and start"
        + " again."));
    assertThat(own.split("Return to the application", -1)).hasSize(2);
    String none = render(new ErrorPage(LAYOUT, "The application is no longer registered."));
    assertThat(none).contains("<p>Return to the application and try again.</p>");
    String unknown = render(ErrorPage.unknownTenant(LAYOUT));
    assertThat(unknown).contains("<h1>This sign-in address is not valid</h1>")
        .doesNotContain("Something went wrong");
  }

  @Test
  void loginAndLogoutWhenClientNamedThenShownEscaped() {
    assertThat(render(new LoginPage(LAYOUT, "/a", "c", "ar", null, null, null, null, XSS)))
        .contains("to continue to <strong>\"&gt;&lt;script&gt;").doesNotContain("<script>");
    assertThat(render(new LoginPage(LAYOUT, "/a", "c", "ar", null, null)))
        .doesNotContain("to continue to");
    assertThat(render(new LogoutConfirmPage(LAYOUT, "/l", "t", Map.of(), "Notes")))
        .contains("<p>Notes asks to sign you out.</p>");
    assertThat(render(new SignedOutPage(LAYOUT, "/t/acme/account", null)))
        .contains("<a href=\"/t/acme/account\">Sign in again</a>")
        .contains("You may close this window.");
  }

  @Test
  void recoveryCodesWhenRenderedThenButtonsHiddenUntilTheNoncedScriptShowsThem() {
    String html = render(new RecoveryCodesPage(LAYOUT, List.of("aaaa-bbbb"), "/c", "t", null));
    assertThat(html).contains("<script src=\"/assets/recovery-codes.js\" nonce=\"n0nce\" defer>")
        .contains("data-filename=\"acme-corp-recovery-codes.txt\"")
        .contains("id=\"copy-codes\" hidden>").contains("<code>aaaa-bbbb</code>");
  }

  @Test
  void errorAndSignedOutWhenRenderedThenAnnounceTheirMessage() {
    assertThat(render(new ErrorPage(LAYOUT, XSS))).contains("role=\"alert\"")
        .doesNotContain("<script>");
    assertThat(render(new SignedOutPage(LAYOUT))).contains("<h1>You are signed out</h1>");
  }
}
