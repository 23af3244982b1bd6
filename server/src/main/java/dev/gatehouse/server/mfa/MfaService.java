package dev.gatehouse.server.mfa;

import dev.gatehouse.server.session.Acr;
import dev.gatehouse.server.identity.UserService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strong authentication for one tenant's users: which factors a user has, whether a sign-in
 * needs a second factor (the tenant's policy, or a client's {@code acr_values}), checking TOTP and
 * recovery codes, and changes to factors, each of which is an event.
 *
 * <p>Brute-force limits on second-factor attempts are the caller's (the hosted pages use the
 * sign-in throttle); this class only says whether a code was right.
 */
public final class MfaService {

  private final MfaPolicyStore policies;
  private final TotpService totp;
  private final RecoveryCodes recovery;
  private final PasskeyService passkeys;
  private final UserService users;
  private final MfaEvents events;

  /** What a sign-in still needs before it may answer the client. */
  public enum Need {
    /** Nothing: the session is strong enough. */
    NONE,
    /** A second factor the user already has. */
    VERIFY,
    /** A second factor, but the user has none: enrol one first. */
    ENROL
  }

  /** A user's factors. */
  public record Factors(boolean totp, List<PasskeyStore.Passkey> passkeys, int recoveryCodes) {

    /** Whether the user has a factor that can be a second factor at sign-in. */
    public boolean any() {
      return totp || !passkeys.isEmpty();
    }
  }

  public MfaService(MfaPolicyStore policies, TotpService totp, RecoveryCodes recovery,
      PasskeyService passkeys, UserService users, MfaEvents events) {
    this.policies = policies;
    this.totp = totp;
    this.recovery = recovery;
    this.passkeys = passkeys;
    this.users = users;
    this.events = events;
  }

  public TotpService totp() {
    return totp;
  }

  public RecoveryCodes recovery() {
    return recovery;
  }

  public PasskeyService passkeys() {
    return passkeys;
  }

  public MfaEvents events() {
    return events;
  }

  public MfaPolicy policy(String tenantId) {
    return policies.find(tenantId).orElse(MfaPolicy.DEFAULT);
  }

  public void setPolicy(String tenantId, MfaPolicy policy, long now) {
    policies.put(tenantId, policy, now);
    events.record(tenantId, "mfa.policy_changed", Map.of("policy", policy.mode().value()));
  }

  public Factors factors(String tenantId, String userId) {
    return new Factors(totp.enrolled(tenantId, userId), passkeys.list(tenantId, userId),
        recovery.remaining(tenantId, userId));
  }

  /**
   * Whether a session of {@code userId} with {@code acr} may answer a request that asked for
   * {@code acrValues} (OIDC Core §3.1.2.1, in order of preference), given the tenant's policy.
   * A request whose most preferred value is {@link Acr#MFA} steps up; so does a policy that
   * requires a second factor of this user, or a user who enrolled one under the optional policy.
   */
  public Need need(String tenantId, String userId, String acr, List<String> acrValues) {
    MfaPolicy policy = policy(tenantId);
    if (policy.mode() == MfaPolicy.Mode.OFF || Acr.MFA.equals(acr)) {
      return Need.NONE;
    }
    Factors f = factors(tenantId, userId);
    boolean required = !acrValues.isEmpty() && Acr.MFA.equals(acrValues.get(0))
        || policy.requires(users.groupsOf(tenantId, userId), users.rolesOf(tenantId, userId));
    if (required) {
      return f.any() ? Need.VERIFY : Need.ENROL;
    }
    return f.any() ? Need.VERIFY : Need.NONE;
  }

  /** Checks a second factor typed in: a TOTP code (6 digits) or else a recovery code. */
  public List<String> verifyCode(String tenantId, String userId, String code) {
    String c = code == null ? "" : code.strip();
    if (c.replace(" ", "").matches("[0-9]{6}")) {
      TotpService.Outcome o = totp.verify(tenantId, userId, c);
      if (o == TotpService.Outcome.ACCEPTED) {
        // The caller records mfa.verified with the session it strengthens.
        return List.of(Acr.AMR_OTP);
      }
      events.record(tenantId, "mfa.failed", Map.of("user_id", userId, "factor", "totp",
          "reason", o.name().toLowerCase(java.util.Locale.ROOT)));
      return List.of();
    }
    if (recovery.use(tenantId, userId, c)) {
      events.record(tenantId, "mfa.recovery_code_used", Map.of("user_id", userId,
          "remaining", recovery.remaining(tenantId, userId)));
      return List.of(Acr.AMR_RECOVERY);
    }
    events.record(tenantId, "mfa.failed", Map.of("user_id", userId, "factor", "recovery_code"));
    return List.of();
  }

  /** Confirms a TOTP enrolment; on success the user's first recovery codes, else null. */
  public List<String> confirmTotp(String tenantId, String userId, String code) {
    if (totp.confirm(tenantId, userId, code) != TotpService.Outcome.ACCEPTED) {
      events.record(tenantId, "mfa.failed", Map.of("user_id", userId, "factor", "totp",
          "reason", "enrolment"));
      return null;
    }
    events.record(tenantId, "mfa.enrolled", Map.of("user_id", userId, "factor", "totp"));
    return recovery.remaining(tenantId, userId) > 0 ? List.of()
        : regenerateRecoveryCodes(tenantId, userId);
  }

  public List<String> regenerateRecoveryCodes(String tenantId, String userId) {
    List<String> codes = recovery.regenerate(tenantId, userId);
    events.record(tenantId, "mfa.recovery_codes_generated", Map.of("user_id", userId));
    return codes;
  }

  public boolean removeTotp(String tenantId, String userId) {
    boolean removed = totp.remove(tenantId, userId);
    if (removed) {
      events.record(tenantId, "mfa.removed", Map.of("user_id", userId, "factor", "totp"));
    }
    return removed;
  }

  public boolean removePasskey(String tenantId, String userId, String credentialId) {
    boolean removed = passkeys.remove(tenantId, userId, credentialId);
    if (removed) {
      events.record(tenantId, "mfa.removed", Map.of("user_id", userId, "factor", "passkey",
          "credential_id", credentialId));
    }
    return removed;
  }

  /** Deletes every factor of a user (an administrator's reset); what was removed, by kind. */
  public Map<String, Object> reset(String tenantId, String userId) {
    Map<String, Object> removed = new LinkedHashMap<>();
    removed.put("totp", totp.remove(tenantId, userId));
    removed.put("passkeys", passkeys.removeAll(tenantId, userId));
    removed.put("recovery_codes", recovery.deleteAll(tenantId, userId));
    events.record(tenantId, "mfa.reset", Map.of("user_id", userId));
    return removed;
  }

  /**
   * Deletes every factor of a user being deleted: no event of its own, the deletion's is enough
   * ({@link dev.gatehouse.server.identity.UserOwnedRows}).
   */
  public void forget(String tenantId, String userId) {
    totp.remove(tenantId, userId);
    passkeys.removeAll(tenantId, userId);
    recovery.deleteAll(tenantId, userId);
  }

  /** The amr of a session after a second factor: the first factor's methods, these, and mfa. */
  public static List<String> combine(List<String> first, List<String> second) {
    Set<String> all = new java.util.LinkedHashSet<>(first);
    all.addAll(second);
    all.add(Acr.AMR_MFA);
    return new ArrayList<>(all);
  }
}
