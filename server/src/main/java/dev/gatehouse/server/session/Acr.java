package dev.gatehouse.server.session;

import java.util.List;

/**
 * Authentication context class references (OpenID Connect Core §2 {@code acr}) and method
 * references (RFC 8176 {@code amr}) that Gatehouse issues.
 */
public final class Acr {

  /** A password (or nothing stronger) was checked. */
  public static final String PWD = "urn:gatehouse:acr:pwd";
  /** Two factors: a password and a second factor, or a passkey with user verification. */
  public static final String MFA = "urn:gatehouse:acr:mfa";
  /** What discovery advertises in {@code acr_values_supported}, weakest first. */
  public static final List<String> SUPPORTED = List.of(PWD, MFA);

  // RFC 8176 §2 method values.
  public static final String AMR_PWD = "pwd";
  public static final String AMR_OTP = "otp";
  /** Proof-of-possession of a hardware-secured key: a device-bound passkey. */
  public static final String AMR_HWK = "hwk";
  /** Proof-of-possession of a software-secured key: a synced passkey. */
  public static final String AMR_SWK = "swk";
  /** "Use of a user presence test": the authenticator verified the user. */
  public static final String AMR_USER = "user";
  /** "Multiple-factor authentication". */
  public static final String AMR_MFA = "mfa";
  /** Not in RFC 8176's registry: a recovery code (a one-time secret held on paper). */
  public static final String AMR_RECOVERY = "otp";

  private Acr() {}

  /**
   * The acr to state for a session that achieved {@code achieved} when {@code essential} values
   * were asked for as an essential claim (in order of preference; empty: none). OIDC Core
   * §5.5.1.1: "the Authorization Server MUST return an acr Claim Value that matches one of the
   * requested values": the first requested value the session satisfies (a session with a second
   * factor satisfies a request for the password level). The {@code amr} still tells how the user
   * authenticated. Otherwise, what was achieved.
   */
  public static String reported(String achieved, java.util.List<String> essential) {
    for (String wanted : essential) {
      if (satisfies(achieved, wanted)) {
        return wanted;
      }
    }
    return achieved;
  }

  /** Whether {@code acr} satisfies a request for {@code wanted} (MFA satisfies both). */
  public static boolean satisfies(String acr, String wanted) {
    return wanted.equals(acr) || MFA.equals(acr) && PWD.equals(wanted);
  }
}
