package dev.gatehouse.server.web;

import static dev.gatehouse.server.web.Html.esc;
import static dev.gatehouse.server.web.Pages.hidden;
import static dev.gatehouse.server.web.Pages.page;

import dev.gatehouse.server.mfa.PasskeyService;
import dev.gatehouse.server.mfa.PasskeyStore;
import dev.gatehouse.server.mfa.TotpService;
import java.util.List;
import java.util.Map;

/**
 * The pages of strong authentication: the second-factor page, TOTP enrolment, the recovery codes
 * shown once, and the account page. Like {@link Pages}, every value passes through
 * {@link Html#esc}; passkey buttons are hidden until {@code /assets/passkey.js} finds WebAuthn in
 * the browser, so every page works without JavaScript for TOTP and recovery codes.
 */
final class MfaPages {

  private MfaPages() {}

  /** Hidden fields that carry the flow: the sealed request, or the account page to return to. */
  record Flow(String ar, String next) {
    String fields() {
      return (ar != null ? hidden("ar", ar) : "") + (next != null ? hidden("next", next) : "");
    }
  }

  private static String script(String nonce) {
    return "<script src=\"/assets/passkey.js\" nonce=\"" + esc(nonce) + "\" defer></script>";
  }

  private static String error(String error) {
    return error == null ? "" : "<p class=\"error\" role=\"alert\" id=\"mfa-error\">" + esc(error)
        + "</p>";
  }

  /** The passkey ceremony form: the script fills {@code credential} and submits. */
  private static String passkeyGetForm(String action, String csrf, Flow flow, String challenge,
      String rpId, List<String> allow, boolean conditional, String label) {
    return "<form method=\"post\" action=\"" + esc(action) + "\" data-passkey=\"get\""
        + " data-challenge=\"" + esc(challenge) + "\" data-rp-id=\"" + esc(rpId) + "\""
        + " data-allow=\"" + esc(String.join(" ", allow)) + "\""
        + (conditional ? " data-conditional=\"true\"" : "") + " hidden>"
        + hidden("csrf", csrf) + flow.fields() + hidden("challenge", challenge)
        + "<input type=\"hidden\" name=\"credential\" value=\"\">"
        + "<p class=\"error\" role=\"alert\" data-passkey-error hidden></p>"
        + "<button type=\"button\" class=\"primary\" id=\"passkey-button\">" + esc(label)
        + "</button></form>";
  }

  /** The second-factor page: a code (authenticator app or recovery code), or a passkey. */
  static String secondFactor(Pages.Brand brand, String nonce, String issuer, String csrf,
      Flow flow, boolean totp, String challenge, String rpId, List<String> passkeys,
      String error) {
    StringBuilder b = new StringBuilder("<h1>Confirm it is you</h1>").append(error(error));
    if (!passkeys.isEmpty()) {
      b.append(passkeyGetForm(issuer + "/mfa/passkey", csrf, flow, challenge, rpId, passkeys,
          false, "Use your passkey"));
    }
    b.append("<form method=\"post\" action=\"").append(esc(issuer + "/mfa")).append("\">")
        .append(hidden("csrf", csrf)).append(flow.fields())
        .append("<label for=\"code\">").append(totp ? "Code from your authenticator app, or a"
            + " recovery code" : "A recovery code").append("</label>")
        .append("<input type=\"text\" id=\"code\" name=\"code\" autocomplete=\"one-time-code\""
            + " inputmode=\"text\" autocapitalize=\"none\" spellcheck=\"false\" required"
            + " autofocus").append(error != null ? " aria-describedby=\"mfa-error\"" : "")
        .append(">")
        .append("<button type=\"submit\" class=\"primary\">Continue</button></form>");
    return page(brand, nonce, "Confirm it is you", b + script(nonce));
  }

  /** TOTP enrolment: the QR code, the secret to type, and the first code to confirm. */
  static String enrolTotp(Pages.Brand brand, String nonce, String action, String csrf, Flow flow,
      TotpService.Enrollment e, boolean forced, String error) {
    StringBuilder b = new StringBuilder("<h1>Set up an authenticator app</h1>");
    if (forced) {
      b.append("<p>").append(esc(brand.displayName())).append(" requires a second factor for"
          + " your account.</p>");
    }
    b.append(error(error))
        .append("<p>Scan this code with your authenticator app, or type the key below.</p>")
        .append("<figure class=\"qr\">").append(e.qrSvg()).append("</figure>")
        .append("<p>Key: <code id=\"totp-secret\">").append(esc(e.secret())).append("</code></p>")
        .append("<p class=\"small\">Or open <a id=\"totp-uri\" href=\"").append(esc(e.uri()))
        .append("\">this link</a> on the device with the app.</p>")
        .append("<form method=\"post\" action=\"").append(esc(action)).append("\">")
        .append(hidden("csrf", csrf)).append(flow.fields())
        .append("<label for=\"code\">The 6-digit code the app shows</label>")
        .append("<input type=\"text\" id=\"code\" name=\"code\" autocomplete=\"one-time-code\""
            + " inputmode=\"numeric\" pattern=\"[0-9 ]{6,7}\" required autofocus>")
        .append("<button type=\"submit\" class=\"primary\">Turn on</button></form>");
    return page(brand, nonce, "Set up an authenticator app", b.toString());
  }

  /** Recovery codes, shown once. */
  static String recoveryCodes(Pages.Brand brand, String nonce, List<String> codes,
      String continueAction, String csrf, Flow flow) {
    StringBuilder b = new StringBuilder("<h1>Save your recovery codes</h1>")
        .append("<p>Each code signs you in once if you lose your authenticator. Keep them"
            + " somewhere safe: they are shown only now.</p><ul id=\"recovery-codes\""
            + " class=\"codes\">");
    for (String c : codes) {
      b.append("<li><code>").append(esc(c)).append("</code></li>");
    }
    b.append("</ul><form method=\"").append(flow.ar() != null ? "get" : "post")
        .append("\" action=\"").append(esc(continueAction)).append("\">");
    if (flow.ar() != null) {
      b.append(hidden("ar", flow.ar()));
    } else {
      b.append(hidden("csrf", csrf));
    }
    b.append("<button type=\"submit\" class=\"primary\" autofocus>I saved them</button></form>");
    return page(brand, nonce, "Recovery codes", b.toString());
  }

  /** The account page: factors, and the forms that change them. */
  static String account(Pages.Brand brand, String nonce, String issuer, String csrf,
      String username, boolean mfaOff, boolean totp, List<PasskeyStore.Passkey> passkeys,
      int recoveryRemaining, PasskeyService.CreationOptions create, String notice,
      String error) {
    StringBuilder b = new StringBuilder("<h1>Your account</h1>")
        .append("<p>Signed in as <strong id=\"account-username\">").append(esc(username))
        .append("</strong></p>").append(error(error));
    if (notice != null) {
      b.append("<p class=\"notice\" role=\"status\">").append(esc(notice)).append("</p>");
    }
    if (mfaOff) {
      b.append("<p>Second factors are turned off for this organisation.</p>");
      return page(brand, nonce, "Your account", b.toString());
    }
    String a = issuer + "/account";
    b.append("<h2>Authenticator app</h2>");
    if (totp) {
      b.append("<p id=\"totp-status\">On.</p>").append(post(a + "/totp/remove", csrf, "",
          "Turn off", "secondary"));
    } else {
      b.append("<p id=\"totp-status\">Off.</p>").append(post(a + "/totp", csrf, "",
          "Set up an authenticator app", "primary"));
    }
    b.append("<h2>Passkeys</h2><ul id=\"passkeys\">");
    for (PasskeyStore.Passkey p : passkeys) {
      b.append("<li><span class=\"passkey-name\">").append(esc(p.name())).append("</span> ")
          .append(post(a + "/passkeys/remove", csrf, hidden("credential_id", p.credentialId()),
              "Remove", "secondary")).append("</li>");
    }
    b.append("</ul>");
    if (passkeys.isEmpty()) {
      b.append("<p id=\"no-passkeys\">No passkeys yet.</p>");
    }
    b.append("<form method=\"post\" action=\"").append(esc(a + "/passkeys"))
        .append("\" data-passkey=\"create\" data-challenge=\"").append(esc(create.challenge()))
        .append("\" data-rp-id=\"").append(esc(create.rpId())).append("\" data-rp-name=\"")
        .append(esc(create.rpName())).append("\" data-user-id=\"").append(esc(create.userId()))
        .append("\" data-user-name=\"").append(esc(create.userName()))
        .append("\" data-user-display-name=\"").append(esc(create.userDisplayName()))
        .append("\" data-exclude=\"").append(esc(String.join(" ", create.excludeCredentials())))
        .append("\" hidden>").append(hidden("csrf", csrf))
        .append(hidden("challenge", create.challenge()))
        .append("<input type=\"hidden\" name=\"credential\" value=\"\">")
        .append("<label for=\"passkey-name\">Name of the new passkey</label>")
        .append("<input type=\"text\" id=\"passkey-name\" name=\"name\" maxlength=\"100\""
            + " value=\"Passkey\">")
        .append("<p class=\"error\" role=\"alert\" data-passkey-error hidden></p>")
        .append("<button type=\"button\" class=\"primary\" id=\"passkey-register\">Add a"
            + " passkey</button></form>");
    b.append("<h2>Recovery codes</h2><p id=\"recovery-remaining\">").append(recoveryRemaining)
        .append(" unused.</p>").append(post(a + "/recovery-codes", csrf, "",
            "Generate new codes", "secondary"));
    b.append("<h2>Sign out</h2>").append("<p><a href=\"").append(esc(issuer + "/logout"))
        .append("\">Sign out</a></p>");
    return page(brand, nonce, "Your account", b + script(nonce));
  }

  /** Asks for the password again before a sensitive change. */
  static String reauthenticate(Pages.Brand brand, String nonce, String action, String csrf,
      String error) {
    return page(brand, nonce, "Confirm your password", "<h1>Confirm your password</h1>"
        + "<p>Changing how you sign in needs a recent sign-in.</p>" + error(error)
        + "<form method=\"post\" action=\"" + esc(action) + "\">" + hidden("csrf", csrf)
        + "<label for=\"password\">Password</label><input type=\"password\" id=\"password\""
        + " name=\"password\" autocomplete=\"current-password\" required autofocus>"
        + "<button type=\"submit\" class=\"primary\">Confirm</button></form>");
  }

  /** The account page of someone not signed in. */
  static String signInFirst(Pages.Brand brand, String nonce, String loginUrl) {
    return page(brand, nonce, "Your account", "<h1>Your account</h1><p><a id=\"account-login\""
        + " href=\"" + esc(loginUrl) + "\">Sign in</a> to manage how you sign in.</p>");
  }

  private static String post(String action, String csrf, String fields, String label,
      String cls) {
    return "<form method=\"post\" action=\"" + esc(action) + "\" class=\"inline\">"
        + hidden("csrf", csrf) + fields + "<button type=\"submit\" class=\"" + cls + "\">"
        + esc(label) + "</button></form>";
  }

  static Map<String, String> none() {
    return Map.of();
  }
}
