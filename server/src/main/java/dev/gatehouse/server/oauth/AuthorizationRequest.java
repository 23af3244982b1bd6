package dev.gatehouse.server.oauth;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A validated authorization request (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2.1, RFC 7636
 * §4.3). Parsing happens in two stages, as the spec demands: first the client and redirect_uri,
 * whose errors must never redirect; then everything else, whose errors go back to the client.
 *
 * @param redirectUri the redirect URI to answer at (the registered one when none was given)
 * @param redirectUriGiven whether the request named it (the token request must then repeat it)
 * @param issuedAt when the request arrived, epoch seconds
 * @param loginSid the session created by signing in for this very request, once that happened:
 *     it satisfies prompt=login and max_age whatever the clock says
 * @param acrValues the requested acr values in order of preference (OIDC Core §3.1.2.1), those
 *     this server knows only
 * @param consentSid the session in which the user consented to this very request, once that
 *     happened: it satisfies prompt=consent
 * @param claims what the {@code claims} parameter asked for (OIDC Core §5.5), or
 *     {@link ClaimsRequest#NONE}
 */
public record AuthorizationRequest(
    String clientId,
    String redirectUri,
    boolean redirectUriGiven,
    String responseMode,
    String state,
    Set<String> scope,
    String nonce,
    String codeChallenge,
    Set<String> prompt,
    Integer maxAge,
    String loginHint,
    long issuedAt,
    String loginSid,
    java.util.List<String> acrValues,
    String consentSid,
    ClaimsRequest claims) {

  /** This request, marked as signed in for by the session {@code sid}. */
  public AuthorizationRequest withLoginSid(String sid) {
    return new AuthorizationRequest(clientId, redirectUri, redirectUriGiven, responseMode, state,
        scope, nonce, codeChallenge, prompt, maxAge, loginHint, issuedAt, sid, acrValues,
        consentSid, claims);
  }

  /** This request, marked as consented to in the session {@code sid}. */
  public AuthorizationRequest withConsentSid(String sid) {
    return new AuthorizationRequest(clientId, redirectUri, redirectUriGiven, responseMode, state,
        scope, nonce, codeChallenge, prompt, maxAge, loginHint, issuedAt, loginSid, acrValues,
        sid, claims);
  }

  /** Scopes every client may ask for: OpenID Connect Core §5.4 and §11. */
  public static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "email", "address",
      "phone", "offline_access");
  static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

  /** An error to show on a page: the client or redirect URI cannot be trusted with it. */
  public static final class PageError extends RuntimeException {
    public PageError(String message) {
      super(message, null, false, false);
    }
  }

  /** An error to send back to the client's redirect URI (RFC 6749 §4.1.2.1). */
  public static final class RedirectError extends RuntimeException {
    private final String error;
    private final String redirectUri;
    private final String state;
    private final String responseMode;

    public RedirectError(String error, String description, String redirectUri, String state,
        String responseMode) {
      super(description, null, false, false);
      this.error = error;
      this.redirectUri = redirectUri;
      this.state = state;
      this.responseMode = responseMode;
    }

    public String error() {
      return error;
    }

    public String redirectUri() {
      return redirectUri;
    }

    public String state() {
      return state;
    }

    public String responseMode() {
      return responseMode;
    }
  }

  public boolean isOpenId() {
    return scope.contains(UserTokens.OPENID);
  }

  /**
   * What the user must have allowed the client: the scope, and the scopes whose claims the
   * {@code claims} parameter names. OIDC Core §5.5 lets a client ask for single claims instead of
   * whole scopes; they are released under the same consent as the scope that would give them.
   */
  public Set<String> consentScope() {
    if (claims.requested().isEmpty()) {
      return scope;
    }
    Set<String> all = new LinkedHashSet<>(scope);
    all.addAll(dev.gatehouse.server.identity.UserClaims.scopesOf(claims.requested().userinfo()));
    all.addAll(dev.gatehouse.server.identity.UserClaims.scopesOf(claims.requested().idToken()));
    return all;
  }

  /** The request as parameters, to carry it through the login and consent pages. */
  public Map<String, String> toParameters() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("client_id", clientId);
    m.put("redirect_uri", redirectUri);
    m.put("redirect_uri_given", Boolean.toString(redirectUriGiven));
    m.put("response_mode", responseMode);
    put(m, "state", state);
    m.put("scope", Scopes.join(scope));
    put(m, "nonce", nonce);
    put(m, "code_challenge", codeChallenge);
    m.put("prompt", String.join(" ", prompt));
    put(m, "max_age", maxAge == null ? null : maxAge.toString());
    put(m, "login_hint", loginHint);
    m.put("iat", Long.toString(issuedAt));
    put(m, "login_sid", loginSid);
    put(m, "consent_sid", consentSid);
    if (!acrValues.isEmpty()) {
      m.put("acr_values", String.join(" ", acrValues));
    }
    if (!claims.isEmpty()) {
      m.put("claims", claims.toJson());
    }
    return m;
  }

  /** The inverse of {@link #toParameters} (the parameters were authenticated by the caller). */
  public static AuthorizationRequest fromParameters(Map<String, String> m) {
    String prompt = m.getOrDefault("prompt", "");
    return new AuthorizationRequest(m.get("client_id"), m.get("redirect_uri"),
        Boolean.parseBoolean(m.get("redirect_uri_given")), m.get("response_mode"), m.get("state"),
        Scopes.parse(m.get("scope")), m.get("nonce"), m.get("code_challenge"),
        prompt.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(prompt.split(" "))),
        m.get("max_age") == null ? null : Integer.valueOf(m.get("max_age")), m.get("login_hint"),
        Long.parseLong(m.get("iat")), m.get("login_sid"), acrValues(m.get("acr_values")),
        m.get("consent_sid"), ClaimsRequest.parse(m.get("claims")));
  }

  private static void put(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  /** Validates the parameters of an authorization request from {@code client} (null: unknown). */
  public static AuthorizationRequest parse(Map<String, String> p, Client client, long now) {
    // Stage 1. RFC 6749 §4.1.2.1: "If the request fails due to a missing, invalid, or mismatching
    // redirection URI, or if the client identifier is missing or invalid, the authorization
    // server SHOULD inform the resource owner of the error and MUST NOT automatically redirect
    // the user-agent to the invalid redirection URI."
    if (p.get("client_id") == null) {
      throw new PageError("The request does not name a client (client_id is missing).");
    }
    if (client == null) {
      throw new PageError("The application that sent you here is not registered.");
    }
    if (!client.allowsGrant(Grants.AUTHORIZATION_CODE) || client.redirectUris().isEmpty()) {
      throw new PageError("The application that sent you here may not sign people in.");
    }
    String redirectUri = p.get("redirect_uri");
    boolean given = redirectUri != null;
    if (given) {
      // RFC 9700 §4.1.3 and OAuth 2.1 §4.1.1: redirect URIs are compared by simple string
      // comparison with the registered ones.
      if (!client.hasRedirect(redirectUri)) {
        throw new PageError("The address the application asked to return to is not registered"
            + " for it (redirect_uri mismatch).");
      }
    } else if (client.redirectUris().size() == 1) {
      redirectUri = client.redirectUris().get(0);
    } else {
      throw new PageError("The request does not say where to return to (redirect_uri is"
          + " missing).");
    }
    // Stage 2: errors go back to the client.
    String state = p.get("state");
    String mode = p.getOrDefault("response_mode", "query");
    if (p.containsKey("request")) {
      // OIDC Core §6.1: "the Authorization Server MUST only use the parameters contained in the
      // Request Object" (RFC 9101 §6.3 likewise). Request objects are not supported, but the
      // error must still reach the client the way it asked for it: response_mode and state are
      // read from the object's payload, unverified, for delivering this error and nothing else.
      RequestObjectHints hints = RequestObjectHints.of(p.get("request"));
      state = hints.state() != null ? hints.state() : state;
      String objectMode = hints.responseMode();
      mode = "query".equals(objectMode) || "form_post".equals(objectMode) ? objectMode
          : "form_post".equals(mode) ? mode : "query";
      throw new RedirectError("request_not_supported", "request objects (the request parameter)"
          + " are not supported", redirectUri, state, mode);
    }
    if (!mode.equals("query") && !mode.equals("form_post")) {
      throw new RedirectError("invalid_request", "response_mode must be query or form_post",
          redirectUri, state, "query");
    }
    String responseType = p.get("response_type");
    if (responseType == null) {
      throw new RedirectError("invalid_request", "response_type is required", redirectUri, state,
          mode);
    }
    if (!responseType.equals("code")) {
      // OAuth 2.1 removes the implicit grant: code is the only response type.
      throw new RedirectError("unsupported_response_type", "only response_type=code is"
          + " supported", redirectUri, state, mode);
    }
    if (p.containsKey("request_uri")) {
      throw new RedirectError("request_uri_not_supported", "request_uri is not supported",
          redirectUri, state, mode);
    }
    Set<String> scope;
    try {
      scope = Scopes.parse(p.get("scope"));
    } catch (OAuthException e) {
      throw new RedirectError("invalid_scope", e.getMessage(), redirectUri, state, mode);
    }
    for (String s : scope) {
      if (!OIDC_SCOPES.contains(s) && !client.scopes().contains(s)) {
        throw new RedirectError("invalid_scope", "scope `" + Scopes.printable(s) + "` is not"
            + " allowed for this client", redirectUri, state, mode);
      }
    }
    if (scope.contains(UserTokens.OFFLINE_ACCESS) && !client.allowsGrant(Grants.REFRESH_TOKEN)) {
      // OIDC Core §11: offline_access asks for a refresh token; a client that may not refresh
      // cannot have one, so the request is granted without it (RFC 6749 §3.3: the token
      // response's scope then says what was granted) and the consent page does not ask for it.
      scope = new java.util.LinkedHashSet<>(scope);
      scope.remove(UserTokens.OFFLINE_ACCESS);
    }
    if (!given && scope.contains(UserTokens.OPENID)) {
      // OIDC Core §3.1.2.1: redirect_uri is REQUIRED.
      throw new RedirectError("invalid_request", "redirect_uri is required with scope openid",
          redirectUri, state, mode);
    }
    String challenge = p.get("code_challenge");
    String method = p.get("code_challenge_method");
    if (challenge != null || method != null) {
      // RFC 9700 §2.1.1: "Authorization servers MUST support PKCE" and "MUST NOT allow
      // "plain""; RFC 7636 §4.3: the method defaults to plain when absent, so it is required.
      if (!"S256".equals(method)) {
        throw new RedirectError("invalid_request", "code_challenge_method must be S256 (plain is"
            + " not accepted)", redirectUri, state, mode);
      }
      if (!PkceVerifier.validChallenge(challenge)) {
        throw new RedirectError("invalid_request", "code_challenge must be the 43-character"
            + " base64url SHA-256 of the code_verifier", redirectUri, state, mode);
      }
    } else if (client.type() == Client.ClientType.PUBLIC) {
      // OAuth 2.1 §4.1.1: public clients MUST use PKCE.
      throw new RedirectError("invalid_request", "code_challenge is required for public clients"
          + " (PKCE, RFC 7636)", redirectUri, state, mode);
    }
    Set<String> prompt = new LinkedHashSet<>();
    String promptParam = p.get("prompt");
    if (promptParam != null) {
      for (String v : promptParam.split(" ")) {
        if (v.isEmpty()) {
          continue;
        }
        if (!PROMPTS.contains(v)) {
          throw new RedirectError("invalid_request", "prompt `" + Scopes.printable(v) + "` is"
              + " not supported", redirectUri, state, mode);
        }
        prompt.add(v);
      }
      // OIDC Core §3.1.2.1: "If this parameter contains none with any other value, an error is
      // returned."
      if (prompt.contains("none") && prompt.size() > 1) {
        throw new RedirectError("invalid_request", "prompt=none cannot be combined with other"
            + " values", redirectUri, state, mode);
      }
    }
    Integer maxAge = null;
    if (p.get("max_age") != null) {
      try {
        maxAge = Integer.valueOf(p.get("max_age"));
      } catch (NumberFormatException e) {
        maxAge = -1;
      }
      if (maxAge < 0) {
        throw new RedirectError("invalid_request", "max_age must be a non-negative number of"
            + " seconds", redirectUri, state, mode);
      }
    }
    String nonce = p.get("nonce");
    if (nonce != null && nonce.length() > 500) {
      throw new RedirectError("invalid_request", "nonce is longer than 500 characters",
          redirectUri, state, mode);
    }
    if (state != null && state.length() > 2000) {
      throw new RedirectError("invalid_request", "state is longer than 2000 characters",
          redirectUri, null, mode);
    }
    String loginHint = p.get("login_hint");
    if (loginHint != null && loginHint.length() > 254) {
      loginHint = null;
    }
    ClaimsRequest claims;
    try {
      claims = ClaimsRequest.parse(p.get("claims"));
    } catch (ClaimsRequest.Invalid e) {
      throw new RedirectError("invalid_request", e.getMessage(), redirectUri, state, mode);
    }
    java.util.List<String> acr = acrValues(p.get("acr_values"));
    if (claims.acr() != null && !claims.acr().values().isEmpty()) {
      acr = acrValues(claims.acr(), redirectUri, state, mode);
    }
    return new AuthorizationRequest(client.clientId(), redirectUri, given, mode, state, scope,
        nonce, challenge, prompt, maxAge, loginHint, now, null, acr, null, claims);
  }

  /**
   * The acr values of an {@code acr} Claim requested with values (OIDC Core §5.5.1.1), which
   * then take the place of acr_values: the claims parameter is the more precise request. They go
   * through the same machinery (the first value this server knows decides a step-up). §5.5.1.1:
   * "If this is an Essential Claim and the requirement cannot be met, then the Authorization
   * Server MUST treat that outcome as a failed authentication attempt": when no value is one
   * this server issues, no authentication can meet it, and the request fails at once with
   * unmet_authentication_requirements (OpenID Connect Core Error Code
   * unmet_authentication_requirements 1.0 §2, defined for exactly this case).
   */
  private static java.util.List<String> acrValues(ClaimsRequest.Acr requested, String redirectUri,
      String state, String mode) {
    java.util.List<String> known = supportedAcr(requested.values());
    if (known.isEmpty() && requested.essential()) {
      throw new RedirectError("unmet_authentication_requirements", "none of the essential acr"
          + " values requested is one this server issues (acr_values_supported)", redirectUri,
          state, mode);
    }
    return known;
  }

  /**
   * OIDC Core §3.1.2.1 acr_values: "Requested Authentication Context Class Reference values.
   * Space-separated string that specifies the acr values that the Authorization Server is being
   * requested to use ... with the values appearing in order of preference." Values this server
   * does not issue are dropped: the claim is voluntary, so they are no error.
   */
  static java.util.List<String> acrValues(String param) {
    if (param == null || param.isBlank() || param.length() > 1000) {
      return java.util.List.of();
    }
    return supportedAcr(Arrays.asList(param.trim().split(" +")));
  }

  /** The values among {@code requested} that this server issues, in order, each once. */
  private static java.util.List<String> supportedAcr(java.util.List<String> requested) {
    return requested.stream().filter(dev.gatehouse.server.session.Acr.SUPPORTED::contains)
        .distinct().toList();
  }
}
