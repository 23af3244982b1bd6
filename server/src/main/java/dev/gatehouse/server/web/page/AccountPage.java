package dev.gatehouse.server.web.page;

import dev.gatehouse.server.mfa.PasskeyService;
import dev.gatehouse.server.mfa.PasskeyStore;
import java.util.List;

/**
 * The account page: the person's factors and the forms that change them. The passkey
 * registration form carries the options of {@code navigator.credentials.create()} in data
 * attributes; the passkey script runs it.
 */
public record AccountPage(Layout layout, String issuer, String csrf, String username,
    boolean mfaOff, boolean totp, List<PasskeyStore.Passkey> passkeys, int recoveryRemaining,
    PasskeyService.CreationOptions create, String notice, String error) implements Page {

  @Override
  public String template() {
    return "account.jte";
  }

  public String exclude() {
    return String.join(" ", create.excludeCredentials());
  }
}
