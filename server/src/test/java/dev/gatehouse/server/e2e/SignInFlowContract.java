package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * People sign in end to end: a relying party built on the Nimbus SDK sends a browser
 * through the real authorization endpoint, login and consent pages (driven over HTTP with cookies
 * and the CSRF token), exchanges the code with PKCE, validates the ID token against the JWKS,
 * calls userinfo and refreshes. Then every negative case the issue lists. Runs once per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SignInFlowContract {

  static final String REDIRECT = "https://app.example.com/callback";
  static final String PUBLIC_REDIRECT = "http://127.0.0.1:9/cb";
  static final String POST_LOGOUT = "https://app.example.com/bye";
  static final String PASSWORD = "correct horse battery staple";

  private TestServer server;
  private OIDCProviderMetadata op;
  private ClientID webId;
  private ClientSecretBasic web;
  private ClientID spaId;
  private String userId;

  abstract TestDatabase database();

  @BeforeAll
  void start() throws Exception {
    // The back-channel logout receiver listens on loopback: allow-listed for outbound calls.
    server = TestServer.start(database(), Map.of("GATEHOUSE_OUTBOUND_ALLOWED_NETWORKS",
        "127.0.0.1/32"));
    server.createTenant("acme");
    server.createTenant("globex");
    JsonNode webJson = server.createClient("acme", Map.of("name", "Web App",
        "grant_types", List.of("authorization_code", "refresh_token"),
        "redirect_uris", List.of(REDIRECT),
        "post_logout_redirect_uris", List.of(POST_LOGOUT)));
    webId = new ClientID(webJson.get("client_id").asText());
    web = new ClientSecretBasic(webId, new Secret(webJson.get("client_secret").asText()));
    JsonNode spa = server.createClient("acme", Map.of("name", "SPA", "public", true,
        "grant_types", List.of("authorization_code", "refresh_token"),
        "redirect_uris", List.of(PUBLIC_REDIRECT)));
    spaId = new ClientID(spa.get("client_id").asText());
    userId = createUser("acme", "alice", "alice@example.com");
    op = OIDCProviderMetadata.resolve(new Issuer(server.issuer("acme")));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String createUser(String tenant, String username, String email) {
    TestServer.Response r = server.admin("POST", "/admin/v1/tenants/" + tenant + "/users",
        Map.of("username", username, "password", PASSWORD, "email", email,
            "email_verified", true, "display_name", "Alice Example"));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json().get("id").asText();
  }

  /** An authorization request and what the RP keeps to finish it. */
  record Attempt(URI uri, State state, Nonce nonce, CodeVerifier verifier) {}

  private Attempt request(ClientID client, String redirect, String scope, Prompt prompt) {
    State state = new State();
    Nonce nonce = new Nonce();
    CodeVerifier verifier = new CodeVerifier();
    AuthenticationRequest.Builder b = new AuthenticationRequest.Builder(ResponseType.CODE,
        Scope.parse(scope), client, URI.create(redirect))
        .endpointURI(op.getAuthorizationEndpointURI())
        .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256);
    if (prompt != null) {
      b.prompt(prompt);
    }
    return new Attempt(b.build().toURI(), state, nonce, verifier);
  }

  /** Walks the pages: login (when asked), consent (when asked); the redirect to the client. */
  private URI signIn(Browser browser, Attempt attempt, String username, String password) {
    String origin = server.baseUrl();
    TestServer.Response r = HostedSignIn.walkToClient(browser, origin,
        browser.follow(attempt.uri().toString(), origin), username, password);
    return URI.create(r.header("Location"));
  }

  private AuthorizationSuccessResponse success(URI location, Attempt attempt) throws Exception {
    AuthorizationResponse response = AuthorizationResponse.parse(location);
    assertThat(response.indicatesSuccess()).as("%s", location).isTrue();
    AuthorizationSuccessResponse ok = response.toSuccessResponse();
    assertThat(ok.getState()).isEqualTo(attempt.state());
    // RFC 9207: the iss parameter names the tenant's issuer.
    assertThat(ok.getIssuer()).isEqualTo(new Issuer(server.issuer("acme")));
    return ok;
  }

  private TokenResponse exchange(URI tokenEndpoint, ClientAuthentication auth, ClientID publicId,
      AuthorizationGrant grant) throws Exception {
    TokenRequest request = auth != null ? new TokenRequest(tokenEndpoint, auth, grant)
        : new TokenRequest(tokenEndpoint, publicId, grant);
    return OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
  }

  private OIDCTokenResponse codeFlow(Browser browser, Attempt attempt) throws Exception {
    URI location = signIn(browser, attempt, "alice", PASSWORD);
    AuthorizationCode code = success(location, attempt).getAuthorizationCode();
    TokenResponse t = exchange(op.getTokenEndpointURI(), web, null,
        new AuthorizationCodeGrant(code, URI.create(REDIRECT), attempt.verifier()));
    assertThat(t.indicatesSuccess()).as("%s", t.toHTTPResponse().getBody()).isTrue();
    return (OIDCTokenResponse) t.toSuccessResponse();
  }

  private String tokenError(TokenResponse t) {
    assertThat(t.indicatesSuccess()).isFalse();
    return ((TokenErrorResponse) t).getErrorObject().getCode();
  }

  private boolean active(String token) {
    TestServer.Response r = server.postForm("/t/acme/oauth2/introspect", "token=" + token,
        web.toHTTPAuthorizationHeader());
    return r.json().get("active").asBoolean();
  }

  @Test
  @DisplayName("code + PKCE: login and consent pages, ID token valid against the JWKS, userinfo,"
      + " refresh with rotation")
  void confidentialClientSignsUserInWithCodeAndPkce() throws Exception {
    Browser browser = new Browser();
    Attempt attempt = request(webId, REDIRECT, "openid profile email offline_access", null);
    OIDCTokenResponse tokens = codeFlow(browser, attempt);

    JWT idToken = tokens.getOIDCTokens().getIDToken();
    assertThat(((SignedJWT) idToken).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    IDTokenValidator validator = new IDTokenValidator(op.getIssuer(), webId, JWSAlgorithm.RS256,
        op.getJWKSetURI().toURL());
    IDTokenClaimsSet claims = validator.validate(idToken, attempt.nonce());
    assertThat(claims.getSubject().getValue()).isEqualTo(userId);
    assertThat(claims.getAuthenticationTime()).isNotNull();
    assertThat(claims.getAMR()).extracting(Object::toString).containsExactly("pwd");
    assertThat(claims.getACR()).isNotNull();
    assertThat(claims.getStringClaim("sid")).isNotBlank();
    assertThat(claims.getAuthorizedParty().getValue()).isEqualTo(webId.getValue());
    // OIDC Core §3.1.3.8: at_hash matches the access token.
    assertThat(claims.getAccessTokenHash()).isNotNull();
    com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator.validate(
        tokens.getOIDCTokens().getAccessToken(), JWSAlgorithm.RS256, claims.getAccessTokenHash());
    assertThat(JWKSet.load(op.getJWKSetURI().toURL()).getKeyByKeyId(
        ((SignedJWT) idToken).getHeader().getKeyID())).isNotNull();

    // Userinfo, GET with the bearer header and POST with the form body.
    String at = tokens.getOIDCTokens().getAccessToken().getValue();
    TestServer.Response info = server.send(java.net.http.HttpRequest.newBuilder(
        op.getUserInfoEndpointURI()).header("Authorization", "Bearer " + at).GET().build());
    assertThat(info.status()).as("%s", info).isEqualTo(200);
    assertThat(info.json().get("sub").asText()).isEqualTo(userId);
    assertThat(info.json().get("preferred_username").asText()).isEqualTo("alice");
    assertThat(info.json().get("name").asText()).isEqualTo("Alice Example");
    assertThat(info.json().get("email").asText()).isEqualTo("alice@example.com");
    assertThat(info.json().get("email_verified").asBoolean()).isTrue();
    TestServer.Response posted = server.postForm("/t/acme/userinfo", "access_token=" + at, null);
    assertThat(posted.json().get("sub").asText()).isEqualTo(userId);
    assertThat(server.get("/t/acme/userinfo").status()).isEqualTo(401);

    // Refresh: a new access token and a new refresh token; scope may narrow.
    RefreshToken first = tokens.getOIDCTokens().getRefreshToken();
    assertThat(first).isNotNull();
    TokenResponse refreshed = OIDCTokenResponseParser.parse(new TokenRequest(
        op.getTokenEndpointURI(), web, new RefreshTokenGrant(first), new Scope("openid", "email"))
        .toHTTPRequest().send());
    assertThat(refreshed.indicatesSuccess()).isTrue();
    OIDCTokenResponse second = (OIDCTokenResponse) refreshed.toSuccessResponse();
    assertThat(second.getOIDCTokens().getRefreshToken()).isNotEqualTo(first);
    assertThat(second.getOIDCTokens().getAccessToken().getScope())
        .isEqualTo(new Scope("openid", "email"));
    // Widening past the original grant is refused.
    TokenResponse wider = OIDCTokenResponseParser.parse(new TokenRequest(
        op.getTokenEndpointURI(), web, new RefreshTokenGrant(
            second.getOIDCTokens().getRefreshToken()), new Scope("openid", "admin"))
        .toHTTPRequest().send());
    assertThat(tokenError(wider)).isEqualTo("invalid_scope");
  }

  @Test
  @DisplayName("RFC 9700 §4.14.2: reuse of a rotated refresh token revokes the whole family")
  void refreshTokenReuseRevokesTheFamily() throws Exception {
    OIDCTokenResponse tokens = codeFlow(new Browser(),
        request(webId, REDIRECT, "openid offline_access", null));
    RefreshToken first = tokens.getOIDCTokens().getRefreshToken();
    TokenResponse rotated = exchange(op.getTokenEndpointURI(), web, null,
        new RefreshTokenGrant(first));
    RefreshToken second = ((OIDCTokenResponse) rotated.toSuccessResponse()).getOIDCTokens()
        .getRefreshToken();
    // The old one again: reuse.
    assertThat(tokenError(exchange(op.getTokenEndpointURI(), web, null,
        new RefreshTokenGrant(first)))).isEqualTo("invalid_grant");
    // And the family is gone: the current token no longer works either.
    assertThat(tokenError(exchange(op.getTokenEndpointURI(), web, null,
        new RefreshTokenGrant(second)))).isEqualTo("invalid_grant");
  }

  @Test
  @DisplayName("public client: PKCE with auth method none; a second sign-in rides the SSO session")
  void publicClientUsesPkceAndSsoSession() throws Exception {
    Browser browser = new Browser();
    Attempt attempt = request(spaId, PUBLIC_REDIRECT, "openid profile", null);
    URI location = signIn(browser, attempt, "alice", PASSWORD);
    TokenResponse t = exchange(op.getTokenEndpointURI(), null, spaId, new AuthorizationCodeGrant(
        success(location, attempt).getAuthorizationCode(), URI.create(PUBLIC_REDIRECT),
        attempt.verifier()));
    assertThat(t.indicatesSuccess()).as("%s", t.toHTTPResponse().getBody()).isTrue();

    // Same browser, prompt=none: no page at all, a code straight away.
    Attempt again = request(spaId, PUBLIC_REDIRECT, "openid profile", new Prompt("none"));
    TestServer.Response r = browser.get(again.uri().toString());
    assertThat(r.status()).isEqualTo(302);
    success(URI.create(r.header("Location")), again);

    // Without the verifier the public client gets nothing.
    Attempt third = request(spaId, PUBLIC_REDIRECT, "openid", new Prompt("none"));
    URI loc = URI.create(browser.get(third.uri().toString()).header("Location"));
    TestServer.Response noVerifier = server.postForm("/t/acme/oauth2/token",
        "grant_type=authorization_code&client_id=" + spaId + "&redirect_uri="
            + java.net.URLEncoder.encode(PUBLIC_REDIRECT, "UTF-8") + "&code="
            + success(loc, third).getAuthorizationCode(), null);
    assertThat(noVerifier.json().get("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  @DisplayName("RFC 6749 §4.1.2: a replayed code is refused and the tokens issued from it revoked")
  void codeReplayRevokesTokens() throws Exception {
    Browser browser = new Browser();
    Attempt attempt = request(webId, REDIRECT, "openid offline_access", null);
    AuthorizationCode code = success(signIn(browser, attempt, "alice", PASSWORD), attempt)
        .getAuthorizationCode();
    AuthorizationCodeGrant grant = new AuthorizationCodeGrant(code, URI.create(REDIRECT),
        attempt.verifier());
    OIDCTokenResponse first = (OIDCTokenResponse) exchange(op.getTokenEndpointURI(), web, null,
        grant).toSuccessResponse();
    String at = first.getOIDCTokens().getAccessToken().getValue();
    assertThat(active(at)).isTrue();

    assertThat(tokenError(exchange(op.getTokenEndpointURI(), web, null, grant)))
        .isEqualTo("invalid_grant");
    assertThat(active(at)).isFalse();
    assertThat(tokenError(exchange(op.getTokenEndpointURI(), web, null,
        new RefreshTokenGrant(first.getOIDCTokens().getRefreshToken()))))
        .isEqualTo("invalid_grant");
  }

  private ClientSecretBasic newWebClient(String name, List<String> grants) {
    JsonNode json = server.createClient("acme", Map.of("name", name, "grant_types", grants,
        "redirect_uris", List.of(REDIRECT)));
    return new ClientSecretBasic(new ClientID(json.get("client_id").asText()),
        new Secret(json.get("client_secret").asText()));
  }

  private OIDCTokenResponse codeFlowAs(ClientSecretBasic client, Browser browser, String scope)
      throws Exception {
    Attempt attempt = request(client.getClientID(), REDIRECT, scope, null);
    AuthorizationCode code = success(signIn(browser, attempt, "alice", PASSWORD), attempt)
        .getAuthorizationCode();
    TokenResponse t = exchange(op.getTokenEndpointURI(), client, null,
        new AuthorizationCodeGrant(code, URI.create(REDIRECT), attempt.verifier()));
    assertThat(t.indicatesSuccess()).as("%s", t.toHTTPResponse().getBody()).isTrue();
    return (OIDCTokenResponse) t.toSuccessResponse();
  }

  @Test
  @DisplayName("OIDC Core §11: a refresh token only with offline_access, granted with consent,"
      + " to a client that may refresh")
  void refreshTokenOnlyWithOfflineAccessConsentedTo() throws Exception {
    ClientSecretBasic offline = newWebClient("Offline App",
        List.of("authorization_code", "refresh_token"));
    Browser browser = new Browser();
    // Without offline_access: no refresh token, although the client may refresh.
    OIDCTokenResponse online = codeFlowAs(offline, browser, "openid profile");
    assertThat(online.getOIDCTokens().getRefreshToken()).isNull();
    assertThat(online.toJSONObject()).doesNotContainKey("refresh_token");

    // The consent on record covers openid and profile, not offline_access: prompt=none cannot
    // get it silently, and the consent page asks for it.
    Attempt silent = request(offline.getClientID(), REDIRECT, "openid offline_access",
        new Prompt("none"));
    TestServer.Response r = browser.get(silent.uri().toString());
    assertThat(r.header("Location")).contains("error=consent_required");
    Attempt asks = request(offline.getClientID(), REDIRECT, "openid offline_access", null);
    TestServer.Response consent = browser.follow(asks.uri().toString(), server.baseUrl());
    assertThat(consent.status()).isEqualTo(200);
    assertThat(consent.text()).contains("Stay signed in");

    // Consented: a refresh token, and the granted scope says offline_access.
    OIDCTokenResponse withOffline = codeFlowAs(offline, browser, "openid offline_access");
    assertThat(withOffline.getOIDCTokens().getRefreshToken()).isNotNull();
    assertThat(withOffline.getOIDCTokens().getAccessToken().getScope())
        .isEqualTo(new Scope("openid", "offline_access"));

    // A client without the refresh_token grant: offline_access is dropped from the request, so
    // neither the consent page nor the token response mention it.
    ClientSecretBasic noRefresh = newWebClient("No Refresh App", List.of("authorization_code"));
    Attempt dropped = request(noRefresh.getClientID(), REDIRECT, "openid offline_access", null);
    TestServer.Response page = browser.follow(dropped.uri().toString(), server.baseUrl());
    assertThat(page.text()).contains("No Refresh App").doesNotContain("Stay signed in");
    OIDCTokenResponse plain = codeFlowAs(noRefresh, browser, "openid offline_access");
    assertThat(plain.getOIDCTokens().getRefreshToken()).isNull();
    assertThat(plain.getOIDCTokens().getAccessToken().getScope()).isEqualTo(new Scope("openid"));
  }

  @Test
  @DisplayName("RFC 7636 §4.6: a wrong code_verifier is invalid_grant")
  void wrongVerifierIsInvalidGrant() throws Exception {
    Attempt attempt = request(webId, REDIRECT, "openid", null);
    AuthorizationCode code = success(signIn(new Browser(), attempt, "alice", PASSWORD), attempt)
        .getAuthorizationCode();
    assertThat(tokenError(exchange(op.getTokenEndpointURI(), web, null,
        new AuthorizationCodeGrant(code, URI.create(REDIRECT), new CodeVerifier()))))
        .isEqualTo("invalid_grant");
  }

  @Test
  @DisplayName("RFC 6749 §4.1.3: a redirect_uri differing from the request's is invalid_grant")
  void redirectUriMismatchAtTokenEndpointIsInvalidGrant() throws Exception {
    Attempt attempt = request(webId, REDIRECT, "openid", null);
    AuthorizationCode code = success(signIn(new Browser(), attempt, "alice", PASSWORD), attempt)
        .getAuthorizationCode();
    assertThat(tokenError(exchange(op.getTokenEndpointURI(), web, null,
        new AuthorizationCodeGrant(code, URI.create(REDIRECT + "/other"), attempt.verifier()))))
        .isEqualTo("invalid_grant");
  }

  @Test
  @DisplayName("RFC 6749 §4.1.2.1: an unregistered redirect_uri gets an error page, never a"
      + " redirect")
  void unregisteredRedirectUriShowsErrorPageWithoutRedirect() {
    for (String bad : List.of("https://evil.example.com/callback", REDIRECT + "/",
        REDIRECT + "?x=1")) {
      Attempt attempt = request(webId, bad, "openid", null);
      TestServer.Response r = new Browser().get(attempt.uri().toString());
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.header("Location")).isNull();
      assertThat(r.header("Content-Type")).startsWith("text/html");
      assertThat(r.text()).contains("not registered").doesNotContain("evil.example.com");
    }
    TestServer.Response unknownClient = new Browser().get(server.issuer("acme")
        + "/oauth2/authorize?response_type=code&client_id=nobody&redirect_uri="
        + java.net.URLEncoder.encode(REDIRECT, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(unknownClient.status()).isEqualTo(400);
    assertThat(unknownClient.header("Location")).isNull();
  }

  @Test
  @DisplayName("OIDC Core §3.1.2.1: prompt=none without a session answers login_required")
  void promptNoneWithoutSessionIsLoginRequired() throws Exception {
    Attempt attempt = request(webId, REDIRECT, "openid", new Prompt("none"));
    TestServer.Response r = new Browser().get(attempt.uri().toString());
    assertThat(r.status()).isEqualTo(302);
    AuthorizationResponse response = AuthorizationResponse.parse(URI.create(r.header("Location")));
    assertThat(response.indicatesSuccess()).isFalse();
    AuthorizationErrorResponse error = response.toErrorResponse();
    assertThat(error.getErrorObject().getCode()).isEqualTo("login_required");
    assertThat(error.getState()).isEqualTo(attempt.state());
    assertThat(error.getIssuer()).isEqualTo(new Issuer(server.issuer("acme")));
  }

  @Test
  @DisplayName("PKCE: plain refused, public client without a challenge refused (redirected)")
  void pkceRequirementsAreEnforced() {
    String base = server.issuer("acme") + "/oauth2/authorize?response_type=code&state=s1"
        + "&scope=openid&redirect_uri=" + java.net.URLEncoder.encode(PUBLIC_REDIRECT,
        java.nio.charset.StandardCharsets.UTF_8) + "&client_id=" + spaId;
    for (String query : List.of("", "&code_challenge=abcdefghijabcdefghijabcdefghijabcdefghij123"
        + "&code_challenge_method=plain")) {
      TestServer.Response r = new Browser().get(base + query);
      assertThat(r.status()).isEqualTo(302);
      assertThat(r.header("Location")).startsWith(PUBLIC_REDIRECT + "?error=invalid_request")
          .contains("state=s1");
    }
    TestServer.Response token = new Browser().get(base.replace("response_type=code",
        "response_type=token"));
    assertThat(token.header("Location")).contains("error=unsupported_response_type");
  }

  @Test
  @DisplayName("a code or refresh token of tenant acme is invalid_grant at tenant globex")
  void codeAndRefreshTokenOfOneTenantAreInvalidAtAnother() throws Exception {
    JsonNode globexJson = server.createClient("globex", Map.of("name", "Web App",
        "grant_types", List.of("authorization_code", "refresh_token"),
        "redirect_uris", List.of(REDIRECT)));
    ClientSecretBasic globex = new ClientSecretBasic(
        new ClientID(globexJson.get("client_id").asText()),
        new Secret(globexJson.get("client_secret").asText()));
    URI globexToken = URI.create(server.issuer("globex") + "/oauth2/token");

    Attempt attempt = request(webId, REDIRECT, "openid offline_access", null);
    AuthorizationCode code = success(signIn(new Browser(), attempt, "alice", PASSWORD), attempt)
        .getAuthorizationCode();
    AuthorizationCodeGrant grant = new AuthorizationCodeGrant(code, URI.create(REDIRECT),
        attempt.verifier());
    assertThat(tokenError(exchange(globexToken, globex, null, grant))).isEqualTo("invalid_grant");
    // The code is still good at its own tenant.
    OIDCTokenResponse ok = (OIDCTokenResponse) exchange(op.getTokenEndpointURI(), web, null,
        grant).toSuccessResponse();
    assertThat(tokenError(exchange(globexToken, globex, null,
        new RefreshTokenGrant(ok.getOIDCTokens().getRefreshToken())))).isEqualTo("invalid_grant");
  }

  @Test
  @DisplayName("a login form without its CSRF token is refused, and nobody is signed in")
  void loginWithoutCsrfTokenIsRefused() {
    Browser browser = new Browser();
    Attempt attempt = request(webId, REDIRECT, "openid", null);
    TestServer.Response page = browser.follow(attempt.uri().toString(), server.baseUrl());
    Map<String, String> form = new HashMap<>(Browser.hiddenFields(page.text()));
    assertThat(form).containsKey("csrf");
    form.remove("csrf");
    form.put("username", "alice");
    form.put("password", PASSWORD);
    TestServer.Response r = browser.post(Browser.formAction(page.text()), form);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.header("Set-Cookie")).isNull();
    form.put("csrf", "forged");
    assertThat(browser.post(Browser.formAction(page.text()), form).status()).isEqualTo(403);
  }

  @Test
  @DisplayName("no user enumeration: unknown user and wrong password read the same")
  void unknownUserAndWrongPasswordGetTheSameAnswer() {
    String[] bodies = new String[2];
    int i = 0;
    for (String username : List.of("nobody-here", "alice")) {
      Browser browser = new Browser();
      TestServer.Response page = browser.follow(request(webId, REDIRECT, "openid", null).uri()
          .toString(), server.baseUrl());
      Map<String, String> form = new HashMap<>(Browser.hiddenFields(page.text()));
      form.put("username", username);
      form.put("password", "wrong password " + i);
      TestServer.Response r = browser.post(Browser.formAction(page.text()), form);
      assertThat(r.status()).isEqualTo(401);
      bodies[i++] = r.text().replaceAll("(value|nonce|data-challenge)=\"[^\"]*\"", "");
    }
    assertThat(bodies[0]).isEqualTo(bodies[1]);
  }

  @Test
  @DisplayName("hosted pages: CSP frame-ancestors 'none', X-Frame-Options, no-store, cookie flags")
  void pagesCarrySecurityHeadersAndCookieFlags() {
    Browser browser = new Browser();
    TestServer.Response page = browser.follow(request(webId, REDIRECT, "openid", null).uri()
        .toString(), server.baseUrl());
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'")
        .contains("default-src 'none'");
    assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.header("Cache-Control")).isEqualTo("no-store");
    assertThat(page.header("Set-Cookie")).contains("HttpOnly").contains("SameSite=Lax");
    assertThat(page.text()).contains("<label for=\"username\">").contains("<label for=\"password\">");
  }

  @Test
  @DisplayName("RP-initiated logout with id_token_hint ends the session; admin lists and revokes"
      + " sessions")
  void logoutEndsTheSessionAndAdminSeesSessions() throws Exception {
    Browser browser = new Browser();
    OIDCTokenResponse tokens = codeFlow(browser, request(webId, REDIRECT, "openid", null));

    TestServer.Response list = server.admin("GET", "/admin/v1/tenants/acme/sessions?user="
        + userId, null);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("items").size()).isGreaterThanOrEqualTo(1);

    String logout = op.getEndSessionEndpointURI() + "?id_token_hint="
        + tokens.getOIDCTokens().getIDTokenString() + "&post_logout_redirect_uri="
        + java.net.URLEncoder.encode(POST_LOGOUT, "UTF-8") + "&state=bye1";
    // §2: the hint names this browser's session, so the OP need not ask.
    TestServer.Response done = browser.get(logout);
    assertThat(done.status()).isEqualTo(303);
    assertThat(done.header("Location")).isEqualTo(POST_LOGOUT + "?state=bye1");

    // The browser is signed out.
    TestServer.Response none = browser.get(request(webId, REDIRECT, "openid",
        new Prompt("none")).uri().toString());
    assertThat(none.header("Location")).contains("error=login_required");

    // An unregistered post_logout_redirect_uri is refused on a page.
    TestServer.Response bad = browser.get(op.getEndSessionEndpointURI() + "?client_id=" + webId
        + "&post_logout_redirect_uri=https%3A%2F%2Fevil.example.com%2F");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.header("Location")).isNull();

    // Admin revocation: sign in again, revoke the session, prompt=none needs a login.
    Browser other = new Browser();
    codeFlow(other, request(webId, REDIRECT, "openid", null));
    JsonNode items = server.admin("GET", "/admin/v1/tenants/acme/sessions?user=" + userId, null)
        .json().get("items");
    for (JsonNode s : items) {
      assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/sessions/"
          + s.get("sid").asText(), null).status()).isEqualTo(204);
    }
    assertThat(other.get(request(webId, REDIRECT, "openid", new Prompt("none")).uri()
        .toString()).header("Location")).contains("error=login_required");
  }

  @Test
  @DisplayName("Back-Channel Logout 1.0 §2.5: ending a session posts a signed logout token")
  void endingSessionPostsLogoutTokenToBackchannelUri() throws Exception {
    java.util.concurrent.CompletableFuture<String> received =
        new java.util.concurrent.CompletableFuture<>();
    com.sun.net.httpserver.HttpServer rp = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    rp.createContext("/bc", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      received.complete(body);
    });
    rp.start();
    try {
      JsonNode bcJson = server.createClient("acme", Map.of("name", "BC App",
          "grant_types", List.of("authorization_code"), "redirect_uris", List.of(REDIRECT),
          "backchannel_logout_uri", "http://127.0.0.1:" + rp.getAddress().getPort() + "/bc"));
      ClientID bcId = new ClientID(bcJson.get("client_id").asText());
      ClientSecretBasic bc = new ClientSecretBasic(bcId,
          new Secret(bcJson.get("client_secret").asText()));
      Browser browser = new Browser();
      Attempt attempt = request(bcId, REDIRECT, "openid", null);
      AuthorizationCode code = success(signIn(browser, attempt, "alice", PASSWORD), attempt)
          .getAuthorizationCode();
      OIDCTokenResponse tokens = (OIDCTokenResponse) exchange(op.getTokenEndpointURI(), bc, null,
          new AuthorizationCodeGrant(code, URI.create(REDIRECT), attempt.verifier()))
          .toSuccessResponse();
      String sid = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");
      assertThat(server.admin("DELETE", "/admin/v1/tenants/acme/sessions/" + sid, null).status())
          .isEqualTo(204);

      String form = received.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(form).startsWith("logout_token=");
      SignedJWT logoutToken = SignedJWT.parse(java.net.URLDecoder.decode(
          form.substring("logout_token=".length()), java.nio.charset.StandardCharsets.UTF_8));
      assertThat(logoutToken.getHeader().getType().toString()).isEqualTo("logout+jwt");
      JWKSet jwks = JWKSet.load(op.getJWKSetURI().toURL());
      assertThat(logoutToken.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(
          jwks.getKeyByKeyId(logoutToken.getHeader().getKeyID()).toRSAKey()))).isTrue();
      var claims = logoutToken.getJWTClaimsSet();
      assertThat(claims.getIssuer()).isEqualTo(server.issuer("acme"));
      assertThat(claims.getAudience()).containsExactly(bcId.getValue());
      assertThat(claims.getStringClaim("sid")).isEqualTo(sid);
      assertThat(claims.getSubject()).isEqualTo(userId);
      assertThat(claims.getJSONObjectClaim("events"))
          .containsKey("http://schemas.openid.net/event/backchannel-logout");
      assertThat(claims.getClaim("nonce")).isNull();
    } finally {
      rp.stop(0);
    }
  }

  @Test
  @DisplayName("response_mode=form_post, prompt=login and max_age=0 force what they say")
  void formPostPromptLoginAndMaxAge() throws Exception {
    Browser browser = new Browser();
    codeFlow(browser, request(webId, REDIRECT, "openid", null));
    // A session exists: plain requests go straight back; prompt=login and max_age=0 show the
    // login page again.
    Attempt plain = request(webId, REDIRECT, "openid", null);
    assertThat(browser.get(plain.uri().toString()).status()).isEqualTo(302);
    Attempt login = request(webId, REDIRECT, "openid", new Prompt("login"));
    TestServer.Response forced = browser.follow(login.uri().toString(), server.baseUrl());
    assertThat(forced.text()).contains("name=\"password\"");
    TestServer.Response aged = browser.follow(plain.uri() + "&max_age=0", server.baseUrl());
    assertThat(aged.text()).contains("name=\"password\"");
    // Signing in again satisfies prompt=login.
    success(signIn(browser, login, "alice", PASSWORD), login);

    // form_post: an HTML form posting code, state and iss to the redirect URI.
    Attempt post = request(webId, REDIRECT, "openid", null);
    TestServer.Response form = browser.get(post.uri() + "&response_mode=form_post");
    assertThat(form.status()).isEqualTo(200);
    assertThat(Browser.formAction(form.text())).isEqualTo(REDIRECT);
    Map<String, String> fields = Browser.hiddenFields(form.text());
    assertThat(fields).containsKeys("code", "iss").containsEntry("state",
        post.state().getValue());
    String nonce = form.header("Content-Security-Policy").replaceAll(".*script-src 'nonce-([^']*)'.*",
        "$1");
    assertThat(form.text()).contains("<script nonce=\"" + nonce + "\">");
  }
}
