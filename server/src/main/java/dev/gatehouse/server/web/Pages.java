package dev.gatehouse.server.web;

import static dev.gatehouse.server.web.Html.esc;

import java.util.List;
import java.util.Map;

/**
 * The hosted pages: login, consent, logout confirmation, signed-out, error and the form_post
 * response. Server-rendered, usable without JavaScript (form_post's auto-submit has a button
 * fallback), one style sheet inline under the response's CSP nonce.
 *
 * <p>Plain Java with strict escaping ({@link Html#esc}) instead of JTE templates: every dynamic
 * value passes through {@code esc}, and each page is a single method one can read top to bottom.
 */
final class Pages {

  /** Per-tenant branding: the name shown, and an accent colour (contrast-checked default). */
  record Brand(String displayName, String accent) {}

  private static final String CSS = """
      *{box-sizing:border-box}
      body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
        background:#f4f5f7;color:#1b1f24}
      main{max-width:26rem;margin:6vh auto;background:#fff;padding:2rem;border-radius:8px;
        box-shadow:0 1px 3px rgba(0,0,0,.15)}
      h1{font-size:1.4rem;margin:0 0 1rem}
      p.brand{margin:0 0 .25rem;font-weight:600;color:#3d4450}
      label{display:block;margin:.75rem 0 .25rem;font-weight:600}
      input[type=text],input[type=password]{width:100%;padding:.6rem;border:1px solid #6b7280;
        border-radius:4px;font-size:1rem}
      input:focus,button:focus{outline:3px solid #1d4ed8;outline-offset:2px}
      button{margin-top:1.25rem;padding:.65rem 1.2rem;font-size:1rem;border-radius:4px;
        border:1px solid transparent;cursor:pointer}
      button.primary{background:var(--accent);color:#fff}
      button.secondary{background:#fff;color:#1b1f24;border-color:#6b7280;margin-left:.5rem}
      .error{background:#fdecec;color:#8a1c1c;border:1px solid #e5a0a0;padding:.6rem;
        border-radius:4px}
      ul.scopes{padding-left:1.2rem}
      """;

  private Pages() {}

  static String login(Brand brand, String nonce, String action, String csrf, String ar,
      String username, String error) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>Sign in</h1>");
    if (error != null) {
      b.append("<p class=\"error\" role=\"alert\" id=\"login-error\">").append(esc(error))
          .append("</p>");
    }
    b.append("<form method=\"post\" action=\"").append(esc(action)).append("\">")
        .append(hidden("csrf", csrf)).append(hidden("ar", ar))
        .append("<label for=\"username\">Username</label>")
        .append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\""
            + " autocapitalize=\"none\" spellcheck=\"false\" required")
        .append(username == null || username.isEmpty() ? " autofocus" : "")
        .append(error != null ? " aria-describedby=\"login-error\"" : "")
        .append(" value=\"").append(esc(username)).append("\">")
        .append("<label for=\"password\">Password</label>")
        .append("<input type=\"password\" id=\"password\" name=\"password\""
            + " autocomplete=\"current-password\" required")
        .append(username != null && !username.isEmpty() ? " autofocus" : "")
        .append(">")
        .append("<button type=\"submit\" class=\"primary\">Sign in</button>")
        .append("</form>");
    return page(brand, nonce, "Sign in", b.toString());
  }

  static String consent(Brand brand, String nonce, String action, String csrf, String ar,
      String clientName, List<String> scopeDescriptions) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>Allow access?</h1>")
        .append("<p><strong>").append(esc(clientName)).append("</strong> asks to:</p>")
        .append("<ul class=\"scopes\">");
    for (String s : scopeDescriptions) {
      b.append("<li>").append(esc(s)).append("</li>");
    }
    b.append("</ul>")
        .append("<form method=\"post\" action=\"").append(esc(action)).append("\">")
        .append(hidden("csrf", csrf)).append(hidden("ar", ar))
        .append("<button type=\"submit\" class=\"primary\" name=\"decision\" value=\"allow\""
            + " autofocus>Allow</button>")
        .append("<button type=\"submit\" class=\"secondary\" name=\"decision\" value=\"deny\">"
            + "Deny</button>")
        .append("</form>");
    return page(brand, nonce, "Allow access", b.toString());
  }

  static String logoutConfirm(Brand brand, String nonce, String action, String csrf,
      Map<String, String> carried) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>Sign out?</h1><p>You will be signed out of ").append(esc(brand.displayName()))
        .append(" and the applications you used with it.</p>")
        .append("<form method=\"post\" action=\"").append(esc(action)).append("\">")
        .append(hidden("csrf", csrf));
    carried.forEach((k, v) -> b.append(hidden(k, v)));
    b.append("<button type=\"submit\" class=\"primary\" name=\"confirm\" value=\"yes\""
            + " autofocus>Sign out</button>")
        .append("</form>");
    return page(brand, nonce, "Sign out", b.toString());
  }

  static String signedOut(Brand brand, String nonce) {
    return page(brand, nonce, "Signed out", "<h1>You are signed out</h1>"
        + "<p>You may close this window.</p>");
  }

  static String error(Brand brand, String nonce, String message) {
    return page(brand, nonce, "Error", "<h1>Something went wrong</h1><p class=\"error\""
        + " role=\"alert\">" + esc(message) + "</p><p>Return to the application and try"
        + " again.</p>");
  }

  /** OAuth 2.0 Form Post Response Mode §2: an auto-submitting form, with a button fallback. */
  static String formPost(String nonce, String action, Map<String, String> fields) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<title>Continue</title></head><body>")
        .append("<form method=\"post\" id=\"f\" action=\"").append(esc(action)).append("\">");
    fields.forEach((k, v) -> b.append(hidden(k, v)));
    b.append("<noscript><button type=\"submit\">Continue</button></noscript></form>")
        .append("<script nonce=\"").append(esc(nonce))
        .append("\">document.getElementById('f').submit()</script></body></html>");
    return b.toString();
  }

  static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
  }

  static String page(Brand brand, String nonce, String title, String body) {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + esc(title) + " – " + esc(brand.displayName()) + "</title>"
        + "<style nonce=\"" + esc(nonce) + "\">:root{--accent:" + esc(brand.accent()) + "}"
        + CSS + "</style></head><body><main><p class=\"brand\">" + esc(brand.displayName())
        + "</p>" + body + "</main></body></html>";
  }
}
