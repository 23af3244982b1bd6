package dev.gatehouse.server.oauth;

import dev.gatehouse.server.identity.UserClaims;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The claims a client asked for by name with the {@code claims} request parameter (OpenID Connect
 * Core §5.5), beyond those its scopes give: what the UserInfo endpoint returns and what the ID
 * token carries. They travel with the authorization code, the refresh tokens of the grant and
 * the access tokens issued from it. Only claims this server can release are kept
 * ({@link #RELEASABLE}).
 *
 * @param userinfo the claims to return at the UserInfo endpoint
 * @param idToken the claims to put in the ID token
 */
public record RequestedClaims(Set<String> userinfo, Set<String> idToken) {

  /** No claim asked for by name. */
  public static final RequestedClaims NONE = new RequestedClaims(Set.of(), Set.of());

  /**
   * The user's claims that may be asked for: every claim a user has here but {@code sub}, which
   * is always returned (OIDC Core §5.3.2, §2).
   */
  static final Set<String> RELEASABLE = releasable();

  public RequestedClaims {
    userinfo = Set.copyOf(userinfo);
    idToken = Set.copyOf(idToken);
  }

  public boolean isEmpty() {
    return userinfo.isEmpty() && idToken.isEmpty();
  }

  /**
   * The releasable names among {@code names}, in order: any other was not understood (OIDC Core
   * §5.5: "MUST be ignored"), or names a claim this server no longer has.
   */
  public static Set<String> names(Collection<String> names) {
    Set<String> out = new LinkedHashSet<>();
    for (String n : names) {
      if (RELEASABLE.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  /** The names of a stored column: space-separated, null or empty for none. */
  static Set<String> parse(String stored) {
    return stored == null || stored.isBlank() ? Set.of()
        : names(java.util.Arrays.asList(stored.split(" ")));
  }

  /** The form {@link #parse} reads; null for none, so that rows without claims stay as before. */
  static String join(Set<String> names) {
    return names.isEmpty() ? null : String.join(" ", names);
  }

  private static Set<String> releasable() {
    Set<String> s = new LinkedHashSet<>(UserClaims.SUPPORTED);
    s.remove("sub");
    return Set.copyOf(s);
  }
}
