package dev.gatehouse.server.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts sign-in and second-factor events as they are recorded: {@code gatehouse.signins} by
 * result ({@code succeeded}, {@code failed}, {@code locked}, {@code throttled}) and {@code
 * gatehouse.mfa.challenges} by factor ({@code totp}, {@code passkey}, {@code recovery_code},
 * {@code other}) and result ({@code succeeded}, {@code failed}, {@code locked}).
 *
 * <p>Every series is registered up front from closed sets, so a rate reads 0 before the first
 * event and no request can add a series. No tenant or user label: a brute-force wave shows in the
 * node-wide failure rate; which tenant and which account is for the security events.
 */
public final class SecurityMeters {

  private final Map<String, Counter> signIns = new HashMap<>();
  private final Map<String, Counter> mfa = new HashMap<>();

  public SecurityMeters(MeterRegistry registry) {
    for (String result : new String[] {"succeeded", "failed", "locked", "throttled"}) {
      signIns.put(result, Counter.builder("gatehouse.signins").tag("result", result)
          .description("password sign-ins by result (locked: the account was locked by this"
              + " failure; throttled: the client address was)")
          .register(registry));
    }
    for (String factor : new String[] {"totp", "passkey", "recovery_code", "other"}) {
      for (String result : new String[] {"succeeded", "failed", "locked"}) {
        mfa.put(factor + "/" + result, Counter.builder("gatehouse.mfa.challenges")
            .tag("factor", factor).tag("result", result)
            .description("second-factor checks by factor and result").register(registry));
      }
    }
  }

  /** Counts the event {@code type} with {@code details}, if it is one of the counted kinds. */
  public void event(String type, Map<String, ?> details) {
    switch (type) {
      case SignInEvents.LOGIN_SUCCEEDED -> signIns.get("succeeded").increment();
      case SignInEvents.LOGIN_FAILED -> signIns.get("failed").increment();
      case SignInEvents.ACCOUNT_LOCKED -> signIns.get("locked").increment();
      case SignInEvents.IP_THROTTLED -> signIns.get("throttled").increment();
      case "mfa.verified" -> mfa(factor(details), "succeeded");
      case "mfa.recovery_code_used" -> mfa("recovery_code", "succeeded");
      case "mfa.failed" -> mfa(factor(details), "failed");
      case "mfa.locked" -> mfa(factor(details), "locked");
      default -> { }
    }
  }

  private void mfa(String factor, String result) {
    mfa.get(factor + "/" + result).increment();
  }

  /** The factor an event names ({@code factor}), or that its RFC 8176 {@code amr} values show. */
  static String factor(Map<String, ?> details) {
    Object f = details.get("factor");
    if (f instanceof String s) {
      return switch (s) {
        case "totp", "passkey", "recovery_code" -> s;
        default -> "other";
      };
    }
    Object amr = details.get("amr");
    if (amr instanceof String s) {
      for (String v : s.split(" ")) {
        switch (v) {
          case "otp": return "totp";
          case "hwk", "swk": return "passkey";
          default: break;
        }
      }
    }
    return "other";
  }
}
