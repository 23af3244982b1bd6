package dev.gatehouse.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One tenant with one confidential client on a test node, and the steps of the hosted sign-in
 * pages as a browser takes them: what the sign-in regressions share.
 */
public final class HostedSignIn {

  public static final String REDIRECT = "https://app.example.com/cb";
  public static final String PASSWORD = "a long enough passphrase";
  public static final Pattern SECRET = Pattern.compile("data-secret=\"([A-Z2-7]+)\"");

  public final TestServer server;
  public final String tenant;
  public final JsonNode client;

  public HostedSignIn(TestServer server, String tenant) {
    this.server = server;
    this.tenant = tenant;
    server.createTenant(tenant);
    this.client = server.createClient(tenant, Map.of("name", "App",
        "grant_types", List.of("authorization_code"), "redirect_uris", List.of(REDIRECT)));
  }

  public String clientId() {
    return client.get("client_id").asText();
  }

  public String issuer() {
    return server.issuer(tenant);
  }

  public String createUser(String username) {
    TestServer.Response r = server.admin("POST", "/admin/v1/tenants/" + tenant + "/users",
        Map.of("username", username, "password", PASSWORD));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("id").asText();
  }

  public void requireMfa() {
    TestServer.Response put = server.admin("PUT", "/admin/v1/tenants/" + tenant + "/mfa-policy",
        Map.of("policy", "required"));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
  }

  public String authorizeUrl(String extra) {
    return issuer() + "/oauth2/authorize?response_type=code&scope=openid&client_id=" + clientId()
        + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&state=s1"
        + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        + "&code_challenge_method=S256" + extra;
  }

  /** Follows redirects while they stay on the server. */
  public TestServer.Response go(Browser b, String url) {
    return b.follow(url, server.baseUrl());
  }

  /** Submits the first form of {@code page} with its hidden fields and {@code in}. */
  public TestServer.Response submit(Browser b, TestServer.Response page, Map<String, String> in) {
    return submit(b, server.baseUrl(), page, in);
  }

  /**
   * Submits the first form of {@code page} with its hidden fields and {@code in}, following
   * redirects while they stay on {@code origin}.
   */
  public static TestServer.Response submit(Browser b, String origin, TestServer.Response page,
      Map<String, String> in) {
    String html = page.text();
    Matcher get = Pattern.compile("<form method=\"get\" action=\"([^\"]*)\"").matcher(html);
    if (get.find()) {
      return b.follow(get.group(1).replace("&amp;", "&") + "?"
          + Browser.encode(Browser.hiddenFields(html)), origin);
    }
    Map<String, String> form = new LinkedHashMap<>(Browser.hiddenFields(html));
    form.putAll(in);
    String action = Browser.formAction(html);
    return b.followFrom(b.post(action, form), action, origin);
  }

  /**
   * Walks the pages from {@code first}: the login page (when shown) with {@code username} and
   * {@code password}, consent (when asked) allowed, until the redirect to the client; returns it.
   */
  public static TestServer.Response walkToClient(Browser b, String origin,
      TestServer.Response first, String username, String password) {
    TestServer.Response r = first;
    for (int step = 0; step < 4 && (r.status() == 200 || r.status() == 401); step++) {
      String html = r.text();
      Map<String, String> form = new LinkedHashMap<>(Browser.hiddenFields(html));
      if (html.contains("name=\"password\"")) {
        form.put("username", username);
        form.put("password", password);
      } else {
        form.put("decision", "allow");
      }
      String action = Browser.formAction(html);
      r = b.followFrom(b.post(action, form), action, origin);
    }
    assertThat(Browser.isRedirect(r)).as("a redirect to the client: %s", r).isTrue();
    return r;
  }

  /** The login page for an authorization request, then the answer to the password. */
  public TestServer.Response signIn(Browser b, String username, String extra) {
    TestServer.Response login = go(b, authorizeUrl(extra));
    assertThat(login.text()).contains("<title>Sign in");
    return submit(b, login, Map.of("username", username, "password", PASSWORD));
  }

  /**
   * Signs in with the password where the tenant requires a second factor and the user has none,
   * and sets up an authenticator app at the prompt; its secret. The browser is left on the
   * page with the new recovery codes.
   */
  public byte[] enrolAtSignIn(Browser b, String username) {
    TestServer.Response enrol = signIn(b, username, "");
    Matcher m = SECRET.matcher(enrol.text());
    assertThat(m.find()).as(enrol.text()).isTrue();
    byte[] key = AuthenticatorApp.base32(m.group(1));
    TestServer.Response codes = submit(b, enrol, Map.of("code", AuthenticatorApp.totp(key, 0)));
    assertThat(codes.status()).as(codes.toString()).isEqualTo(200);
    return key;
  }

  /** Allows consent if asked; the redirect to the client. */
  public TestServer.Response allowIfAsked(Browser b, TestServer.Response r) {
    if (r.status() == 200 && r.text().contains("Allow access")) {
      return submit(b, r, Map.of("decision", "allow"));
    }
    return r;
  }

  /** Posts {@code form} plus the browser's CSRF token (taken from {@code page}) to {@code path}. */
  public TestServer.Response post(Browser b, TestServer.Response page, String path,
      Map<String, String> form) {
    Map<String, String> all = new LinkedHashMap<>(form);
    all.put("csrf", Browser.hiddenFields(page.text()).get("csrf"));
    return b.post(issuer() + path, all);
  }

  /** Whether an answer hands the client an authorization code (redirect or form_post). */
  public static boolean carriesCode(TestServer.Response r) {
    String location = r.header("Location");
    return location != null && location.startsWith(REDIRECT) && location.contains("code=")
        || r.text().contains("action=\"" + REDIRECT) && r.text().contains("name=\"code\"");
  }

  public static String errorOf(TestServer.Response r) {
    String location = r.header("Location");
    Matcher m = Pattern.compile("[?&]error=([^&]+)").matcher(location == null ? "" : location);
    return m.find() ? m.group(1) : null;
  }
}
