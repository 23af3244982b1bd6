package dev.gatehouse.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.config.SignInConfig;
import dev.gatehouse.server.crypto.SecretHasher;
import dev.gatehouse.server.detect.DetectionEngine;
import dev.gatehouse.server.detect.DetectionService;
import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.events.SignInEvents;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.Form;
import dev.gatehouse.server.http.HttpError;
import dev.gatehouse.server.identity.User;
import dev.gatehouse.server.identity.UserService;
import dev.gatehouse.server.tenant.TenantResolver;
import dev.gatehouse.server.keys.KeyService;
import dev.gatehouse.server.session.Acr;
import dev.gatehouse.server.mfa.MfaService;
import dev.gatehouse.server.mfa.PasskeyService;
import dev.gatehouse.server.oauth.TenantJws;
import dev.gatehouse.server.oauth.AuthorizationCodeService;
import dev.gatehouse.server.oauth.AuthorizationRequest;
import dev.gatehouse.server.oauth.Client;
import dev.gatehouse.server.oauth.ClientService;
import dev.gatehouse.server.oauth.Issuers;
import dev.gatehouse.server.oauth.OAuthException;
import dev.gatehouse.server.session.ConsentStore;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.session.SessionService;
import dev.gatehouse.server.store.StoreException;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.web.page.Brand;
import dev.gatehouse.server.web.page.ErrorPage;
import dev.gatehouse.server.web.page.Layout;
import dev.gatehouse.server.web.page.LoginPage;
import dev.gatehouse.server.web.page.LogoutConfirmPage;
import dev.gatehouse.server.web.page.Page;
import dev.gatehouse.server.web.page.Pages;
import dev.gatehouse.server.web.page.SignedOutPage;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The browser side of sign-in, under {@code /t/{tenant}}: the routes of the authorization
 * endpoint and the consent page (decided in {@link SignInFlow}), the login page, RP-initiated
 * logout (OpenID Connect RP-Initiated Logout 1.0), and what every hosted page shares: sessions,
 * cookies, CSRF, the sealed request, the client's address, the attempt gate.
 *
 * <p>The authorization request travels through the login and consent pages sealed: its validated
 * parameters, base64url-encoded and authenticated with the master key's HMAC, bound to the tenant
 * and valid for {@link #REQUEST_LIFETIME}. No server state exists until a session or a code does.
 *
 * <p>Every form carries a CSRF token derived from the {@code gh_csrf} cookie (HttpOnly,
 * SameSite=Lax, Secure under https); every page is sent with a CSP that forbids framing and any
 * script or style without the response's nonce, {@code X-Frame-Options: DENY},
 * {@code Referrer-Policy: no-referrer} and {@code Cache-Control: no-store}.
 */
public final class SignInHttp implements HttpService {

  private static final Logger LOG = LoggerFactory.getLogger(SignInHttp.class);
  static final String SESSION_COOKIE = "gh_session";
  /** A random id per browser, so that a sign-in from a device never seen is recognisable. */
  static final String DEVICE_COOKIE = "gh_device";
  static final String CSRF_COOKIE = "gh_csrf";
  static final Duration REQUEST_LIFETIME = Duration.ofMinutes(30);
  static final String BAD_CREDENTIALS = "The username or password is incorrect.";
  static final String LOCKED = "Too many failed attempts. Wait a few minutes, then try again.";

  private static final io.helidon.http.HeaderName CSP =
      HeaderNames.create("Content-Security-Policy");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private final TenantResolver tenants;
  private final ClientService clients;
  private final UserService users;
  private final SessionService sessions;
  /** Verifies the ID tokens RP-initiated logout brings as {@code id_token_hint}. */
  private final TenantJws idTokens;
  private final Logout logout;
  private final SecretHasher hasher;
  private final Issuers issuers;
  private final LoginThrottle throttle;
  private final AttemptGate gate;
  private final ClientAddress clientAddress;
  private final SignInFlow flow;
  private final Clock clock;
  private final Duration lockFor;
  private final Duration ipWindow;
  private final SignInEvents events;
  private final int maxBody;
  private final MfaService mfa;
  private final java.time.Duration sessionTtl;

  public SignInHttp(TenantResolver tenants, ClientService clients, UserService users,
      SessionService sessions, ConsentStore consents, AuthorizationCodeService codes,
      KeyService keys, Logout logout, SecretHasher hasher, Issuers issuers, Clock clock,
      SignInConfig settings, SignInEvents events, int maxBody, MfaService mfa) {
    this.tenants = tenants;
    this.clients = clients;
    this.users = users;
    this.sessions = sessions;
    this.logout = logout;
    this.hasher = hasher;
    this.issuers = issuers;
    this.idTokens = new TenantJws(keys, issuers);
    this.throttle = new LoginThrottle(new LoginThrottle.Settings(settings.freeFailures(),
        settings.baseDelay(), settings.maxDelay(), settings.lockAfter(), settings.lockFor(),
        settings.ipFailures(), settings.ipWindow()), clock, hasher::hash);
    this.gate = new AttemptGate(throttle);
    this.clientAddress = new ClientAddress(settings.trustedProxies());
    this.flow = new SignInFlow(this, clients, sessions, consents, codes, mfa, hasher, issuers,
        events, clock, maxBody);
    this.clock = clock;
    this.lockFor = settings.lockFor();
    this.ipWindow = settings.ipWindow();
    this.sessionTtl = settings.sessionTtl();
    this.events = events;
    this.maxBody = maxBody;
    this.mfa = mfa;
  }

  /**
   * Keeps brute-force counts in {@code counter} (Redis: shared by every node, so a lockout holds
   * behind a load balancer) instead of this node's memory.
   */
  public SignInHttp attemptCounter(AttemptCounter counter) {
    throttle.useCounter(counter);
    return this;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/t/{tenant}/oauth2/authorize", page(flow::authorize))
        .post("/t/{tenant}/oauth2/authorize", page(flow::authorize))
        .get("/t/{tenant}/oauth2/authorize/resume", page(flow::resume))
        .get("/t/{tenant}/login", page(this::loginPage))
        .post("/t/{tenant}/login", page(this::login))
        .post("/t/{tenant}/consent", page(flow::consent))
        .get("/t/{tenant}/logout", page(this::logout))
        .post("/t/{tenant}/logout", page(this::logout));
  }

  /** What a page handler sees: the request, the response, and the response's CSP nonce. */
  @FunctionalInterface
  interface PageEndpoint {
    void handle(ServerRequest req, ServerResponse res, String nonce) throws Exception;
  }

  Handler page(PageEndpoint endpoint) {
    return (req, res) -> {
      String nonce = Secrets.random(16);
      securityHeaders(res, nonce, null);
      try {
        endpoint.handle(req, res, nonce);
      } catch (AuthorizationRequest.RedirectError e) {
        errorRedirect(req, res, nonce, e);
      } catch (AuthorizationRequest.PageError e) {
        errorPage(req, res, nonce, 400, e.getMessage());
      } catch (HttpError e) {
        errorPage(req, res, nonce, e.status(), e.getMessage());
      } catch (OAuthException e) {
        errorPage(req, res, nonce, 400, e.getMessage());
      } catch (StoreException e) {
        res.header(HeaderNames.RETRY_AFTER, "5");
        errorPage(req, res, nonce, 503, "The service is briefly unavailable. Try again soon.");
      } catch (Exception e) {
        LOG.error("unexpected failure", e);
        errorPage(req, res, nonce, 500, "An unexpected error happened (request "
            + MDC.get("request_id") + ").");
      }
    };
  }

  /**
   * The headers of every page: a CSP allowing only the response's own style sheet and script
   * (by nonce) and, when the tenant has a logo, images from its origin; no framing anywhere.
   */
  /**
   * The page's CSP with the origins of {@code frames} allowed as frame sources (Front-Channel
   * Logout 1.0 §3); everything else as {@link #securityHeaders}.
   */
  private static void allowFrames(ServerResponse res, String nonce, List<String> frames) {
    StringBuilder sources = new StringBuilder();
    for (String f : frames) {
      java.net.URI u = java.net.URI.create(f);
      String origin = u.getScheme() + "://" + u.getRawAuthority();
      if (sources.indexOf(" " + origin) < 0) {
        sources.append(' ').append(origin);
      }
    }
    res.header(CSP, "default-src 'none'; style-src 'nonce-" + nonce + "'; script-src 'nonce-"
        + nonce + "'; frame-src" + sources + "; frame-ancestors 'none'; base-uri 'none'");
  }

  static void securityHeaders(ServerResponse res, String nonce, String imageSource) {
    res.header(CSP, "default-src 'none'; style-src 'nonce-" + nonce + "'; script-src 'nonce-"
        + nonce + "';" + (imageSource == null ? "" : " img-src " + imageSource + ";")
        + " frame-ancestors 'none'; base-uri 'none'");
    res.header(HeaderNames.create("X-Frame-Options"), "DENY");
    res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.header(HeaderNames.PRAGMA, "no-cache");
  }

  private void errorRedirect(ServerRequest req, ServerResponse res, String nonce,
      AuthorizationRequest.RedirectError e) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("error", e.error());
    params.put("error_description", e.getMessage());
    if (e.state() != null) {
      params.put("state", e.state());
    }
    String tenant = req.path().pathParameters().first("tenant").orElse("");
    params.put("iss", issuers.issuer(tenant));
    SignInFlow.respond(res, nonce, e.redirectUri(), e.responseMode(), params);
  }


  // Login.

  private void loginPage(ServerRequest req, ServerResponse res, String nonce) {
    Tenant tenant = tenants.require(req);
    String sealed = req.query().first("ar").orElse(null);
    boolean account = sealed == null && "account".equals(req.query().first("next").orElse(null));
    AuthorizationRequest ar = account ? null : unseal(tenant, sealed);
    html(res, 200, loginPage(req, res, nonce, tenant, sealed, account,
        ar == null ? null : ar.loginHint(), null));
  }

  private void login(ServerRequest req, ServerResponse res, String nonce) throws Exception {
    Tenant tenant = tenants.require(req);
    Map<String, String> form = Exchange.form(req, maxBody);
    requireCsrf(req, tenant, form);
    String sealed = form.get("ar");
    // Signing in to the account page carries no authorization request.
    boolean account = sealed == null && "account".equals(form.get("next"));
    AuthorizationRequest ar = account ? null : unseal(tenant, sealed);
    String clientId = ar == null ? "" : ar.clientId();
    String username = form.getOrDefault("username", "");
    String password = form.getOrDefault("password", "");
    String ip = clientAddress(req);
    String usernameHash = usernameHash(tenant, username);
    String userAgent = userAgent(req);
    String device = device(req, res, tenant);
    DetectionService detect = detection;
    long now = clock.instant().getEpochSecond();
    if (detect != null && detect.blocked(tenant.id(), ip, usernameHash, now).isPresent()) {
      // Refused by attack detection (docs/attack-protection.md): like a lock, no event per try.
      html(res, 429, loginPage(req, res, nonce, tenant, sealed, account, username, LOCKED));
      return;
    }
    // UserService.authenticate hashes a dummy for unknown users: the same message and about the
    // same time for an unknown user and a wrong password.
    AttemptGate.Outcome<User> outcome = gate.attempt(tenant.id(), username, ip,
        () -> users.authenticate(tenant.id(), username, password));
    if (outcome instanceof AttemptGate.Refused<User>) {
      // Refused without a password check, so possibly thousands a second: logged by the
      // throttle, not written to the outbox (the lock and the cap themselves were, once).
      html(res, 429, loginPage(req, res, nonce, tenant, sealed, account, username, LOCKED));
      return;
    }
    if (outcome instanceof AttemptGate.Failed<User>(LoginThrottle.Failure failure)) {
      events.record(tenant.id(), SignInEvents.LOGIN_FAILED, attemptDetail(Map.of("ip", ip,
          "client_id", clientId, "username_hash", usernameHash), userAgent, device));
      if (failure.lockedAccount()) {
        events.record(tenant.id(), SignInEvents.ACCOUNT_LOCKED, Map.of("ip", ip,
            "username_hash", usernameHash, "locked_seconds", lockFor.toSeconds()));
      }
      if (failure.throttledIp()) {
        events.record(tenant.id(), SignInEvents.IP_THROTTLED, Map.of("ip", ip,
            "window_seconds", ipWindow.toSeconds()));
      }
      html(res, 401, loginPage(req, res, nonce, tenant, sealed, account, username,
          BAD_CREDENTIALS));
      return;
    }
    User user = ((AttemptGate.Passed<User>) outcome).value();
    Map<String, Object> detail = attemptDetail(Map.of("username_hash", usernameHash), userAgent,
        device);
    DetectionEngine.Risk risk = detect == null ? null
        : detect.assess(tenant.id(), usernameHash, ip, userAgent, device, now);
    if (risk != null) {
      detail.put("risk", risk.score());
    }
    Session created;
    try {
      created = startSession(req, res, tenant, user.id(), List.of(Acr.AMR_PWD), Acr.PWD,
          clientId, detail, user.passwordHash());
    } catch (CredentialsChanged e) {
      // Reset or disabled between the password check and now: as a wrong password.
      html(res, 401, loginPage(req, res, nonce, tenant, sealed, account, username,
          BAD_CREDENTIALS));
      return;
    }
    if (risk != null && risk.stepUp()) {
      // A risky sign-in owes a second factor (or its enrolment) before it answers any client.
      detect.stepUps().mark(tenant.id(), created.sid(), sessionTtl.toSeconds());
    }
    signedIn(res, tenant, account ? null : ar, created);
  }

  /**
   * Starts the session of a person who just signed in: replaces the browser's old session (and
   * its cookie), recorded as {@code login.succeeded} with {@code detail} added.
   */
  Session startSession(ServerRequest req, ServerResponse res, Tenant tenant, String userId,
      List<String> amr, String acr, String clientId, Map<String, Object> detail) {
    return startSession(req, res, tenant, userId, amr, acr, clientId, detail, null);
  }

  /** The user's password changed, or the user was disabled, since the password was checked. */
  static final class CredentialsChanged extends RuntimeException {
    CredentialsChanged() {
      super("credentials changed during sign-in", null, false, false);
    }
  }

  /**
   * {@link #startSession(ServerRequest, ServerResponse, Tenant, String, List, String, String,
   * Map)} after a password check against {@code verifiedHash} (null: none to recheck): throws
   * {@link CredentialsChanged}, and starts nothing, when the user no longer has that hash or was
   * disabled meanwhile (a reset that ends sessions must not miss one being started).
   */
  Session startSession(ServerRequest req, ServerResponse res, Tenant tenant, String userId,
      List<String> amr, String acr, String clientId, Map<String, Object> detail,
      String verifiedHash) {
    Optional<Session> old = currentSession(req, tenant);
    String ip = clientAddress(req);
    SessionService.Created created = events.recordWith(tenant.id(),
        SignInEvents.LOGIN_SUCCEEDED, () -> {
          if (verifiedHash != null && !users.stillSignsIn(tenant.id(), userId, verifiedHash)) {
            throw new CredentialsChanged();
          }
          old.ifPresent(o -> sessions.revoke(tenant.id(), o.sid()));
          return sessions.create(tenant.id(), userId, amr, acr);
        }, c -> {
          Map<String, Object> d = new LinkedHashMap<>(Map.of("ip", ip, "user_id", userId,
              "sid", c.session().sid(), "client_id", clientId, "amr", amr));
          d.putAll(detail);
          return d;
        });
    cookie(res, tenant, SESSION_COOKIE, created.cookieValue());
    return created.session();
  }

  /**
   * After a sign-in step: back to the account page ({@code ar} null), or to resume, with the
   * request marked as signed in for by session {@code s}.
   */
  void signedIn(ServerResponse res, Tenant tenant, AuthorizationRequest ar, Session s) {
    String issuer = issuers.issuer(tenant.id());
    redirect(res, 303, ar == null ? issuer + "/account"
        : issuer + "/oauth2/authorize/resume?ar=" + seal(tenant, ar.withLoginSid(s.sid())));
  }

  // RP-initiated logout.

  private void logout(ServerRequest req, ServerResponse res, String nonce) {
    Tenant tenant = tenants.require(req);
    boolean post = req.prologue().method() == Method.POST;
    Map<String, String> p = post ? Exchange.form(req, maxBody)
        : Form.parse(req.query().rawValue().getBytes(StandardCharsets.US_ASCII));
    String clientId = p.get("client_id");
    String hint = p.get("id_token_hint");
    String hintSid = null;
    if (hint != null) {
      // RP-Initiated Logout 1.0 §2: "The OP need not be listed as an audience of the ID Token
      // when it is used as an id_token_hint value" — but it must be one we issued.
      JsonNode claims = verifyOwnIdToken(tenant, hint);
      if (claims == null) {
        throw new AuthorizationRequest.PageError("The sign-out request carries an ID token that"
            + " this server did not issue.");
      }
      String aud = claims.path("aud").isArray() ? claims.path("aud").path(0).asText()
          : claims.path("aud").asText();
      if (clientId != null && !clientId.equals(aud)) {
        throw new AuthorizationRequest.PageError("client_id does not match the ID token.");
      }
      clientId = aud;
      hintSid = claims.path("sid").asText();
    }
    String postLogout = p.get("post_logout_redirect_uri");
    if (postLogout != null) {
      // §2: "The value MUST have been previously registered with the OP"; §3: the OP must be
      // able to tell which client it belongs to, by id_token_hint or client_id.
      if (clientId == null) {
        throw new AuthorizationRequest.PageError("The sign-out request names an address to"
            + " return to but not the application it belongs to: post_logout_redirect_uri needs"
            + " an id_token_hint or a client_id.");
      }
      Client c = clients.find(tenant.id(), clientId).orElse(null);
      if (c == null) {
        throw new AuthorizationRequest.PageError("The application that sent you here to sign"
            + " out is not registered.");
      }
      if (!c.hasPostLogoutRedirect(postLogout)) {
        throw new AuthorizationRequest.PageError("The address to return to after signing out is"
            + " not registered for this application.");
      }
    }
    Optional<Session> current = currentSession(req, tenant);
    String clientName = clientId == null ? null
        : clients.find(tenant.id(), clientId).map(Client::name).orElse(null);
    // §2: "the OP SHOULD ask the End-User whether to log out of the OP as well. Furthermore, the
    // OP MUST ask the End-User this question if an id_token_hint was not provided or if the
    // supplied ID Token does not belong to the current OP session with the RP". A hint naming
    // this browser's session came from the RP holding that session's ID token: no question. Any
    // other request may be a forged cross-site logout: asked, and answered with the CSRF token.
    String sidOfHint = hintSid;
    boolean hinted = hint != null && current.map(s -> s.sid().equals(sidOfHint)).orElse(false);
    if (!hinted && !(post && "yes".equals(p.get("confirm")))) {
      Map<String, String> carried = new LinkedHashMap<>();
      if (clientId != null) {
        carried.put("client_id", clientId);
      }
      if (postLogout != null) {
        carried.put("post_logout_redirect_uri", postLogout);
      }
      if (p.get("state") != null) {
        carried.put("state", p.get("state"));
      }
      html(res, 200, new LogoutConfirmPage(layout(tenant, nonce), issuers.issuer(tenant.id())
          + "/logout", csrfToken(req, res, tenant), carried, clientName));
      return;
    }
    if (!hinted) {
      requireCsrf(req, tenant, p);
    }
    List<String> frames = current.map(s -> logout.frontchannelUris(s,
        issuers.issuer(tenant.id()))).orElse(List.of());
    current.ifPresent(s -> logout.end(s, Logout.Reason.LOGOUT));
    clearCookie(res, tenant, SESSION_COOKIE);
    String target = postLogout;
    if (postLogout != null && p.get("state") != null) {
      target += (postLogout.contains("?") ? "&" : "?") + "state="
          + URLEncoder.encode(p.get("state"), StandardCharsets.UTF_8);
    }
    if (target != null && frames.isEmpty()) {
      redirect(res, 303, target);
      return;
    }
    if (!frames.isEmpty()) {
      allowFrames(res, nonce, frames);
    }
    html(res, 200, new SignedOutPage(layout(tenant, nonce), issuers.issuer(tenant.id())
        + "/account", clientName, frames, target));
  }

  /** The claims of an ID token this tenant signed (expired ones too), or null. */
  private JsonNode verifyOwnIdToken(Tenant tenant, String token) {
    // Same keys and issuer sign access tokens (typ at+jwt, RFC 9068 §2.1) and logout tokens
    // (logout+jwt): only our ID tokens (typ JWT, with an azp naming their client) are hints.
    return idTokens.verify(tenant.id(), token, "JWT").map(TenantJws.Verified::claims)
        .filter(c -> c.path("azp").isTextual() && c.path("sid").isTextual() && !c.has("events"))
        .orElse(null);
  }


  /**
   * The login page: username and password, and (shown by the passkey script where WebAuthn
   * exists) a passkey button and passkeys in the username field's autofill, whose challenge is
   * bound to this browser's CSRF cookie.
   */
  LoginPage loginPage(ServerRequest req, ServerResponse res, String nonce, Tenant tenant,
      String sealed, boolean account, String username, String error) {
    String issuer = issuers.issuer(tenant.id());
    String csrf = csrfToken(req, res, tenant);
    LoginPage.Passkey passkey = null;
    if (mfa.policy(tenant.id()).mode() != dev.gatehouse.server.mfa.MfaPolicy.Mode.OFF) {
      passkey = new LoginPage.Passkey(issuer + "/passkey/login",
          mfa.passkeys().requestChallenge(tenant.id(), csrf),
          PasskeyService.RelyingParty.of(mfa.policy(tenant.id()), issuer, tenant.displayName())
              .id());
    }
    // The request was unsealed before this page was asked for: unsealing again cannot fail.
    String clientName = sealed == null ? null : clients.find(tenant.id(),
        unseal(tenant, sealed).clientId()).map(Client::name).orElse(null);
    return new LoginPage(layout(tenant, nonce), issuer + "/login", csrf, sealed, username, error,
        account ? "account" : null, passkey, clientName);
  }

  Tenant tenant(ServerRequest req) {
    return tenants.require(req);
  }

  /**
   * The attempt gate, shared with the second-factor and account pages: every credential check
   * goes through it (their subjects are prefixed, e.g. {@code mfa\u0000<user id>}, so they never
   * meet a username's counters).
   */
  AttemptGate gate() {
    return gate;
  }

  SignInFlow flow() {
    return flow;
  }

  // Sessions, cookies, CSRF, sealing.

  Optional<Session> currentSession(ServerRequest req, Tenant tenant) {
    return req.headers().cookies().first(SESSION_COOKIE).asOptional()
        .flatMap(v -> sessions.fromCookie(tenant.id(), v));
  }

  /**
   * The browser's session if its user may still use it: a session of a disabled or deleted user
   * is no session (its user must still be active).
   */
  Optional<Session> activeSession(ServerRequest req, Tenant tenant) {
    return currentSession(req, tenant).filter(s -> active(tenant, s));
  }

  boolean active(Tenant tenant, Session s) {
    return users.find(tenant.id(), s.userId()).filter(u -> !u.disabled()).isPresent();
  }

  String csrfToken(ServerRequest req, ServerResponse res, Tenant tenant) {
    String value = req.headers().cookies().first(CSRF_COOKIE).asOptional()
        .filter(v -> v.length() == 43).orElse(null);
    if (value == null) {
      value = Secrets.secret();
      cookie(res, tenant, CSRF_COOKIE, value);
    }
    return hasher.hash("csrf\u0000" + tenant.id() + "\u0000" + value);
  }

  /** Refuses a form whose CSRF token does not match the browser's CSRF cookie. */
  void requireCsrf(ServerRequest req, Tenant tenant, Map<String, String> form) {
    String cookie = req.headers().cookies().first(CSRF_COOKIE).asOptional().orElse(null);
    String token = form.get("csrf");
    if (cookie == null || token == null || !hasher.matches("csrf\u0000" + tenant.id() + "\u0000"
        + cookie, token)) {
      events.record(tenant.id(), SignInEvents.CSRF_REFUSED, Map.of("ip", clientAddress(req)));
      throw new HttpError(403, "csrf", "This form has expired or did not come from this site."
          + " Go back, reload the page and try again.");
    }
  }

  void cookie(ServerResponse res, Tenant tenant, String name, String value) {
    res.headers().add(HeaderNames.SET_COOKIE, name + "=" + value + "; Path=/t/" + tenant.id()
        + "/; HttpOnly; SameSite=Lax" + (secure() ? "; Secure" : ""));
  }

  void clearCookie(ServerResponse res, Tenant tenant, String name) {
    res.headers().add(HeaderNames.SET_COOKIE, name + "=; Path=/t/" + tenant.id()
        + "/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure() ? "; Secure" : ""));
  }

  boolean secure() {
    return issuers.base().startsWith("https:");
  }

  String seal(Tenant tenant, AuthorizationRequest ar) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : ar.toParameters().entrySet()) {
      if (!b.isEmpty()) {
        b.append('&');
      }
      b.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    String payload = B64.encodeToString(b.toString().getBytes(StandardCharsets.UTF_8));
    return payload + "." + hasher.hash("ar\u0000" + tenant.id() + "\u0000" + payload);
  }

  AuthorizationRequest unseal(Tenant tenant, String sealed) {
    AuthorizationRequest.PageError expired = new AuthorizationRequest.PageError("This sign-in"
        + " request has expired or is not valid. Return to the application and start again.");
    if (sealed == null || sealed.length() > 8000) {
      throw expired;
    }
    int dot = sealed.indexOf('.');
    if (dot < 0) {
      throw expired;
    }
    String payload = sealed.substring(0, dot);
    String mac = hasher.hash("ar\u0000" + tenant.id() + "\u0000" + payload);
    if (!MessageDigest.isEqual(mac.getBytes(StandardCharsets.US_ASCII),
        sealed.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
      throw expired;
    }
    AuthorizationRequest ar;
    try {
      ar = AuthorizationRequest.fromParameters(Form.parse(B64D.decode(payload)));
    } catch (RuntimeException e) {
      throw expired;
    }
    if (ar.issuedAt() + REQUEST_LIFETIME.toSeconds() < clock.instant().getEpochSecond()) {
      throw expired;
    }
    return ar;
  }

  Client client(Tenant tenant, AuthorizationRequest ar) {
    return clients.find(tenant.id(), ar.clientId()).filter(c -> c.hasRedirect(ar.redirectUri()))
        .orElseThrow(() -> new AuthorizationRequest.PageError(
            "The application that sent you here is no longer registered."));
  }

  static Layout layout(Tenant tenant, String nonce) {
    return new Layout(Brand.of(tenant), nonce);
  }

  /**
   * A keyed hash of the lower-cased username: lets a detector group failures by account name
   * without the outbox holding names people typed (often passwords typed in the wrong field).
   */
  private String usernameHash(Tenant tenant, String username) {
    return hasher.hash("event-username\u0000" + tenant.id() + "\u0000"
        + username.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * The details every password attempt's event carries for the detectors: {@code user_agent}
   * (at most 256 characters), {@code device} (a keyed hash of the device cookie) and
   * {@code request_id}.
   */
  private static Map<String, Object> attemptDetail(Map<String, Object> base, String userAgent,
      String device) {
    Map<String, Object> m = new LinkedHashMap<>(base);
    m.put("user_agent", userAgent);
    m.put("device", device);
    String requestId = org.slf4j.MDC.get("request_id");
    if (requestId != null) {
      m.put("request_id", requestId);
    }
    return m;
  }

  private static String userAgent(ServerRequest req) {
    String ua = req.headers().first(HeaderNames.USER_AGENT).orElse("");
    return ua.length() > 256 ? ua.substring(0, 256) : ua;
  }

  /**
   * The keyed hash of the browser's device cookie; a browser without one (or with a malformed
   * one) is given a new one, and the hash of that is returned.
   */
  private String device(ServerRequest req, ServerResponse res, Tenant tenant) {
    String v = req.headers().cookies().first(DEVICE_COOKIE).asOptional()
        .filter(c -> c.matches("[A-Za-z0-9_-]{16,64}")).orElse(null);
    if (v == null) {
      v = dev.gatehouse.server.crypto.Secrets.random(18);
      res.headers().add(HeaderNames.SET_COOKIE, DEVICE_COOKIE + "=" + v + "; Path=/t/"
          + tenant.id() + "/; Max-Age=31536000; HttpOnly; SameSite=Lax"
          + (secure() ? "; Secure" : ""));
    }
    return hasher.hash("device\u0000" + tenant.id() + "\u0000" + v).substring(0, 22);
  }

  /** Attack detection, once wired: blocks and risk on the sign-in path (null: none). */
  private volatile DetectionService detection;

  /** Turns attack detection on for this sign-in endpoint; returns this. */
  public SignInHttp detection(DetectionService d) {
    this.detection = d;
    return this;
  }

  DetectionService detection() {
    return detection;
  }

  /** The client's address ({@link ClientAddress}): what throttles and events use. */
  String clientAddress(ServerRequest req) {
    return clientAddress.of(req);
  }

  void errorPage(ServerRequest req, ServerResponse res, String nonce, int status,
      String message) {
    Tenant tenant = null;
    try {
      tenant = tenants.require(req);
    } catch (HttpError unknownTenant) {
      // A person followed a wrong link: a page that says so in their words, not the
      // developer's message (which API endpoints still answer in JSON).
      html(res, 404, ErrorPage.unknownTenant(new Layout(Brand.UNBRANDED, nonce)));
      return;
    } catch (RuntimeException ignored) {
      // The tenant could not be read (the store is down): the unbranded page, same message.
    }
    html(res, status, new ErrorPage(tenant == null ? new Layout(Brand.UNBRANDED, nonce)
        : layout(tenant, nonce), message));
  }

  static void redirect(ServerResponse res, int status, String location) {
    res.status(Status.create(status));
    res.header(HeaderNames.LOCATION, location);
    res.send();
  }

  static void html(ServerResponse res, int status, Page page) {
    Layout layout = page.layout();
    if (layout != null && layout.brand().logoSource() != null) {
      securityHeaders(res, layout.nonce(), layout.brand().logoSource());
    }
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
    res.send(Pages.render(page));
  }
}
