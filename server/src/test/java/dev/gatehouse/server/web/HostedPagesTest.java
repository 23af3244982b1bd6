package dev.gatehouse.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.AuthenticatorApp;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a person sees on the hosted pages over HTTP: a wrong sign-in address,
 * advice said once, the application named on the login and logout pages, a logout that the
 * application's own ID token needs not confirm, a way on from the signed-out page, and recovery
 * codes that can be copied and downloaded without the server serving them again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostedPagesTest {

  static final String REDIRECT = HostedSignIn.REDIRECT;
  static final String POST_LOGOUT = "https://app.example.com/bye";
  /** RFC 7636 Appendix B, the verifier of {@code HostedSignIn}'s challenge. */
  static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

  private TestServer server;
  private HostedSignIn t;
  private JsonNode web;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_PASSWORDS_ARGON2_MEMORY_KIB",
        "1024"));
    t = new HostedSignIn(server, "polish");
    web = server.createClient("polish", Map.of("name", "Acme <Notes>",
        "grant_types", List.of("authorization_code"), "redirect_uris", List.of(REDIRECT),
        "post_logout_redirect_uris", List.of(POST_LOGOUT)));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private String authorizeUrl(JsonNode client) {
    return t.authorizeUrl("").replace("client_id=" + t.clientId(),
        "client_id=" + client.get("client_id").asText());
  }

  /** Signs {@code username} in to the web client in {@code b}; the ID token. */
  private String idToken(Browser b, String username) {
    TestServer.Response login = t.go(b, authorizeUrl(web));
    TestServer.Response answer = t.allowIfAsked(b, t.submit(b, login, Map.of("username",
        username, "password", HostedSignIn.PASSWORD)));
    Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(answer.header("Location"));
    assertThat(code.find()).as("%s", answer).isTrue();
    TestServer.Response tokens = server.postForm("/t/polish/oauth2/token",
        "grant_type=authorization_code&code=" + code.group(1) + "&redirect_uri="
            + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&code_verifier=" + VERIFIER,
        TestServer.basic(web.get("client_id").asText(), web.get("client_secret").asText()));
    assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
    return tokens.json().get("id_token").asText();
  }

  private boolean signedIn(Browser b) {
    TestServer.Response none = b.get(authorizeUrl(web) + "&prompt=none");
    return !none.header("Location").contains("error=login_required");
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  @Test
  void pageWhenTenantUnknownThenFriendlyHtml404AndApiStillJson() {
    for (String path : List.of("/t/nosuch/login", "/t/nosuch/oauth2/authorize?client_id=x",
        "/t/nosuch/account", "/t/nosuch/logout")) {
      TestServer.Response r = new Browser().get(server.baseUrl() + path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.header("Content-Type")).as(path).startsWith("text/html");
      assertThat(r.text()).as(path).contains("This sign-in address is not valid")
          .contains("Go back to the application you came from")
          .doesNotContain("unknown tenant").doesNotContain("nosuch").doesNotContain("`");
    }
    TestServer.Response api = server.postForm("/t/nosuch/oauth2/token",
        "grant_type=client_credentials", null);
    assertThat(api.status()).isEqualTo(404);
    assertThat(api.header("Content-Type")).startsWith("application/json");
  }

  @Test
  void loginWhenNoRequestThenTheAdviceIsGivenOnce() {
    TestServer.Response r = new Browser().get(t.issuer() + "/login");
    assertThat(r.status()).isEqualTo(400);
    assertThat(count(r.text(), "Return to the application")).as(r.text()).isEqualTo(1);
    assertThat(count(r.text(), "again")).isEqualTo(1);
  }

  @Test
  void loginWhenRequestNamesAClientThenThePageNamesIt() {
    TestServer.Response login = t.go(new Browser(), authorizeUrl(web));
    assertThat(login.text()).contains("<title>Sign in")
        .contains("to continue to <strong>Acme &lt;Notes&gt;</strong>");
  }

  @Test
  void logoutWhenHintNamesThisSessionThenNoQuestionAndBackToTheApplication() {
    t.createUser("nina");
    Browser b = new Browser();
    String idToken = idToken(b, "nina");
    assertThat(signedIn(b)).isTrue();
    TestServer.Response r = b.get(t.issuer() + "/logout?id_token_hint=" + idToken
        + "&post_logout_redirect_uri=" + URLEncoder.encode(POST_LOGOUT, StandardCharsets.UTF_8)
        + "&state=bye");
    assertThat(r.status()).as("%s", r).isEqualTo(303);
    assertThat(r.header("Location")).isEqualTo(POST_LOGOUT + "?state=bye");
    assertThat(signedIn(b)).isFalse();
  }

  @Test
  void logoutWhenHintOfAnotherSessionOrNoHintThenAskedNamingTheApplication() {
    t.createUser("omar");
    t.createUser("pia");
    String omarsToken = idToken(new Browser(), "omar");
    Browser pia = new Browser();
    idToken(pia, "pia");
    // Omar's ID token in Pia's browser (a forged cross-site logout): asked, Pia stays in.
    TestServer.Response asked = pia.get(t.issuer() + "/logout?id_token_hint=" + omarsToken);
    assertThat(asked.status()).isEqualTo(200);
    assertThat(asked.text()).contains("<h1>Sign out?</h1>")
        .contains("Acme &lt;Notes&gt; asks to sign you out.");
    assertThat(signedIn(pia)).isTrue();
    // No hint at all: asked too, and only the confirmation with the CSRF token signs out.
    TestServer.Response plain = pia.get(t.issuer() + "/logout?client_id="
        + web.get("client_id").asText());
    assertThat(plain.text()).contains("<h1>Sign out?</h1>").contains("Acme &lt;Notes&gt;");
    Map<String, String> forged = new HashMap<>(Browser.hiddenFields(plain.text()));
    forged.remove("csrf");
    forged.put("confirm", "yes");
    assertThat(pia.post(t.issuer() + "/logout", forged).status()).isEqualTo(403);
    assertThat(signedIn(pia)).isTrue();
    Map<String, String> form = new HashMap<>(Browser.hiddenFields(plain.text()));
    form.put("confirm", "yes");
    TestServer.Response out = pia.post(Browser.formAction(plain.text()), form);
    assertThat(out.status()).isEqualTo(200);
    assertThat(signedIn(pia)).isFalse();
    // The signed-out page is no dead end.
    assertThat(out.text()).contains("You are signed out")
        .contains("To keep using Acme &lt;Notes&gt;, return to it and sign in again.")
        .contains("<a href=\"" + t.issuer() + "/account\">Sign in again</a>");
  }

  @Test
  void recoveryCodesWhenShownThenCopyAndDownloadRunInTheBrowserWithTheNonce() {
    HostedSignIn m = new HostedSignIn(server, "polish-mfa");
    m.requireMfa();
    m.createUser("quinn");
    Browser b = new Browser();
    TestServer.Response enrol = m.signIn(b, "quinn", "");
    Matcher secret = HostedSignIn.SECRET.matcher(enrol.text());
    assertThat(secret.find()).isTrue();
    TestServer.Response codes = m.submit(b, enrol, Map.of("code",
        AuthenticatorApp.totp(AuthenticatorApp.base32(secret.group(1)), 0)));
    assertThat(codes.text()).contains("Save your recovery codes");
    String nonce = codes.header("Content-Security-Policy").replaceAll(".*'nonce-([^']+)'.*",
        "$1");
    assertThat(codes.text())
        .contains("<script src=\"/assets/recovery-codes.js\" nonce=\"" + nonce + "\" defer>")
        .contains("id=\"copy-codes\" hidden>Copy</button>")
        .contains("id=\"download-codes\" hidden>Download</button>")
        .contains("data-filename=\"polish-mfa-recovery-codes.txt\"")
        // No data: link (blanked by the template engine) and no server route holding the codes.
        .doesNotContain("href=\"data:");
    TestServer.Response script = server.get("/assets/recovery-codes.js");
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.header("Content-Type")).startsWith("text/javascript");
    assertThat(script.text()).contains("URL.createObjectURL").contains("clipboard.writeText")
        .doesNotContain("fetch(").doesNotContain("XMLHttpRequest");
  }
}
