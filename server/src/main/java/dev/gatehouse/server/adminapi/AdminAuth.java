package dev.gatehouse.server.adminapi;

import dev.gatehouse.server.http.Handlers;
import dev.gatehouse.server.http.ProblemException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import java.util.Set;

/**
 * Admits admin API calls that carry a bearer access token (RFC 6750 §2.1) of the system tenant
 * with the {@value #SCOPE} scope.
 *
 * <p>It asks {@link Tokens} whether a token is active, so the shared admin helpers know nothing of
 * how tokens are issued: the composition root hands in the system tenant's introspection.
 */
public final class AdminAuth {

  /** The scope that grants the whole admin API. */
  public static final String SCOPE = "admin";

  /** Where {@link #guard} leaves the admin client id for {@link #actor}. */
  private static final String ACTOR = "gatehouse.admin.actor";

  /** Introspection of bearer tokens at the system tenant (RFC 7662 semantics: empty if inactive). */
  @FunctionalInterface
  public interface Tokens {
    Optional<Caller> active(String token);
  }

  /** Who holds an active token: its client and granted scope. */
  public record Caller(String clientId, Set<String> scope) {}

  private final Tokens tokens;

  public AdminAuth(Tokens tokens) {
    this.tokens = tokens;
  }

  /** Wraps an admin endpoint: problem+json errors, and the admin token checked first. */
  public io.helidon.webserver.http.Handler guard(Handlers.Endpoint e) {
    return Handlers.problem((req, res) -> {
      req.context().register(ACTOR, require(req, res).clientId());
      e.handle(req, res);
    });
  }

  /** The client id of the admin calling, as {@link #guard} found it; audit events name it. */
  public static String actor(ServerRequest req) {
    return req.context().get(ACTOR, String.class).orElse("unknown");
  }

  /** The caller's token, or a 401/403 problem with the RFC 6750 §3 challenge. */
  public Caller require(ServerRequest req, ServerResponse res) {
    String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"gatehouse-admin\"");
      throw new ProblemException(401, "a bearer access token of the system tenant is required");
    }
    Caller token = tokens.active(header.substring(7).trim()).orElse(null);
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
