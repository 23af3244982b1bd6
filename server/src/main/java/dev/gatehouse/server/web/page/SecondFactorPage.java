package dev.gatehouse.server.web.page;

import java.util.List;

/**
 * The second-factor page: a code from the authenticator app or a recovery code, and,
 * when the person has passkeys, a passkey button (shown by the passkey script).
 *
 * @param ar the sealed authorization request, or null on the way to the account page
 * @param next {@code account} on the way to the account page
 * @param passkeys the person's credential ids (base64url); empty hides the passkey form
 */
public record SecondFactorPage(Layout layout, String issuer, String csrf, String ar,
    String next, boolean totp, String challenge, String rpId, List<String> passkeys,
    String error) implements Page {

  @Override
  public String template() {
    return "secondFactor.jte";
  }

  public String allow() {
    return String.join(" ", passkeys);
  }
}
