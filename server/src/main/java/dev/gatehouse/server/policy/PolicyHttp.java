package dev.gatehouse.server.policy;

import dev.gatehouse.server.oauth.OAuthErrorHttp;
import dev.gatehouse.cedar.json.Json;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.Handlers;
import dev.gatehouse.server.http.HttpError;
import dev.gatehouse.server.tenant.TenantResolver;
import dev.gatehouse.server.oauth.AccessTokenService;
import dev.gatehouse.server.oauth.Issuers;
import dev.gatehouse.server.oauth.TokenInfo;
import dev.gatehouse.server.tenant.Tenant;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The decision endpoints of a tenant, for its applications' enforcement points:
 * {@code /t/{tenant}/v1/authorize} (and {@code /batch}) in Gatehouse's own shape, and the OpenID
 * AuthZEN Authorization API 1.0 evaluation endpoints under {@code /t/{tenant}/access/v1}.
 *
 * <p>Callers present a bearer access token (RFC 6750 §2.1) of the same tenant carrying the
 * {@value #SCOPE} scope, typically from client_credentials. Errors are OAuth-style JSON
 * ({@code error}, {@code error_description}); a request that cannot be read is a 400, never a
 * decision.
 */
public final class PolicyHttp implements HttpService {

  /** The scope a caller's token needs to ask for decisions. */
  public static final String SCOPE = "authorize";

  private final TenantResolver tenants;
  private final Issuers issuers;
  private final AccessTokenService tokens;
  private final DecisionService decisions;
  private final String namespace;
  private final int maxBody;

  public PolicyHttp(TenantResolver tenants, Issuers issuers, AccessTokenService tokens,
      DecisionService decisions, String namespace, int maxBody) {
    this.tenants = tenants;
    this.issuers = issuers;
    this.tokens = tokens;
    this.decisions = decisions;
    this.namespace = namespace;
    this.maxBody = maxBody;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/t/{tenant}/v1/authorize", endpoint(this::authorize))
        .post("/t/{tenant}/v1/authorize/batch", endpoint(this::authorizeBatch))
        .post("/t/{tenant}/access/v1/evaluation", endpoint(this::evaluation))
        .post("/t/{tenant}/access/v1/evaluations", endpoint(this::evaluations))
        .any("/t/{tenant}/v1/authorize", endpoint(PolicyHttp::postOnly))
        .any("/t/{tenant}/v1/authorize/batch", endpoint(PolicyHttp::postOnly))
        .any("/t/{tenant}/access/v1/evaluation", endpoint(PolicyHttp::postOnly))
        .any("/t/{tenant}/access/v1/evaluations", endpoint(PolicyHttp::postOnly))
        .get("/t/{tenant}/.well-known/authzen-configuration", endpoint(this::metadata))
        .get("/.well-known/authzen-configuration/t/{tenant}", endpoint(this::metadata));
  }

  private Handler endpoint(Handlers.Endpoint ep) {
    return OAuthErrorHttp.wrap((req, res) -> {
      try {
        ep.handle(req, res);
      } catch (Uids.BadRequest e) {
        Handlers.oauthError(res, 400, "invalid_request", e.getMessage());
      } catch (StackOverflowError e) {
        // Every nesting limit is sized to fit a request thread (see DeepStack); should a smaller
        // -Xss than the launcher's be configured, the request is still refused, not a 500.
        Handlers.oauthError(res, 400, "invalid_request", "the request nests too deeply for this"
            + " server's thread stack (-Xss)");
      } catch (Denied e) {
        res.header(HeaderNames.WWW_AUTHENTICATE, e.challenge);
        Handlers.oauthError(res, e.status, e.code, e.getMessage());
      }
    });
  }

  /**
   * PDP metadata (AuthZEN §9.1): the tenant is the policy decision point, identified by its
   * issuer; served at the well-known URI inserted before the path (§9.2, as RFC 8414 §3.1 does)
   * and, for clients that append it, under the issuer.
   */
  private void metadata(ServerRequest req, ServerResponse res) {
    String pdp = issuers.issuer(tenants.require(req).id());
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("policy_decision_point", pdp);
    m.put("access_evaluation_endpoint", pdp + "/access/v1/evaluation");
    m.put("access_evaluations_endpoint", pdp + "/access/v1/evaluations");
    Exchange.json(res, 200, m);
  }

  private void authorize(ServerRequest req, ServerResponse res) {
    Caller c = caller(req);
    DecisionRequest dr = c.json.request(body(req));
    Exchange.send(res, 200, "application/json",
        decisions.decide(c.tenant, dr, c.clientId).jsonBytes());
  }

  private void authorizeBatch(ServerRequest req, ServerResponse res) {
    Caller c = caller(req);
    List<Map<String, Object>> out = new ArrayList<>();
    for (DecisionRequest dr : c.json.batch(body(req))) {
      out.add(decisions.decide(c.tenant, dr, c.clientId).toJson());
    }
    Exchange.json(res, 200, Map.of("results", out));
  }

  private void evaluation(ServerRequest req, ServerResponse res) {
    Caller c = caller(req);
    DecisionRequest dr = AuthZen.evaluation(authzenBody(req), namespace);
    Exchange.send(res, 200, "application/json",
        decisions.decide(c.tenant, dr, c.clientId).authzenBytes());
  }

  private void evaluations(ServerRequest req, ServerResponse res) {
    Caller c = caller(req);
    AuthZen.Batch batch = AuthZen.evaluations(authzenBody(req), namespace);
    if (batch.single()) {
      Exchange.json(res, 200, AuthZen.response(decisions.decide(c.tenant,
          batch.items().get(0).request(), c.clientId)));
      return;
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (AuthZen.Item item : batch.items()) {
      boolean allow;
      if (item.error() != null) {
        out.add(AuthZen.error(item.error()));
        allow = false;
      } else {
        Decision d;
        try {
          d = decisions.decide(c.tenant, item.request(), c.clientId);
        } catch (Uids.BadRequest e) {
          d = null;
          out.add(AuthZen.error(e.getMessage()));
        }
        if (d != null) {
          out.add(AuthZen.response(d));
        }
        allow = d != null && d.allow();
      }
      // AuthZEN §7.1.2.1: the short-circuit semantics stop at the first deny (or failure) /
      // the first permit.
      if ((batch.semantic() == AuthZen.Semantic.DENY_ON_FIRST_DENY && !allow)
          || (batch.semantic() == AuthZen.Semantic.PERMIT_ON_FIRST_PERMIT && allow)) {
        break;
      }
    }
    Exchange.json(res, 200, Map.of("evaluations", out));
  }

  private record Caller(String tenant, String clientId, DecisionJson json) {}

  /** The tenant and the client calling, whose token must carry {@value #SCOPE}. */
  private Caller caller(ServerRequest req) {
    Tenant tenant = tenants.require(req);
    String realm = "Bearer realm=\"gatehouse\"";
    String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Denied(401, "invalid_request", realm,
          "a bearer access token of this tenant with the `" + SCOPE + "` scope is required");
    }
    TokenInfo token = tokens.introspect(tenant.id(), header.substring(7).trim()).orElse(null);
    if (token == null) {
      throw new Denied(401, "invalid_token", realm + ", error=\"invalid_token\"",
          "the access token is not active at this tenant");
    }
    if (!token.scope().contains(SCOPE)) {
      throw new Denied(403, "insufficient_scope", realm + ", error=\"insufficient_scope\", scope=\""
          + SCOPE + "\"", "the access token lacks the `" + SCOPE + "` scope");
    }
    String id = tenant.id();
    String clientId = token.clientId();
    // A principal token is answered as introspection would answer this caller: only the token's
    // client and the resource servers in its audience, so that no client of the tenant can test
    // whether another client's token is live.
    return new Caller(id, clientId,
        new DecisionJson(namespace, decisions.limits(), t -> tokens.introspectAs(id, clientId, t)));
  }

  /** A JSON body of /v1/authorize: another media type is 415 (RFC 9110 §15.5.16). */
  private Json.Obj body(ServerRequest req) {
    return body(req, 415);
  }

  /** A JSON body of an AuthZEN endpoint: its certification scenario wants 400 for another type. */
  private Json.Obj authzenBody(ServerRequest req) {
    return body(req, 400);
  }

  private Json.Obj body(ServerRequest req, int wrongTypeStatus) {
    String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("")
        .toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/json")) {
      throw new HttpError(wrongTypeStatus, "invalid_request", "the body must be application/json");
    }
    return DecisionJson.object(Exchange.body(req, maxBody));
  }

  private static void postOnly(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.ALLOW, "POST");
    Handlers.oauthError(res, 405, "invalid_request", "this endpoint accepts POST only");
  }

  /** A caller without a usable token: 401 or 403 with an RFC 6750 §3 challenge. */
  private static final class Denied extends RuntimeException {
    final int status;
    final String code;
    final String challenge;

    Denied(int status, String code, String challenge, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
      this.challenge = challenge;
    }
  }
}
