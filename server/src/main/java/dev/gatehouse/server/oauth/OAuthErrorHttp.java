package dev.gatehouse.server.oauth;

import dev.gatehouse.server.http.Handlers;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;

/**
 * Wraps tenant endpoint code so that an {@link OAuthException} becomes its RFC 6749 §5.2 error
 * body (with the §5.2 {@code WWW-Authenticate} challenge after a failed client authentication),
 * and everything else becomes what {@link Handlers#jsonErrors} makes of it.
 */
public final class OAuthErrorHttp {

  private OAuthErrorHttp() {}

  /** For tenant (OAuth, OIDC, policy decision) endpoints. */
  public static Handler wrap(Handlers.Endpoint endpoint) {
    return Handlers.jsonErrors((req, res) -> {
      try {
        endpoint.handle(req, res);
      } catch (OAuthException e) {
        if (e.challenge()) {
          res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"gatehouse\"");
        }
        Handlers.oauthError(res, e.status(), e.error(), e.getMessage());
      }
    });
  }
}
