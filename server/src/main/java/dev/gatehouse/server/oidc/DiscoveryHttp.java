package dev.gatehouse.server.oidc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.server.oauth.OAuthErrorHttp;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.Handlers;
import dev.gatehouse.server.tenant.TenantResolver;
import dev.gatehouse.server.keys.KeyService;
import dev.gatehouse.server.oauth.AuthMethod;
import dev.gatehouse.server.oauth.ClientAuthenticator;
import dev.gatehouse.server.oauth.ClientService;
import dev.gatehouse.server.oauth.Issuers;
import dev.gatehouse.server.oauth.OAuthException;
import dev.gatehouse.server.json.CompactJson;
import dev.gatehouse.server.tenant.Tenant;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metadata and keys of a tenant: OpenID Connect Discovery 1.0 §4, RFC 8414 §3 (both the path
 * insertion form {@code /.well-known/oauth-authorization-server/t/{tenant}} and the suffix form),
 * and the JWKS (RFC 7517 §5).
 *
 * <p>Both documents are served as prepared bytes: the metadata of a tenant is built once per issuer
 * base and cached, the JWKS is kept by the key ring.
 */
public final class DiscoveryHttp implements HttpService {

  private final TenantResolver tenants;
  private final KeyService keys;
  private final Issuers issuers;
  private final Cache<String, Prepared> documents = Caffeine.newBuilder()
      .maximumSize(10_000)
      .expireAfterAccess(Duration.ofMinutes(30))
      .build();

  /** A metadata document as sent, and the issuer base it was built on. */
  private record Prepared(String base, byte[] json) {}

  public DiscoveryHttp(TenantResolver tenants, KeyService keys, Issuers issuers) {
    this.tenants = tenants;
    this.keys = keys;
    this.issuers = issuers;
  }

  private static final java.util.function.Predicate<Method> GET_OR_HEAD =
      Method.predicate(Method.GET, Method.HEAD);

  @Override
  public void routing(HttpRules rules) {
    List<String> paths = List.of("/t/{tenant}/.well-known/openid-configuration",
        "/t/{tenant}/.well-known/oauth-authorization-server",
        "/.well-known/oauth-authorization-server/t/{tenant}",
        "/.well-known/openid-configuration/t/{tenant}");
    // RFC 9110 §9.3.2: a server that serves GET on a resource serves HEAD too, with the same
    // header fields and no content (the webserver omits the entity on HEAD).
    for (String path : paths) {
      rules.route(GET_OR_HEAD, PathMatchers.create(path), OAuthErrorHttp.wrap(this::metadata));
    }
    rules.route(GET_OR_HEAD, PathMatchers.create("/t/{tenant}/jwks"), OAuthErrorHttp.wrap(this::jwks));
    // These resources exist: another method is 405 with Allow (RFC 9110 §15.5.6), not 404.
    for (String path : paths) {
      rules.any(path, OAuthErrorHttp.wrap(DiscoveryHttp::getOnly));
    }
    rules.any("/t/{tenant}/jwks", OAuthErrorHttp.wrap(DiscoveryHttp::getOnly));
  }

  private static void getOnly(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.ALLOW, "GET, HEAD");
    throw new OAuthException("invalid_request", "this resource accepts GET only", 405, false);
  }

  /** The metadata document; the same for both specs, which share their field names. */
  Map<String, Object> document(String tenantId) {
    String issuer = issuers.issuer(tenantId);
    List<String> authMethods = List.of(AuthMethod.CLIENT_SECRET_BASIC.value(),
        AuthMethod.CLIENT_SECRET_POST.value(), AuthMethod.PRIVATE_KEY_JWT.value());
    List<String> tokenAuthMethods = List.of(AuthMethod.CLIENT_SECRET_BASIC.value(),
        AuthMethod.CLIENT_SECRET_POST.value(), AuthMethod.PRIVATE_KEY_JWT.value(),
        AuthMethod.NONE.value());
    List<String> assertionAlgs = ClientAuthenticator.ASSERTION_ALG_NAMES;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("issuer", issuer);
    m.put("token_endpoint", issuer + "/oauth2/token");
    m.put("jwks_uri", issuer + "/jwks");
    m.put("introspection_endpoint", issuer + "/oauth2/introspect");
    m.put("revocation_endpoint", issuer + "/oauth2/revoke");
    m.put("grant_types_supported", ClientService.SUPPORTED_GRANTS.stream().sorted().toList());
    m.put("authorization_endpoint", issuer + "/oauth2/authorize");
    m.put("userinfo_endpoint", issuer + "/userinfo");
    m.put("end_session_endpoint", issuer + "/logout");
    m.put("response_types_supported", List.of("code"));
    m.put("response_modes_supported", List.of("query", "form_post"));
    m.put("code_challenge_methods_supported", List.of("S256"));
    m.put("scopes_supported", List.of("openid", "profile", "email", "address", "phone",
        "offline_access"));
    List<String> claims = new java.util.ArrayList<>(List.of("iss", "aud", "exp", "iat",
        "auth_time", "nonce", "acr", "amr", "azp", "sid", "at_hash"));
    claims.addAll(dev.gatehouse.server.identity.UserClaims.SUPPORTED);
    m.put("claims_supported", claims);
    // OIDC Discovery §3: acr_values_supported, the values of Gatehouse's two levels.
    m.put("acr_values_supported", dev.gatehouse.server.session.Acr.SUPPORTED);
    m.put("prompt_values_supported", List.of("none", "login", "consent"));
    m.put("authorization_response_iss_parameter_supported", true);
    m.put("backchannel_logout_supported", true);
    m.put("backchannel_logout_session_supported", true);
    // Front-Channel Logout 1.0 §3: the end-session page frames each client's
    // frontchannel_logout_uri, with iss and sid.
    m.put("frontchannel_logout_supported", true);
    m.put("frontchannel_logout_session_supported", true);
    m.put("token_endpoint_auth_methods_supported", tokenAuthMethods);
    m.put("token_endpoint_auth_signing_alg_values_supported", assertionAlgs);
    m.put("introspection_endpoint_auth_methods_supported", authMethods);
    m.put("introspection_endpoint_auth_signing_alg_values_supported", assertionAlgs);
    // RFC 7009 §2.1: a public client revokes its own tokens naming itself with client_id.
    m.put("revocation_endpoint_auth_methods_supported", tokenAuthMethods);
    m.put("revocation_endpoint_auth_signing_alg_values_supported", assertionAlgs);
    m.put("subject_types_supported", List.of("public"));
    m.put("id_token_signing_alg_values_supported", List.of("RS256", "ES256", "EdDSA"));
    // OIDC Core §5.5 (the claims request parameter; ClaimsRequest).
    m.put("claims_parameter_supported", true);
    m.put("request_parameter_supported", false);
    m.put("request_uri_parameter_supported", false);
    return m;
  }

  private void metadata(ServerRequest req, ServerResponse res) {
    Tenant tenant = tenants.require(req);
    res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
    Exchange.sendOrHead(req, res, 200, "application/json", prepared(tenant.id()));
  }

  /** The tenant's metadata as JSON bytes, rebuilt if the issuer base has changed since. */
  private byte[] prepared(String tenantId) {
    String base = issuers.base();
    Prepared p = documents.getIfPresent(tenantId);
    if (p == null || !p.base().equals(base)) {
      p = new Prepared(base, CompactJson.tryWrite(document(tenantId)));
      documents.put(tenantId, p);
    }
    return p.json();
  }

  private void jwks(ServerRequest req, ServerResponse res) {
    Tenant tenant = tenants.require(req);
    // Safe to cache: the next key is published before it signs anything.
    res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
    Exchange.sendOrHead(req, res, 200, "application/jwk-set+json", keys.jwks(tenant.id()));
  }
}
