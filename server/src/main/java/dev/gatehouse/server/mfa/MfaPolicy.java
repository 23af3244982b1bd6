package dev.gatehouse.server.mfa;

import java.util.Locale;
import java.util.Set;

/**
 * A tenant's MFA settings: when a second factor is required, and the WebAuthn relying party.
 *
 * @param mode {@code OFF}: no second factor is asked or offered; {@code OPTIONAL}: people may
 *     enrol, and those who have a factor are asked for it; {@code REQUIRED}: everyone needs one
 *     (enrolment is forced at the next sign-in); {@code GROUPS}: required for members of
 *     {@code requiredGroups} or holders of {@code requiredRoles}, optional for others
 * @param rpId the WebAuthn RP ID; null means the host of the tenant's issuer
 * @param origins the origins allowed in WebAuthn client data; empty means the issuer's origin
 */
public record MfaPolicy(Mode mode, Set<String> requiredGroups, Set<String> requiredRoles,
    String rpId, Set<String> origins) {

  /** When a second factor is required. */
  public enum Mode {
    OFF, OPTIONAL, REQUIRED, GROUPS;

    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code value}, or null. */
    public static Mode parse(String value) {
      for (Mode m : values()) {
        if (m.value().equals(value)) {
          return m;
        }
      }
      return null;
    }
  }

  /** The policy of a tenant that never set one. */
  public static final MfaPolicy DEFAULT = new MfaPolicy(Mode.OPTIONAL, Set.of(), Set.of(), null,
      Set.of());

  /** Whether a user with these groups and roles must use a second factor. */
  public boolean requires(Set<String> groups, Set<String> roles) {
    return switch (mode) {
      case OFF, OPTIONAL -> false;
      case REQUIRED -> true;
      case GROUPS -> groups.stream().anyMatch(requiredGroups::contains)
          || roles.stream().anyMatch(requiredRoles::contains);
    };
  }
}
