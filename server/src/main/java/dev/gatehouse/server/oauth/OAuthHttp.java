package dev.gatehouse.server.oauth;

import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.Handlers;
import dev.gatehouse.server.tenant.TenantResolver;
import dev.gatehouse.server.tenant.Tenant;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP binding of the tenant's OAuth endpoints: token (RFC 6749 section 3.2), introspection (RFC 7662)
 * and revocation (RFC 7009), all POST with form bodies, mounted under {@code /t/{tenant}}.
 */
public final class OAuthHttp implements HttpService {

  private final TenantResolver tenants;
  private final TokenEndpoint tokenEndpoint;
  private volatile TokenMeters meters;
  private final ClientAuthenticator authenticator;
  private final AccessTokenService tokens;
  private final TokenRevocation revocation;
  private final Issuers issuers;
  private final int maxBody;

  public OAuthHttp(TenantResolver tenants, TokenEndpoint tokenEndpoint,
      ClientAuthenticator authenticator, AccessTokenService tokens, TokenRevocation revocation,
      Issuers issuers, int maxBody) {
    this.revocation = revocation;
    this.tenants = tenants;
    this.tokenEndpoint = tokenEndpoint;
    this.authenticator = authenticator;
    this.tokens = tokens;
    this.issuers = issuers;
    this.maxBody = maxBody;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/t/{tenant}/oauth2/token", OAuthErrorHttp.wrap(this::token))
        .post("/t/{tenant}/oauth2/introspect", OAuthErrorHttp.wrap(this::introspect))
        .post("/t/{tenant}/oauth2/revoke", OAuthErrorHttp.wrap(this::revoke));
    // Only these three answer 405 to other methods; any other path is left to the 404 fallback.
    for (String endpoint : List.of("token", "introspect", "revoke")) {
      rules.any("/t/{tenant}/oauth2/" + endpoint, OAuthErrorHttp.wrap(OAuthHttp::postOnly));
    }
  }

  private void token(ServerRequest req, ServerResponse res) {
    Tenant tenant = tenants.require(req);
    Map<String, String> form = Exchange.form(req, maxBody);
    Map<String, Object> body = tokenEndpoint.token(tenant.id(), form, authorization(req),
        issuers.issuer(tenant.id()) + "/oauth2/token");
    Exchange.noStore(res);
    Exchange.json(res, 200, body);
  }

  /** Counts introspection answers into {@code tokenMeters}. */
  public OAuthHttp meters(TokenMeters tokenMeters) {
    this.meters = tokenMeters;
    return this;
  }

  private void introspect(ServerRequest req, ServerResponse res) {
    Tenant tenant = tenants.require(req);
    Map<String, String> form = Exchange.form(req, maxBody);
    Client caller = authenticator.authenticate(tenant.id(), form, authorization(req),
        issuers.issuer(tenant.id()) + "/oauth2/introspect");
    String token = form.get("token");
    if (token == null) {
      throw OAuthException.invalidRequest("token is required");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    java.util.Optional<TokenInfo> info =
        tokens.introspectAs(tenant.id(), caller.clientId(), token);
    TokenMeters m = meters;
    if (m != null) {
      m.introspected(info.isPresent());
    }
    if (info.isEmpty()) {
      body.put("active", false);
    } else {
      // RFC 7662 §2.2
      TokenInfo t = info.get();
      body.put("active", true);
      if (!t.scope().isEmpty()) {
        body.put("scope", Scopes.join(t.scope()));
      }
      body.put("client_id", t.clientId());
      body.put("token_type", "Bearer");
      body.put("exp", t.expiresAt());
      body.put("iat", t.issuedAt());
      body.put("sub", t.subject());
      List<String> aud = tokens.audienceOf(t);
      if (!aud.isEmpty()) {
        body.put("aud", aud.size() == 1 ? aud.get(0) : aud);
      }
      body.put("iss", t.issuer());
      body.put("jti", t.jti());
    }
    Exchange.noStore(res);
    Exchange.json(res, 200, body);
  }

  private void revoke(ServerRequest req, ServerResponse res) {
    Tenant tenant = tenants.require(req);
    Map<String, String> form = Exchange.form(req, maxBody);
    Client client = authenticator.authenticate(tenant.id(), form, authorization(req),
        issuers.issuer(tenant.id()) + "/oauth2/revoke");
    String token = form.get("token");
    if (token == null) {
      throw OAuthException.invalidRequest("token is required");
    }
    // RFC 7009 §2.1: only a token issued to the client asking is revoked. §2.2: "invalid tokens
    // do not cause an error response". A token of another client is invalid for this one and is
    // answered like an unknown one: a different answer would tell a client which strings are
    // live tokens of others.
    revocation.revoke(tenant.id(), token, form.get("token_type_hint"), client.clientId(),
        "client:" + client.clientId());
    Exchange.noStore(res);
    res.status(200).send();
  }

  private static void postOnly(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.ALLOW, "POST");
    throw new OAuthException("invalid_request", "this endpoint accepts POST only (RFC 6749 section 3.2)",
        405, false);
  }

  private static String authorization(ServerRequest req) {
    return req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
  }
}
