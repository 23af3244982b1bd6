package dev.gatehouse.server.web;

import dev.gatehouse.server.events.SignInEvents;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.identity.User;
import dev.gatehouse.server.identity.UserService;
import dev.gatehouse.server.session.Acr;
import dev.gatehouse.server.mfa.MfaPolicy;
import dev.gatehouse.server.mfa.MfaService;
import dev.gatehouse.server.mfa.PasskeyService;
import dev.gatehouse.server.mfa.PasskeyStore;
import dev.gatehouse.server.mfa.TotpService;
import dev.gatehouse.server.oauth.ClientService;
import dev.gatehouse.server.oauth.Issuers;
import dev.gatehouse.server.session.ConsentStore;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.session.SessionService;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.web.page.AccountPage;
import dev.gatehouse.server.web.page.AccountSignInPage;
import dev.gatehouse.server.web.page.ReauthenticatePage;
import dev.gatehouse.server.web.page.RecoveryCodesPage;
import dev.gatehouse.server.web.page.TotpEnrolmentPage;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The account page, {@code /t/{tenant}/account}: a signed-in person lists their factors, sets up
 * or turns off an authenticator app, adds and removes passkeys, and generates new recovery codes.
 * It also lists the applications they can go to and be signed in at ({@link ThirdPartyLogin}).
 *
 * <p>Every change is a CSRF-protected POST and needs a recent authentication
 * ({@link #REAUTH_WINDOW}): otherwise the password is asked for again first. A session that the
 * tenant's policy does not yet allow (a second factor is due) goes through the second-factor page
 * first. Every change is an event ({@link MfaService}).
 */
public final class AccountHttp implements HttpService {

  /** How recent the last authentication must be for a change to how one signs in. */
  static final Duration REAUTH_WINDOW = Duration.ofMinutes(10);

  private final SignInHttp signIn;
  private final MfaService mfa;
  private final SessionService sessions;
  private final UserService users;
  private final Issuers issuers;
  private final ThirdPartyLogin applications;
  private final Clock clock;
  private final AttemptGate gate;
  private final SignInEvents events;
  private final int maxBody;

  public AccountHttp(SignInHttp signIn, MfaService mfa, SessionService sessions,
      UserService users, ConsentStore consents, ClientService clients, Issuers issuers,
      Clock clock, SignInEvents events, int maxBody) {
    this.signIn = signIn;
    this.mfa = mfa;
    this.sessions = sessions;
    this.users = users;
    this.issuers = issuers;
    this.applications = new ThirdPartyLogin(consents, clients);
    this.clock = clock;
    this.gate = signIn.gate();
    this.events = events;
    this.maxBody = maxBody;
  }

  @Override
  public void routing(HttpRules rules) {
    String a = "/t/{tenant}/account";
    rules.get(a, signIn.page(this::show))
        .post(a, signIn.page(this::show))
        .post(a + "/reauth", signIn.page(this::reauth))
        .post(a + "/totp", signIn.page(this::startTotp))
        .post(a + "/totp/confirm", signIn.page(this::confirmTotp))
        .post(a + "/totp/remove", signIn.page(this::removeTotp))
        .post(a + "/passkeys", signIn.page(this::addPasskey))
        .post(a + "/passkeys/remove", signIn.page(this::removePasskey))
        .post(a + "/recovery-codes", signIn.page(this::regenerate));
  }

  /** What a signed-in request to the account page carries. */
  private record Context(Tenant tenant, Session session, User user, Map<String, String> form) {}

  /**
   * The context of a request, or empty when a page was already sent instead (sign in first, or
   * the second factor is due, or, for a change, the password is due again).
   */
  private Optional<Context> context(ServerRequest req, ServerResponse res, String nonce,
      boolean change) {
    Tenant tenant = signIn.tenant(req);
    Map<String, String> form = Map.of();
    if (req.prologue().method() == io.helidon.http.Method.POST) {
      form = Exchange.form(req, maxBody);
      signIn.requireCsrf(req, tenant, form);
    }
    String issuer = issuers.issuer(tenant.id());
    Optional<Session> s = signIn.currentSession(req, tenant);
    SignInPolicy.Owed owed = SignInPolicy.account(signIn.flow().facts(tenant, s, List.of(), null),
        clock.instant().getEpochSecond(), change, REAUTH_WINDOW);
    // NOTHING owed means a session whose user is active; found again for the page's details.
    Optional<User> u = owed.step() != SignInPolicy.Step.NOTHING ? Optional.empty()
        : users.find(tenant.id(), s.get().userId());
    switch (owed.step()) {
      case SECOND_FACTOR -> SignInHttp.redirect(res, 303, issuer + "/mfa?next=account");
      case REAUTHENTICATION -> SignInHttp.html(res, 200, new ReauthenticatePage(
          SignInHttp.layout(tenant, nonce), issuer + "/account/reauth",
          signIn.csrfToken(req, res, tenant), null));
      default -> {
        if (u.isPresent()) {
          return Optional.of(new Context(tenant, s.get(), u.get(), form));
        }
        SignInHttp.html(res, 200, new AccountSignInPage(SignInHttp.layout(tenant, nonce),
            issuer + "/login?next=account"));
      }
    }
    return Optional.empty();
  }

  private void show(ServerRequest req, ServerResponse res, String nonce) {
    context(req, res, nonce, false).ifPresent(c -> render(req, res, nonce, c, 200, null, null));
  }

  private void render(ServerRequest req, ServerResponse res, String nonce, Context c, int status,
      String notice, String error) {
    Tenant t = c.tenant();
    MfaService.Factors f = mfa.factors(t.id(), c.user().id());
    PasskeyService.CreationOptions create = mfa.passkeys().creationOptions(t.id(),
        PasskeyService.RelyingParty.of(mfa.policy(t.id()), issuers.issuer(t.id()),
            t.displayName()), c.user().id(), c.user().username(), c.user().displayName(),
        c.session().sid());
    SignInHttp.html(res, status, new AccountPage(SignInHttp.layout(t, nonce),
        issuers.issuer(t.id()), signIn.csrfToken(req, res, t), c.user().username(),
        mfa.policy(t.id()).mode() == MfaPolicy.Mode.OFF, f.totp(), f.passkeys(),
        f.recoveryCodes(), create,
        applications.applications(t.id(), c.user().id(), issuers.issuer(t.id())), notice, error));
  }

  private void reauth(ServerRequest req, ServerResponse res, String nonce) throws Exception {
    Optional<Context> ctx = context(req, res, nonce, false);
    if (ctx.isEmpty()) {
      return;
    }
    Context c = ctx.get();
    String ip = signIn.clientAddress(req);
    AttemptGate.Outcome<User> o = gate.attempt(c.tenant().id(), "reauth\u0000" + c.user().id(),
        ip, () -> users.authenticate(c.tenant().id(), c.user().username(),
            c.form().getOrDefault("password", "")));
    if (o instanceof AttemptGate.Refused<User>) {
      events.record(c.tenant().id(), SignInEvents.ACCOUNT_LOCKED, Map.of("ip", ip, "user_id",
          c.user().id()));
      SignInHttp.html(res, 429, new ReauthenticatePage(SignInHttp.layout(c.tenant(), nonce),
          issuers.issuer(c.tenant().id()) + "/account/reauth",
          signIn.csrfToken(req, res, c.tenant()), SignInHttp.LOCKED));
      return;
    }
    if (o instanceof AttemptGate.Failed<User>) {
      events.record(c.tenant().id(), SignInEvents.LOGIN_FAILED, Map.of("ip", ip, "user_id",
          c.user().id(), "reason", "reauthentication"));
      SignInHttp.html(res, 401, new ReauthenticatePage(SignInHttp.layout(c.tenant(), nonce),
          issuers.issuer(c.tenant().id()) + "/account/reauth",
          signIn.csrfToken(req, res, c.tenant()), "The password is incorrect."));
      return;
    }
    SessionService.Created fresh = sessions.reauthenticated(c.session(), c.session().amr(),
        c.session().acr()).orElseThrow();
    signIn.cookie(res, c.tenant(), SignInHttp.SESSION_COOKIE, fresh.cookieValue());
    SignInHttp.redirect(res, 303, issuers.issuer(c.tenant().id()) + "/account");
  }

  private void startTotp(ServerRequest req, ServerResponse res, String nonce) {
    Optional<Context> ctx = context(req, res, nonce, true);
    if (ctx.isEmpty()) {
      return;
    }
    Context c = ctx.get();
    Optional<TotpService.Enrollment> e = mfa.totp().enrol(c.tenant().id(), c.user().id(),
        c.tenant().displayName(), c.user().username());
    if (e.isEmpty()) {
      render(req, res, nonce, c, 409, null, "An authenticator app is already set up. Turn it off"
          + " first to set up another.");
      return;
    }
    SignInHttp.html(res, 200, new TotpEnrolmentPage(SignInHttp.layout(c.tenant(), nonce),
        issuers.issuer(c.tenant().id()) + "/account/totp/confirm",
        signIn.csrfToken(req, res, c.tenant()), null, null, e.get(), false,
        null));
  }

  private void confirmTotp(ServerRequest req, ServerResponse res, String nonce)
      throws InterruptedException {
    Optional<Context> ctx = context(req, res, nonce, true);
    if (ctx.isEmpty()) {
      return;
    }
    Context c = ctx.get();
    Tenant t = c.tenant();
    String ip = signIn.clientAddress(req);
    AttemptGate.Outcome<List<String>> o = gate.attempt(t.id(), "mfa\u0000" + c.user().id(), ip,
        () -> Optional.ofNullable(mfa.confirmTotp(t.id(), c.user().id(), c.form().get("code"))));
    if (o instanceof AttemptGate.Refused<List<String>>) {
      mfa.events().record(t.id(), "mfa.locked", Map.of("user_id", c.user().id(), "ip", ip));
      render(req, res, nonce, c, 429, null, SecondFactorHttp.LOCKED);
      return;
    }
    if (o instanceof AttemptGate.Failed<List<String>>) {
      Optional<TotpService.Enrollment> e = mfa.totp().pending(t.id(), c.user().id(),
          t.displayName(), c.user().username());
      if (e.isEmpty()) {
        render(req, res, nonce, c, 400, null, "Start the set-up again.");
        return;
      }
      SignInHttp.html(res, 401, new TotpEnrolmentPage(SignInHttp.layout(t, nonce),
          issuers.issuer(t.id()) + "/account/totp/confirm", signIn.csrfToken(req, res, t),
          null, null, e.get(), false, SecondFactorHttp.WRONG));
      return;
    }
    List<String> codes = ((AttemptGate.Passed<List<String>>) o).value();
    elevate(res, c, List.of(Acr.AMR_OTP));
    if (codes.isEmpty()) {
      render(req, res, nonce, c, 200, "The authenticator app is on.", null);
      return;
    }
    SignInHttp.html(res, 200, new RecoveryCodesPage(SignInHttp.layout(t, nonce), codes,
        issuers.issuer(t.id()) + "/account", signIn.csrfToken(req, res, t), null));
  }

  /**
   * Records a factor just set up as used in this session: confirming it took the factor (a code
   * from the app, a passkey with user verification), so the session now has two.
   */
  private Context elevate(ServerResponse res, Context c, List<String> amr) {
    Optional<SessionService.Created> fresh = sessions.reauthenticated(c.session(),
        MfaService.combine(c.session().amr(), amr), Acr.MFA);
    if (fresh.isEmpty()) {
      return c;
    }
    signIn.cookie(res, c.tenant(), SignInHttp.SESSION_COOKIE, fresh.get().cookieValue());
    return new Context(c.tenant(), fresh.get().session(), c.user(), c.form());
  }

  private void removeTotp(ServerRequest req, ServerResponse res, String nonce) {
    Optional<Context> ctx = context(req, res, nonce, true);
    if (ctx.isEmpty()) {
      return;
    }
    Context c = ctx.get();
    mfa.removeTotp(c.tenant().id(), c.user().id());
    render(req, res, nonce, c, 200, "The authenticator app is off.", null);
  }

  private void addPasskey(ServerRequest req, ServerResponse res, String nonce) {
    Optional<Context> ctx = context(req, res, nonce, true);
    if (ctx.isEmpty()) {
      return;
    }
    Context c = ctx.get();
    Tenant t = c.tenant();
    try {
      Context at = c;
      // In one transaction with the session's row locked: an administrator's factor reset, which
      // revokes the session before it deletes the factors, cannot miss a passkey being added.
      PasskeyStore.Passkey p = events.recordWith(t.id(), "mfa.enrolled", () -> {
        if (!sessions.lockLive(t.id(), at.session().sid())) {
          throw PasskeyService.PasskeyException.sessionEnded();
        }
        return mfa.passkeys().register(t.id(),
            PasskeyService.RelyingParty.of(mfa.policy(t.id()), issuers.issuer(t.id()),
                t.displayName()), at.user().id(), at.session().sid(),
            at.form().get("challenge"), at.form().get("credential"), at.form().get("name"));
      }, added -> Map.of("user_id", added.userId(), "factor", "passkey", "credential_id",
          added.credentialId()));
      c = elevate(res, c, List.of(p.backupEligible() ? Acr.AMR_SWK : Acr.AMR_HWK,
          Acr.AMR_USER));
      render(req, res, nonce, c, 200, "Passkey “" + p.name() + "” added.", null);
    } catch (PasskeyService.PasskeyException e) {
      mfa.events().record(t.id(), "mfa.failed", Map.of("user_id", c.user().id(), "factor",
          "passkey", "reason", "registration"));
      render(req, res, nonce, c, 400, null, e.getMessage());
    }
  }

  private void removePasskey(ServerRequest req, ServerResponse res, String nonce) {
    Optional<Context> ctx = context(req, res, nonce, true);
    if (ctx.isEmpty()) {
      return;
    }
    Context c = ctx.get();
    boolean removed = mfa.removePasskey(c.tenant().id(), c.user().id(),
        c.form().getOrDefault("credential_id", ""));
    render(req, res, nonce, c, removed ? 200 : 404, removed ? "Passkey removed." : null,
        removed ? null : "No such passkey.");
  }

  private void regenerate(ServerRequest req, ServerResponse res, String nonce) {
    Optional<Context> ctx = context(req, res, nonce, true);
    if (ctx.isEmpty()) {
      return;
    }
    Context c = ctx.get();
    List<String> codes = mfa.regenerateRecoveryCodes(c.tenant().id(), c.user().id());
    SignInHttp.html(res, 200, new RecoveryCodesPage(SignInHttp.layout(c.tenant(), nonce), codes,
        issuers.issuer(c.tenant().id()) + "/account", signIn.csrfToken(req, res, c.tenant()), null));
  }
}
