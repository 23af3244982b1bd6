package dev.gatehouse.server.web;

import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.detect.DetectionService;
import dev.gatehouse.server.events.SignInEvents;
import dev.gatehouse.server.session.Acr;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.Form;
import dev.gatehouse.server.mfa.MfaService;
import dev.gatehouse.server.oauth.AuthorizationCodeService;
import dev.gatehouse.server.oauth.AuthorizationRequest;
import dev.gatehouse.server.oauth.Client;
import dev.gatehouse.server.oauth.ClientService;
import dev.gatehouse.server.oauth.IdTokenService;
import dev.gatehouse.server.oauth.Issuers;
import dev.gatehouse.server.session.ConsentStore;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.session.SessionService;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.web.page.ConsentPage;
import dev.gatehouse.server.web.page.FormPostPage;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The authorization endpoint's side of sign-in (RFC 6749 §3.1, OpenID Connect Core §3.1.2):
 * {@code /oauth2/authorize} and {@code /oauth2/authorize/resume} ask {@link SignInPolicy} what the
 * transaction still owes and send the browser to that step, or answer the client. This class is
 * the only caller of {@link AuthorizationCodeService#issue} (ArchitectureTest says so).
 *
 * <p>Steps record their result and redirect to resume: the login page a new session (sealed into
 * the request as {@code login_sid}), the second-factor page a stronger session, the consent page
 * a grant (and {@code consent_sid}). The consent answer counts only when consent is what this
 * transaction owes in this browser session: the page carries a binding of both, checked when it
 * is posted, and a deny ends the transaction with {@code access_denied}.
 */
final class SignInFlow {

  private static final Map<String, String> SCOPE_TEXT = Map.of(
      "openid", "Know who you are",
      "profile", "See your name, username and profile details",
      "email", "See your email address",
      "address", "See your postal address",
      "phone", "See your phone number",
      "offline_access", "Stay signed in to it while you are away");

  private final SignInHttp signIn;
  private final ClientService clients;
  private final SessionService sessions;
  private final ConsentStore consents;
  private final AuthorizationCodeService codes;
  private final MfaService mfa;
  private final SecretHasher hasher;
  private final Issuers issuers;
  private final SignInEvents events;
  private final Clock clock;
  private final int maxBody;

  SignInFlow(SignInHttp signIn, ClientService clients, SessionService sessions,
      ConsentStore consents, AuthorizationCodeService codes, MfaService mfa, SecretHasher hasher,
      Issuers issuers, SignInEvents events, Clock clock, int maxBody) {
    this.signIn = signIn;
    this.clients = clients;
    this.sessions = sessions;
    this.consents = consents;
    this.codes = codes;
    this.mfa = mfa;
    this.hasher = hasher;
    this.issuers = issuers;
    this.events = events;
    this.clock = clock;
    this.maxBody = maxBody;
  }

  void authorize(ServerRequest req, ServerResponse res, String nonce) {
    Tenant tenant = signIn.tenant(req);
    // RFC 6749 §3.1: "The authorization server MUST support the use of the HTTP "GET" method
    // for the authorization endpoint and MAY support the use of the "POST" method as well."
    Map<String, String> params = req.prologue().method() == Method.POST
        ? Exchange.form(req, maxBody)
        : Form.parse(req.query().rawValue().getBytes(StandardCharsets.US_ASCII));
    Client client = clients.find(tenant.id(), params.get("client_id")).orElse(null);
    AuthorizationRequest ar = AuthorizationRequest.parse(params, client,
        clock.instant().getEpochSecond());
    proceed(req, res, nonce, tenant, client, ar);
  }

  void resume(ServerRequest req, ServerResponse res, String nonce) {
    Tenant tenant = signIn.tenant(req);
    AuthorizationRequest ar = signIn.unseal(tenant, req.query().first("ar").orElse(null));
    proceed(req, res, nonce, tenant, signIn.client(tenant, ar), ar);
  }

  /**
   * The facts {@link SignInPolicy} decides on, for the browser's session; {@code acrValues} are
   * the request's, {@code clientId} (nullable) the client whose grants count.
   */
  SignInPolicy.Facts facts(Tenant tenant, Optional<Session> session, List<String> acrValues,
      String clientId) {
    if (session.isEmpty()) {
      return SignInPolicy.Facts.NONE;
    }
    Session s = session.get();
    if (!signIn.active(tenant, s)) {
      return new SignInPolicy.Facts(s, false, MfaService.Need.NONE, Set.of());
    }
    MfaService.Need need = mfa.need(tenant.id(), s.userId(), s.acr(), acrValues);
    DetectionService detect = signIn.detection();
    if (need == MfaService.Need.NONE && !Acr.MFA.equals(s.acr()) && detect != null
        && detect.stepUps().marked(tenant.id(), s.sid())) {
      // A risky sign-in (docs/attack-protection.md) owes a second factor, or its enrolment.
      need = mfa.factors(tenant.id(), s.userId()).any() ? MfaService.Need.VERIFY
          : MfaService.Need.ENROL;
    }
    return new SignInPolicy.Facts(s, true, need,
        clientId == null ? Set.of() : consents.granted(tenant.id(), s.userId(), clientId));
  }

  private SignInPolicy.Owed owed(Tenant tenant, Client client, AuthorizationRequest ar,
      Optional<Session> session) {
    return SignInPolicy.authorization(ar, facts(tenant, session, ar.acrValues(),
        client.clientId()), clock.instant().getEpochSecond());
  }

  /** Sends the browser to the step the transaction owes, or answers the client. */
  private void proceed(ServerRequest req, ServerResponse res, String nonce, Tenant tenant,
      Client client, AuthorizationRequest ar) {
    Optional<Session> session = signIn.currentSession(req, tenant);
    SignInPolicy.Owed owed = owed(tenant, client, ar, session);
    if (owed.step() != SignInPolicy.Step.NOTHING && ar.prompt().contains("none")) {
      // OIDC Core §3.1.2.1 prompt=none: "The Authorization Server MUST NOT display any
      // authentication or consent user interface pages. An error is returned if an End-User is
      // not already authenticated or the Client does not have pre-configured consent".
      throw redirectError(ar, owed.step().promptNoneError(), switch (owed.step()) {
        case SECOND_FACTOR -> "a second factor is required";
        case CONSENT -> "the user has not consented to this scope";
        default -> "the user is not signed in";
      });
    }
    String issuer = issuers.issuer(tenant.id());
    switch (owed.step()) {
      case AUTHENTICATION, REAUTHENTICATION ->
          SignInHttp.redirect(res, 302, issuer + "/login?ar=" + signIn.seal(tenant, ar));
      case SECOND_FACTOR ->
          SignInHttp.redirect(res, 302, issuer + "/mfa?ar=" + signIn.seal(tenant, ar));
      case CONSENT -> consentPage(req, res, nonce, tenant, client, ar, session.orElseThrow());
      case NOTHING -> answerWithCode(res, nonce, tenant, client, ar, session.orElseThrow());
    }
  }

  private void consentPage(ServerRequest req, ServerResponse res, String nonce, Tenant tenant,
      Client client, AuthorizationRequest ar, Session s) {
    List<String> described = new ArrayList<>();
    for (String sc : ar.consentScope()) {
      described.add(SCOPE_TEXT.getOrDefault(sc, "Use “" + sc + "”"));
    }
    if (described.isEmpty()) {
      described.add("Know that you use it");
    }
    String sealed = signIn.seal(tenant, ar);
    SignInHttp.html(res, 200, new ConsentPage(SignInHttp.layout(tenant, nonce),
        issuers.issuer(tenant.id()) + "/consent", signIn.csrfToken(req, res, tenant), sealed,
        client.name(), described, consentBinding(tenant, s, sealed)));
  }

  /** Ties a consent answer to the session that was asked and to the request it was asked for. */
  private String consentBinding(Tenant tenant, Session s, String sealed) {
    return hasher.hash("consent\u0000" + tenant.id() + "\u0000" + s.sid() + "\u0000" + sealed);
  }

  /**
   * The consent step: records the answer when consent is what this transaction owes in this
   * session, then resumes; anything else resumes without recording, so the policy decides again.
   */
  void consent(ServerRequest req, ServerResponse res, String nonce) {
    Tenant tenant = signIn.tenant(req);
    Map<String, String> form = Exchange.form(req, maxBody);
    signIn.requireCsrf(req, tenant, form);
    String sealed = form.get("ar");
    AuthorizationRequest ar = signIn.unseal(tenant, sealed);
    Client client = signIn.client(tenant, ar);
    Optional<Session> session = signIn.currentSession(req, tenant);
    String resume = issuers.issuer(tenant.id()) + "/oauth2/authorize/resume?ar=";
    String binding = form.getOrDefault("consent", "");
    if (owed(tenant, client, ar, session).step() != SignInPolicy.Step.CONSENT
        || !MessageDigest.isEqual(consentBinding(tenant, session.get(), sealed)
            .getBytes(StandardCharsets.US_ASCII), binding.getBytes(StandardCharsets.US_ASCII))) {
      SignInHttp.redirect(res, 303, resume + sealed);
      return;
    }
    Session s = session.get();
    if (!"allow".equals(form.get("decision"))) {
      // RFC 6749 §4.1.2.1 access_denied: "The resource owner or authorization server denied the
      // request."
      throw redirectError(ar, "access_denied", "the user denied the request");
    }
    events.recordWith(tenant.id(), SignInEvents.CONSENT_GRANTED,
        () -> consents.grant(tenant.id(), s.userId(), client.clientId(), ar.consentScope(),
            clock.instant().getEpochSecond()),
        Map.of("user_id", s.userId(), "client_id", client.clientId(),
            "scope", String.join(" ", ar.consentScope())));
    SignInHttp.redirect(res, 303, resume + signIn.seal(tenant, ar.withConsentSid(s.sid())));
  }

  private void answerWithCode(ServerResponse res, String nonce, Tenant tenant, Client client,
      AuthorizationRequest ar, Session s) {
    String subject = ar.claims().subject();
    if (subject != null && !subject.equals(s.userId())) {
      // OIDC Core §5.5.1: "If the sub (subject) Claim is requested with a specific value for the
      // ID Token, the Authorization Server MUST only send a positive response if the End-User
      // identified by that sub value has an active session with the Authorization Server or has
      // been Authenticated as a result of the request."
      throw redirectError(ar, "login_required", "the signed-in user is not the subject the"
          + " claims parameter asks for");
    }
    dev.gatehouse.server.oauth.ClaimsRequest.Acr acrClaim = ar.claims().acr();
    String acr = Acr.reported(s.acr(), acrClaim != null && acrClaim.essential()
        ? acrClaim.values() : List.of());
    IdTokenService.Authentication a = new IdTokenService.Authentication(s.userId(), s.sid(),
        s.authTime(), String.join(" ", s.amr()), acr, ar.nonce());
    String code = codes.issue(client, new AuthorizationCodeService.Binding(
        ar.redirectUriGiven() ? ar.redirectUri() : null, ar.codeChallenge(), ar.nonce(),
        ar.scope(), ar.claims().requested(), a));
    sessions.signedInTo(tenant.id(), s.sid(), client.clientId());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("code", code);
    if (ar.state() != null) {
      params.put("state", ar.state());
    }
    // RFC 9207 §2: "the authorization server ... MUST include the iss parameter".
    params.put("iss", issuers.issuer(tenant.id()));
    respond(res, nonce, ar.redirectUri(), ar.responseMode(), params);
  }

  static AuthorizationRequest.RedirectError redirectError(AuthorizationRequest ar, String error,
      String description) {
    return new AuthorizationRequest.RedirectError(error, description, ar.redirectUri(),
        ar.state(), ar.responseMode());
  }

  /** Answers the client at {@code redirectUri}: a redirect, or an auto-submitting form post. */
  static void respond(ServerResponse res, String nonce, String redirectUri, String mode,
      Map<String, String> params) {
    if ("form_post".equals(mode)) {
      SignInHttp.html(res, 200, new FormPostPage(nonce, redirectUri, params));
      return;
    }
    StringBuilder b = new StringBuilder(redirectUri);
    char sep = redirectUri.contains("?") ? '&' : '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      b.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    SignInHttp.redirect(res, 302, b.toString());
  }
}
