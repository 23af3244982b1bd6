package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A person signing in to a confidential web client over plain HTTP, for the regression tests of
 * what happens to their tokens afterwards: the authorization request with PKCE, the login and
 * consent pages, the code, and its exchange.
 */
final class UserSignIn {

  static final String REDIRECT = "https://app.example.com/callback";
  static final String PASSWORD = "correct horse battery staple";

  private final TestServer server;
  private final String tenant;

  UserSignIn(TestServer server, String tenant) {
    this.server = server;
    this.tenant = tenant;
  }

  /** A confidential client that may use codes and refresh tokens; extra registration fields. */
  JsonNode webClient(String name, Map<String, Object> extra) {
    Map<String, Object> reg = new HashMap<>(Map.of("name", name,
        "grant_types", List.of("authorization_code", "refresh_token"),
        "redirect_uris", List.of(REDIRECT)));
    reg.putAll(extra);
    return server.createClient(tenant, reg);
  }

  /** Creates a user with {@link #PASSWORD}; their id. */
  String user(String username) {
    TestServer.Response r = server.admin("POST", "/admin/v1/tenants/" + tenant + "/users",
        Map.of("username", username, "password", PASSWORD));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json().get("id").asText();
  }

  /** A code issued to {@code client} and the PKCE verifier it is bound to. */
  record Code(String value, String verifier) {}

  String authorizeUrl(JsonNode client, String scope, String challenge, String prompt) {
    return server.baseUrl() + "/t/" + tenant + "/oauth2/authorize?response_type=code&client_id="
        + enc(client.get("client_id").asText()) + "&redirect_uri=" + enc(REDIRECT) + "&scope="
        + enc(scope) + "&state=s1&nonce=n1&code_challenge=" + challenge
        + "&code_challenge_method=S256" + (prompt == null ? "" : "&prompt=" + prompt);
  }

  /** Walks the login (when asked) and consent (when asked) pages to the client's redirect. */
  Code code(Browser browser, JsonNode client, String username, String scope) {
    String verifier = verifier();
    String origin = server.baseUrl();
    String url = authorizeUrl(client, scope, challenge(verifier), null);
    TestServer.Response r = HostedSignIn.walkToClient(browser, origin,
        browser.follow(url, origin), username, PASSWORD);
    String code = param(URI.create(r.header("Location")), "code");
    assertThat(code).as("%s", r.header("Location")).isNotNull();
    return new Code(code, verifier);
  }

  /** The token endpoint's answer to exchanging {@code code} as {@code client}. */
  TestServer.Response exchange(JsonNode client, Code code) {
    return server.postForm("/t/" + tenant + "/oauth2/token", "grant_type=authorization_code&code="
        + enc(code.value()) + "&redirect_uri=" + enc(REDIRECT) + "&code_verifier="
        + code.verifier(), basic(client));
  }

  /** Signs in and exchanges the code: the token response. */
  JsonNode tokens(Browser browser, JsonNode client, String username, String scope) {
    TestServer.Response r = exchange(client, code(browser, client, username, scope));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  TestServer.Response refresh(JsonNode client, String refreshToken, String scope) {
    return server.postForm("/t/" + tenant + "/oauth2/token", "grant_type=refresh_token"
        + "&refresh_token=" + enc(refreshToken) + (scope == null ? "" : "&scope=" + enc(scope)),
        basic(client));
  }

  boolean active(JsonNode introspector, String token) {
    TestServer.Response r = server.postForm("/t/" + tenant + "/oauth2/introspect", "token="
        + enc(token), basic(introspector));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("active").asBoolean();
  }

  /** Where {@code prompt=none} sends this browser: a code while its SSO session lives. */
  URI silentAuthorize(Browser browser, JsonNode client) {
    TestServer.Response r = browser.get(authorizeUrl(client, "openid", challenge(verifier()),
        "none"));
    assertThat(Browser.isRedirect(r)).as("%s", r).isTrue();
    return URI.create(r.header("Location"));
  }

  static String basic(JsonNode client) {
    return TestServer.basic(client.get("client_id").asText(),
        client.get("client_secret").asText());
  }

  static String param(URI uri, String name) {
    String q = uri.getRawQuery();
    if (q == null) {
      return null;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String verifier() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest
          .getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
