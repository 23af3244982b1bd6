package dev.gatehouse.server.admin;

import dev.gatehouse.server.http.ProblemException;
import dev.gatehouse.server.oauth.AccessTokenService;
import dev.gatehouse.server.oauth.TokenInfo;
import dev.gatehouse.server.tenant.Tenant;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Admits admin API calls that carry a bearer access token (RFC 6750 §2.1) of the system tenant
 * with the {@value #SCOPE} scope.
 */
public final class AdminAuth {

  /** The scope that grants the whole admin API. */
  public static final String SCOPE = "admin";

  /** Where {@link #guard} leaves the admin client id for {@link #actor}. */
  private static final String ACTOR = "gatehouse.admin.actor";

  private final AccessTokenService tokens;

  public AdminAuth(AccessTokenService tokens) {
    this.tokens = tokens;
  }

  /** Wraps an admin endpoint: problem+json errors, and the admin token checked first. */
  public io.helidon.webserver.http.Handler guard(dev.gatehouse.server.http.Handlers.Endpoint e) {
    return dev.gatehouse.server.http.Handlers.problem((req, res) -> {
      req.context().register(ACTOR, require(req, res).clientId());
      e.handle(req, res);
    });
  }

  /** The client id of the admin calling, as {@link #guard} found it; audit events name it. */
  public static String actor(ServerRequest req) {
    return req.context().get(ACTOR, String.class).orElse("unknown");
  }

  /** The caller's token, or a 401/403 problem with the RFC 6750 §3 challenge. */
  public TokenInfo require(ServerRequest req, ServerResponse res) {
    String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"gatehouse-admin\"");
      throw new ProblemException(401, "a bearer access token of the system tenant is required");
    }
    TokenInfo token = tokens.introspect(Tenant.SYSTEM, header.substring(7).trim()).orElse(null);
    if (token == null) {
      res.header(HeaderNames.WWW_AUTHENTICATE,
          "Bearer realm=\"gatehouse-admin\", error=\"invalid_token\"");
      throw new ProblemException(401, "the access token is not active at the system tenant");
    }
    if (!token.scope().contains(SCOPE)) {
      res.header(HeaderNames.WWW_AUTHENTICATE,
          "Bearer realm=\"gatehouse-admin\", error=\"insufficient_scope\", scope=\"" + SCOPE + "\"");
      throw new ProblemException(403, "the access token lacks the `" + SCOPE + "` scope");
    }
    return token;
  }
}
