package dev.gatehouse.server.web;

import dev.gatehouse.server.events.SignInEvents;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.HttpError;
import dev.gatehouse.server.identity.User;
import dev.gatehouse.server.identity.UserService;
import dev.gatehouse.server.session.Acr;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The second step of sign-in, under {@code /t/{tenant}}: after the password, or when a
 * client's {@code acr_values} ask for more than the session has (a step-up), the person shows a
 * second factor (a TOTP code, a recovery code or a passkey), or enrols one when the policy
 * requires it and they have none. A passkey alone also signs in, without username or password.
 *
 * <p>Every check goes through the sign-in {@link AttemptGate}, counted per user (a separate key
 * space from passwords): reserved before the check, delays after a few failures, a temporary lock
 * after {@code signin.lockout.lock-after}. Every success, failure and lock is an event. A success
 * records the methods in the session (amr, acr {@link Acr#MFA}, auth_time), replaces its cookie
 * and returns to resume, where {@link SignInPolicy} decides again: this page never ends a sign-in.
 */
public final class SecondFactorHttp implements HttpService {

  static final String LOCKED = "Too many wrong codes. Wait a few minutes, then try again.";
  static final String WRONG = "That code is not right, or was already used. Try the newest code.";

  private final SignInHttp signIn;
  private final MfaService mfa;
  private final SessionService sessions;
  private final UserService users;
  private final Issuers issuers;
  private final AttemptGate gate;
  private final SignInEvents events;
  private final int maxBody;

  public SecondFactorHttp(SignInHttp signIn, MfaService mfa, SessionService sessions,
      UserService users, Issuers issuers, SignInEvents events, int maxBody) {
    this.signIn = signIn;
    this.mfa = mfa;
    this.sessions = sessions;
    this.users = users;
    this.issuers = issuers;
    this.gate = signIn.gate();
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
    return signIn.activeSession(req, tenant).orElseThrow(() -> new HttpError(400,
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
    MfaService.Need need = signIn.flow().facts(tenant, Optional.of(s), flow.ar() == null
        ? List.of() : flow.ar().acrValues(), null).mfa();
    if (need == MfaService.Need.ENROL) {
      User u = users.find(tenant.id(), s.userId()).orElseThrow();
      // Two sign-ins of one person at once both start an enrolment: the second start finds the
      // first one's pending secret in its way and shows that one. Nothing at all means an
      // authenticator was confirmed meanwhile: it is asked for below instead.
      Optional<TotpService.Enrollment> e = (error == null
          ? Optional.<TotpService.Enrollment>empty()
          : mfa.totp().pending(tenant.id(), u.id(), tenant.displayName(), u.username()))
          .or(() -> mfa.totp().enrol(tenant.id(), u.id(), tenant.displayName(), u.username()))
          .or(() -> mfa.totp().pending(tenant.id(), u.id(), tenant.displayName(), u.username()));
      if (e.isPresent()) {
        SignInHttp.html(res, status, new TotpEnrolmentPage(SignInHttp.layout(tenant, nonce),
            issuer + "/mfa/enrol", csrf, flow.sealed(), flow.next(), e.get(), true, error));
        return;
      }
    }
    MfaService.Factors f = mfa.factors(tenant.id(), s.userId());
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
   * request as it came: a second factor added to an existing session never satisfies
   * prompt=login or max_age. Only a sign-in that starts a session marks a request as signed in
   * for ({@code login_sid}, through {@link SignInHttp#signedIn}): the password on the login page,
   * or a username-less passkey there.
   */
  private void done(ServerResponse res, Tenant tenant, Flow flow, Session s) {
    String issuer = issuers.issuer(tenant.id());
    SignInHttp.redirect(res, 303, flow.account() ? issuer + "/account"
        : issuer + "/oauth2/authorize/resume?ar=" + flow.sealed());
  }

  private static String key(Session s) {
    return "mfa\u0000" + s.userId();
  }

  /**
   * Runs a second-factor check through the attempt gate; its result, or empty when a page was
   * sent instead (locked: 429; wrong: 401 with {@code wrong}'s message).
   */
  private <T> Optional<T> attempt(ServerRequest req, ServerResponse res, String nonce,
      Tenant tenant, Flow flow, Session s, Supplier<Optional<T>> check, Supplier<String> wrong)
      throws InterruptedException {
    String ip = signIn.clientAddress(req);
    AttemptGate.Outcome<T> o = gate.attempt(tenant.id(), key(s), ip, check);
    if (o instanceof AttemptGate.Passed<T>(T value)) {
      return Optional.of(value);
    }
    if (o instanceof AttemptGate.Refused<T>) {
      mfa.events().record(tenant.id(), "mfa.locked", Map.of("user_id", s.userId(), "ip", ip));
      render(req, res, nonce, tenant, flow, s, 429, LOCKED);
    } else {
      render(req, res, nonce, tenant, flow, s, 401, wrong.get());
    }
    return Optional.empty();
  }

  private void code(ServerRequest req, ServerResponse res, String nonce) throws Exception {
    Tenant tenant = signIn.tenant(req);
    Map<String, String> form = Exchange.form(req, maxBody);
    signIn.requireCsrf(req, tenant, form);
    Flow flow = flow(tenant, form.get("ar"), form.get("next"));
    Session s = requireSession(req, tenant);
    Optional<List<String>> amr = attempt(req, res, nonce, tenant, flow, s,
        () -> Optional.of(mfa.verifyCode(tenant.id(), s.userId(), form.get("code")))
            .filter(a -> !a.isEmpty()), () -> WRONG);
    if (amr.isPresent()) {
      succeeded(res, tenant, flow, s, amr.get());
    }
  }

  private void succeeded(ServerResponse res, Tenant tenant, Flow flow, Session s,
      List<String> amr) {
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
    Optional<List<String>> confirmed = attempt(req, res, nonce, tenant, flow, s,
        () -> Optional.ofNullable(mfa.confirmTotp(tenant.id(), s.userId(), form.get("code"))),
        () -> WRONG);
    if (confirmed.isEmpty()) {
      return;
    }
    List<String> codes = confirmed.get();
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
    String[] problem = {null};
    Optional<PasskeyService.Assertion> a = attempt(req, res, nonce, tenant, flow, s, () -> {
      try {
        return Optional.of(mfa.passkeys().authenticate(tenant.id(), rp(tenant), s.sid(),
            form.get("challenge"), form.get("credential"), s.userId()));
      } catch (PasskeyService.PasskeyException e) {
        passkeyFailed(req, tenant, s.userId(), e);
        problem[0] = e.getMessage();
        return Optional.empty();
      }
    }, () -> problem[0]);
    if (a.isPresent()) {
      succeeded(res, tenant, flow, s, a.get().amr());
    }
  }

  private void passkeyFailed(ServerRequest req, Tenant tenant, String userId,
      PasskeyService.PasskeyException e) {
    Map<String, Object> d = new java.util.LinkedHashMap<>();
    d.put("factor", "passkey");
    d.put("ip", signIn.clientAddress(req));
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
  private void passkeyLogin(ServerRequest req, ServerResponse res, String nonce)
      throws InterruptedException {
    Tenant tenant = signIn.tenant(req);
    Map<String, String> form = Exchange.form(req, maxBody);
    signIn.requireCsrf(req, tenant, form);
    String sealed = form.get("ar");
    boolean account = sealed == null && "account".equals(form.get("next"));
    AuthorizationRequest ar = account ? null : signIn.unseal(tenant, sealed);
    String ip = signIn.clientAddress(req);
    String csrf = signIn.csrfToken(req, res, tenant);
    String[] problem = {null};
    // No user is known before the check: the attempts count per address (and in its cap).
    AttemptGate.Outcome<PasskeyService.Assertion> o = gate.attempt(tenant.id(),
        "passkey\u0000" + ip, ip, () -> {
          try {
            return Optional.of(mfa.passkeys().authenticate(tenant.id(), rp(tenant), csrf,
                form.get("challenge"), form.get("credential"), null));
          } catch (PasskeyService.PasskeyException e) {
            passkeyFailed(req, tenant, null, e);
            problem[0] = e.getMessage();
            return Optional.empty();
          }
        });
    if (!(o instanceof AttemptGate.Passed<PasskeyService.Assertion>(var a))) {
      boolean refused = o instanceof AttemptGate.Refused<PasskeyService.Assertion>;
      if (!refused) {
        events.record(tenant.id(), SignInEvents.LOGIN_FAILED, Map.of("ip", ip,
            "method", "passkey"));
      }
      SignInHttp.html(res, refused ? 429 : 401, signIn.loginPage(req, res, nonce, tenant,
          sealed, account, null, refused ? SignInHttp.LOCKED : problem[0]));
      return;
    }
    Optional<User> user = users.find(tenant.id(), a.userId()).filter(u -> !u.disabled());
    if (user.isEmpty()) {
      SignInHttp.html(res, 401, signIn.loginPage(req, res, nonce, tenant, sealed, account, null,
          "This passkey's account cannot sign in."));
      return;
    }
    Session created = signIn.startSession(req, res, tenant, a.userId(), a.amr(), Acr.MFA,
        ar == null ? "" : ar.clientId(), Map.of("method", "passkey"));
    signIn.signedIn(res, tenant, ar, created);
  }
}
