package dev.gatehouse.server.oauth;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** The scope parameter (RFC 6749 §3.3): space-delimited, case-sensitive tokens. */
public final class Scopes {

  private Scopes() {}

  /**
   * Parses a scope string. RFC 6749 §3.3: {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )};
   * anything else is invalid_scope.
   */
  public static Set<String> parse(String scope) {
    Set<String> out = new LinkedHashSet<>();
    if (scope == null || scope.isEmpty()) {
      return out;
    }
    for (String token : scope.split(" ", -1)) {
      if (token.isEmpty()) {
        // Tolerate repeated spaces as many clients produce them; an empty token adds nothing.
        continue;
      }
      if (!validToken(token)) {
        throw OAuthException.invalidScope("scope `" + printable(token) + "` has characters that"
            + " RFC 6749 section 3.3 does not allow");
      }
      out.add(token);
    }
    return out;
  }

  public static boolean validToken(String token) {
    if (token.isEmpty() || token.length() > 200) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c == 0x22 || c == 0x5C || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  public static String join(Collection<String> scopes) {
    return String.join(" ", scopes);
  }

  /** A token for an error message: non-printable characters replaced so logs stay clean. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return b.toString();
  }
}
