package dev.gatehouse.server.web;

import dev.gatehouse.server.events.SignInEvents;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.HttpError;
import dev.gatehouse.server.identity.User;
import dev.gatehouse.server.identity.UserService;
import dev.gatehouse.server.mfa.Acr;
import dev.gatehouse.server.mfa.MfaService;
import dev.gatehouse.server.mfa.PasskeyService;
import dev.gatehouse.server.mfa.PasskeyStore;
import dev.gatehouse.server.mfa.TotpService;
import dev.gatehouse.server.oauth.AuthorizationRequest;
import dev.gatehouse.server.oauth.Issuers;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.session.SessionService;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.web.page.RecoveryCodesPage;
import dev.gatehouse.server.web.page.SecondFactorPage;
import dev.gatehouse.server.web.page.TotpEnrolmentPage;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The second step of sign-in (issue #7), under {@code /t/{tenant}}: after the password, or when a
 * client's {@code acr_values} ask for more than the session has (a step-up), the person shows a
 * second factor (a TOTP code, a recovery code or a passkey), or enrols one when the policy
 * requires it and they have none. A passkey alone also signs in, without username or password.
 *
 * <p>Second-factor failures count per user in the sign-in throttle (a separate key space from
 * passwords): delays after a few, a temporary lock after {@code signin.lockout.lock-after}. Every
 * success, failure and lock is an event. A success records the methods in the session (amr, acr
 * {@link Acr#MFA}, auth_time) and replaces its cookie.
 */
public final class SecondFactorHttp implements HttpService {

  static final String LOCKED = "Too many wrong codes. Wait a few minutes, then try again.";
  static final String WRONG = "That code is not right, or was already used. Try the newest code.";

  private final SignInHttp signIn;
  private final MfaService mfa;
  private final SessionService sessions;
  private final UserService users;
  private final Issuers issuers;
  private final LoginThrottle throttle;
  private final SignInEvents events;
  private final int maxBody;

  public SecondFactorHttp(SignInHttp signIn, MfaService mfa, SessionService sessions,
      UserService users, Issuers issuers, SignInEvents events, int maxBody) {
    this.signIn = signIn;
    this.mfa = mfa;
    this.sessions = sessions;
    this.users = users;
    this.issuers = issuers;
    this.throttle = signIn.throttle();
    this.events = events;
    this.maxBody = maxBody;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/t/{tenant}/mfa", signIn.page(this::page))
        .post("/t/{tenant}/mfa", signIn.page(this::code))
        .post("/t/{tenant}/mfa/enrol", signIn.page(this::confirmEnrolment))
        .post("/t/{tenant}/mfa/passkey", signIn.page(this::passkey))
        .post("/t/{tenant}/passkey/login", signIn.page(this::passkeyLogin));
  }

  /** Where a second factor leads back to: the authorization request, or the account page. */
  private record Flow(AuthorizationRequest ar, String sealed, boolean account) {
    String next() {
      return account ? "account" : null;
    }
  }

  private Flow flow(Tenant tenant, String sealed, String next) {
    if (sealed == null && "account".equals(next)) {
      return new Flow(null, null, true);
    }
    return new Flow(signIn.unseal(tenant, sealed), sealed, false);
  }

  private Session requireSession(ServerRequest req, Tenant tenant) {
    return signIn.currentSession(req, tenant).orElseThrow(() -> new HttpError(400,
        "no_session", "Your sign-in has expired. Return to the application and start again."));
  }

  private PasskeyService.RelyingParty rp(Tenant tenant) {
    return PasskeyService.RelyingParty.of(mfa.policy(tenant.id()), issuers.issuer(tenant.id()),
        tenant.displayName());
  }

  private void page(ServerRequest req, ServerResponse res, String nonce) {
    Tenant tenant = signIn.tenant(req);
    Flow flow = flow(tenant, req.query().first("ar").orElse(null),
        req.query().first("next").orElse(null));
    Session s = requireSession(req, tenant);
    render(req, res, nonce, tenant, flow, s, 200, null);
  }

  private void render(ServerRequest req, ServerResponse res, String nonce, Tenant tenant,
      Flow flow, Session s, int status, String error) {
    String issuer = issuers.issuer(tenant.id());
    String csrf = signIn.csrfToken(req, res, tenant);
    MfaService.Need need = mfa.need(tenant.id(), s.userId(), s.acr(), flow.ar() == null
        ? List.of() : flow.ar().acrValues());
    MfaService.Factors f = mfa.factors(tenant.id(), s.userId());
    if (need == MfaService.Need.ENROL) {
      User u = users.find(tenant.id(), s.userId()).orElseThrow();
      TotpService.Enrollment e = (error == null ? Optional.<TotpService.Enrollment>empty()
          : mfa.totp().pending(tenant.id(), u.id(), tenant.displayName(), u.username()))
          .or(() -> mfa.totp().enrol(tenant.id(), u.id(), tenant.displayName(), u.username()))
          .orElseThrow();
      SignInHttp.html(res, status, new TotpEnrolmentPage(SignInHttp.layout(tenant, nonce),
          issuer + "/mfa/enrol", csrf, flow.sealed(), flow.next(), e, true, error));
      return;
    }
    if (need == MfaService.Need.NONE && error == null) {
      done(res, tenant, flow, s);
      return;
    }
    List<String> ids = f.passkeys().stream().map(PasskeyStore.Passkey::credentialId).toList();
    String challenge = ids.isEmpty() ? "" : mfa.passkeys().requestChallenge(tenant.id(), s.sid());
    SignInHttp.html(res, status, new SecondFactorPage(SignInHttp.layout(tenant, nonce), issuer,
        csrf, flow.sealed(), flow.next(), f.totp(), challenge, rp(tenant).id(), ids, error));
  }

  /**
   * Back to the authorization endpoint (which now finds the session strong enough) with the
   * request as it came: a second factor alone never satisfies prompt=login or max_age, only the
   * login page marks a request as signed in for ({@code login_sid}).
   */
  private void done(ServerResponse res, Tenant tenant, Flow flow, Session s) {
    String issuer = issuers.issuer(tenant.id());
    SignInHttp.redirect(res, 303, flow.account() ? issuer + "/account"
        : issuer + "/oauth2/authorize/resume?ar=" + flow.sealed());
  }

  /** Checks the throttle before a second-factor attempt; false (and a page) when locked. */
  private boolean throttled(ServerRequest req, ServerResponse res, String nonce, Tenant tenant,
      Flow flow, Session s) throws InterruptedException {
    String ip = SignInHttp.remoteIp(req);
    LoginThrottle.Verdict v = throttle.check(tenant.id(), key(s), ip);
    if (v != LoginThrottle.Verdict.GO) {
      mfa.events().record(tenant.id(), "mfa.locked", Map.of("user_id", s.userId(), "ip", ip));
      render(req, res, nonce, tenant, flow, s, 429, LOCKED);
      return true;
    }
    Duration delay = throttle.delay(tenant.id(), key(s));
    if (!delay.isZero()) {
      Thread.sleep(delay);
    }
    return false;
  }

  private static String key(Session s) {
    return "mfa\u0000" + s.userId();
  }

  private void failed(ServerRequest req, Tenant tenant, Session s) {
    throttle.failed(tenant.id(), key(s), SignInHttp.remoteIp(req));
  }

  private void code(ServerRequest req, ServerResponse res, String nonce) throws Exception {
    Tenant tenant = signIn.tenant(req);
    Map<String, String> form = Exchange.form(req, maxBody);
    signIn.requireCsrf(req, tenant, form);
    Flow flow = flow(tenant, form.get("ar"), form.get("next"));
    Session s = requireSession(req, tenant);
    if (throttled(req, res, nonce, tenant, flow, s)) {
      return;
    }
    List<String> amr = mfa.verifyCode(tenant.id(), s.userId(), form.get("code"));
    if (amr.isEmpty()) {
      failed(req, tenant, s);
      render(req, res, nonce, tenant, flow, s, 401, WRONG);
      return;
    }
    succeeded(req, res, tenant, flow, s, amr);
  }

  private void succeeded(ServerRequest req, ServerResponse res, Tenant tenant, Flow flow,
      Session s, List<String> amr) {
    throttle.succeeded(tenant.id(), key(s));
    Session stronger = elevate(res, tenant, s, MfaService.combine(s.amr(), amr));
    done(res, tenant, flow, stronger);
  }

  private Session elevate(ServerResponse res, Tenant tenant, Session s, List<String> amr) {
    SessionService.Created c = sessions.reauthenticated(s, amr, Acr.MFA).orElseThrow(() ->
        new HttpError(400, "no_session", "Your sign-in has expired. Start again."));
    signIn.cookie(res, tenant, SignInHttp.SESSION_COOKIE, c.cookieValue());
    events.record(tenant.id(), "mfa.verified", Map.of("user_id", s.userId(), "sid", s.sid(),
        "amr", String.join(" ", amr)));
    return c.session();
  }

  private void confirmEnrolment(ServerRequest req, ServerResponse res, String nonce)
      throws Exception {
    Tenant tenant = signIn.tenant(req);
    Map<String, String> form = Exchange.form(req, maxBody);
    signIn.requireCsrf(req, tenant, form);
    Flow flow = flow(tenant, form.get("ar"), form.get("next"));
    Session s = requireSession(req, tenant);
    if (throttled(req, res, nonce, tenant, flow, s)) {
      return;
    }
    List<String> codes = mfa.confirmTotp(tenant.id(), s.userId(), form.get("code"));
    if (codes == null) {
      failed(req, tenant, s);
      render(req, res, nonce, tenant, flow, s, 401, WRONG);
      return;
    }
    throttle.succeeded(tenant.id(), key(s));
    elevate(res, tenant, s, MfaService.combine(s.amr(), List.of(Acr.AMR_OTP)));
    String issuer = issuers.issuer(tenant.id());
    SignInHttp.html(res, 200, new RecoveryCodesPage(SignInHttp.layout(tenant, nonce), codes,
        flow.account() ? issuer + "/account" : issuer + "/oauth2/authorize/resume",
        signIn.csrfToken(req, res, tenant), flow.account() ? null : flow.sealed()));
  }

  /** A passkey as the second factor of a signed-in session. */
  private void passkey(ServerRequest req, ServerResponse res, String nonce) throws Exception {
    Tenant tenant = signIn.tenant(req);
    Map<String, String> form = Exchange.form(req, maxBody);
    signIn.requireCsrf(req, tenant, form);
    Flow flow = flow(tenant, form.get("ar"), form.get("next"));
    Session s = requireSession(req, tenant);
    if (throttled(req, res, nonce, tenant, flow, s)) {
      return;
    }
    PasskeyService.Assertion a;
    try {
      a = mfa.passkeys().authenticate(tenant.id(), rp(tenant), s.sid(), form.get("challenge"),
          form.get("credential"), s.userId());
    } catch (PasskeyService.PasskeyException e) {
      passkeyFailed(req, tenant, s.userId(), e);
      failed(req, tenant, s);
      render(req, res, nonce, tenant, flow, s, 401, e.getMessage());
      return;
    }
    succeeded(req, res, tenant, flow, s, a.amr());
  }

  private void passkeyFailed(ServerRequest req, Tenant tenant, String userId,
      PasskeyService.PasskeyException e) {
    Map<String, Object> d = new java.util.LinkedHashMap<>();
    d.put("factor", "passkey");
    d.put("ip", SignInHttp.remoteIp(req));
    if (userId != null) {
      d.put("user_id", userId);
    }
    mfa.events().record(tenant.id(), e.cloned() ? "mfa.passkey_clone_suspected" : "mfa.failed",
        d);
  }

  /**
   * Username-less sign-in with a discoverable credential: the passkey names its user (its user
   * handle), proves possession and user verification, and so stands for two factors.
   */
  private void passkeyLogin(ServerRequest req, ServerResponse res, String nonce) {
    Tenant tenant = signIn.tenant(req);
    Map<String, String> form = Exchange.form(req, maxBody);
    signIn.requireCsrf(req, tenant, form);
    String sealed = form.get("ar");
    boolean account = sealed == null && "account".equals(form.get("next"));
    AuthorizationRequest ar = account ? null : signIn.unseal(tenant, sealed);
    String ip = SignInHttp.remoteIp(req);
    PasskeyService.Assertion a;
    try {
      a = mfa.passkeys().authenticate(tenant.id(), rp(tenant), signIn.csrfToken(req, res, tenant),
          form.get("challenge"), form.get("credential"), null);
    } catch (PasskeyService.PasskeyException e) {
      passkeyFailed(req, tenant, null, e);
      events.record(tenant.id(), SignInEvents.LOGIN_FAILED, Map.of("ip", ip, "method", "passkey"));
      SignInHttp.html(res, 401, signIn.loginPage(req, res, nonce, tenant, sealed, account, null,
          e.getMessage()));
      return;
    }
    Optional<User> user = users.find(tenant.id(), a.userId()).filter(u -> !u.disabled());
    if (user.isEmpty()) {
      SignInHttp.html(res, 401, signIn.loginPage(req, res, nonce, tenant, sealed, account, null,
          "This passkey's account cannot sign in."));
      return;
    }
    Optional<Session> old = signIn.currentSession(req, tenant);
    String clientId = ar == null ? "" : ar.clientId();
    SessionService.Created created = events.recordWith(tenant.id(),
        SignInEvents.LOGIN_SUCCEEDED, () -> {
          old.ifPresent(o -> sessions.revoke(tenant.id(), o.sid()));
          return sessions.create(tenant.id(), a.userId(), a.amr(), Acr.MFA);
        }, c -> Map.of("ip", ip, "user_id", a.userId(), "sid", c.session().sid(),
            "client_id", clientId, "amr", a.amr(), "method", "passkey"));
    signIn.cookie(res, tenant, SignInHttp.SESSION_COOKIE, created.cookieValue());
    String issuer = issuers.issuer(tenant.id());
    SignInHttp.redirect(res, 303, account ? issuer + "/account"
        : issuer + "/oauth2/authorize/resume?ar=" + signIn.seal(tenant,
            ar.withLoginSid(created.session().sid())));
  }
}
