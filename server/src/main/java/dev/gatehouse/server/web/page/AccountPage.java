package dev.gatehouse.server.web.page;

import dev.gatehouse.server.mfa.PasskeyService;
import dev.gatehouse.server.mfa.PasskeyStore;
import java.util.List;

/**
 * The account page: the person's factors and the forms that change them. The passkey
 * registration form carries the options of {@code navigator.credentials.create()} in data
 * attributes; the passkey script runs it. Above them, the applications the person uses that can
 * start a sign-in here.
 */
public record AccountPage(Layout layout, String issuer, String csrf, String username,
    boolean mfaOff, boolean totp, List<PasskeyStore.Passkey> passkeys, int recoveryRemaining,
    PasskeyService.CreationOptions create, List<Application> applications, String notice,
    String error) implements Page {

  /**
   * An application the person can go to: its name, and its {@code initiate_login_uri} with the
   * issuer added (OpenID Connect Core 1.0 §4).
   */
  public record Application(String name, String href) {}

  @Override
  public String template() {
    return "account.jte";
  }

  public String exclude() {
    return String.join(" ", create.excludeCredentials());
  }
}
