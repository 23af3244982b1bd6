package dev.gatehouse.server.web;

import dev.gatehouse.server.mfa.MfaService;
import dev.gatehouse.server.oauth.AuthorizationRequest;
import dev.gatehouse.server.session.Session;
import java.time.Duration;
import java.util.Set;

/**
 * What a sign-in transaction still owes before it may end: authentication, a second factor,
 * consent, or nothing. A pure function of the request and of facts looked up beforehand; the one
 * place that decides, asked again after every step ({@link SignInFlow} for an authorization
 * request, the account page with its own freshness rule).
 *
 * <p>Steps (the login, second-factor and consent pages) only record their result; what they
 * record counts only when this function says so. A code is issued only when it answers
 * {@link Step#NOTHING}. Each owed step knows the error {@code prompt=none} turns it into (OpenID
 * Connect Core §3.1.2.6).
 */
public final class SignInPolicy {

  private SignInPolicy() {}

  /** A step the transaction owes. */
  public enum Step {
    /** Sign in (again): no usable session, or not fresh enough for prompt=login / max_age. */
    AUTHENTICATION("login_required"),
    /** The account page's freshness rule: confirm the password within the session. */
    REAUTHENTICATION("login_required"),
    /** Show a second factor, or enrol one first (see {@link Owed#mfa}). */
    SECOND_FACTOR("interaction_required"),
    /** Allow the client the requested scope. */
    CONSENT("consent_required"),
    /** Nothing: the transaction may end (a code, the account page). */
    NOTHING(null);

    private final String promptNoneError;

    Step(String promptNoneError) {
      this.promptNoneError = promptNoneError;
    }

    /**
     * The error of a {@code prompt=none} request that owes this step. OIDC Core §3.1.2.6:
     * login_required "The Authorization Server requires End-User authentication";
     * interaction_required "requires End-User interaction of some form to proceed";
     * consent_required "requires End-User consent".
     */
    public String promptNoneError() {
      return promptNoneError;
    }
  }

  /** The step owed, and for a second factor whether to verify one or enrol one. */
  public record Owed(Step step, MfaService.Need mfa) {

    static final Owed NOTHING = new Owed(Step.NOTHING, MfaService.Need.NONE);

    static Owed of(Step step) {
      return new Owed(step, MfaService.Need.NONE);
    }
  }

  /**
   * What the caller looked up about the browser's session.
   *
   * @param session the session of the browser's cookie, or null
   * @param userActive whether the session's user still exists and is not disabled
   * @param mfa what the tenant's policy (and the request's acr_values) demand of this session
   * @param granted the scopes the user has allowed the client before
   */
  public record Facts(Session session, boolean userActive, MfaService.Need mfa,
      Set<String> granted) {

    /** No usable session. */
    public static final Facts NONE = new Facts(null, false, MfaService.Need.NONE, Set.of());

    boolean signedIn() {
      return session != null && userActive;
    }
  }

  /** What the authorization request {@code ar} still owes, at {@code now} (epoch seconds). */
  public static Owed authorization(AuthorizationRequest ar, Facts f, long now) {
    // A session whose user was disabled or deleted is no session (GH-02).
    if (!f.signedIn()) {
      return Owed.of(Step.AUTHENTICATION);
    }
    Session s = f.session();
    // A sign-in done for this very request (the login page seals the new session's sid into it)
    // satisfies freshness; otherwise the session must be recent enough.
    if (!s.sid().equals(ar.loginSid())) {
      // OIDC Core §3.1.2.1 prompt=login: "The Authorization Server SHOULD prompt the End-User
      // for reauthentication".
      if (ar.prompt().contains("login")) {
        return Owed.of(Step.AUTHENTICATION);
      }
      // max_age: "If the elapsed time is greater than this value, the OP MUST attempt to
      // actively re-authenticate the End-User" — and max_age=0 is prompt=login.
      if (ar.maxAge() != null && (ar.maxAge() == 0 || now - s.authTime() > ar.maxAge())) {
        return Owed.of(Step.AUTHENTICATION);
      }
    }
    // The tenant's MFA policy, or acr_values preferring MFA (a step-up).
    if (f.mfa() != MfaService.Need.NONE) {
      return new Owed(Step.SECOND_FACTOR, f.mfa());
    }
    // prompt=consent: "The Authorization Server SHOULD prompt the End-User for consent before
    // returning information to the Client" — once per request, in this session.
    boolean consentedHere = s.sid().equals(ar.consentSid());
    if (ar.prompt().contains("consent") && !consentedHere
        || !f.granted().containsAll(ar.consentScope())) {
      return Owed.of(Step.CONSENT);
    }
    return Owed.NOTHING;
  }

  /**
   * What the account page owes before it shows ({@code change} false) or changes how one signs in
   * ({@code change} true): a change needs an authentication within {@code reauthWindow}.
   */
  public static Owed account(Facts f, long now, boolean change, Duration reauthWindow) {
    if (!f.signedIn()) {
      return Owed.of(Step.AUTHENTICATION);
    }
    if (f.mfa() != MfaService.Need.NONE) {
      return new Owed(Step.SECOND_FACTOR, f.mfa());
    }
    if (change && now - f.session().authTime() > reauthWindow.toSeconds()) {
      return Owed.of(Step.REAUTHENTICATION);
    }
    return Owed.NOTHING;
  }
}
