package dev.gatehouse.server.oidc;

import dev.gatehouse.server.oauth.OAuthErrorHttp;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.Handlers;
import dev.gatehouse.server.tenant.TenantResolver;
import dev.gatehouse.server.identity.User;
import dev.gatehouse.server.identity.UserClaims;
import dev.gatehouse.server.identity.UserService;
import dev.gatehouse.server.oauth.AccessTokenService;
import dev.gatehouse.server.oauth.OAuthException;
import dev.gatehouse.server.oauth.TokenInfo;
import dev.gatehouse.server.tenant.Tenant;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The UserInfo endpoint (OpenID Connect Core §5.3), GET and POST, with a bearer access token in
 * the Authorization header or, for POST, the form body (RFC 6750 §2.1, §2.2). Claims follow the
 * scopes of the token (§5.4: profile, email, address, phone; {@link UserClaims}) and the claims
 * requested by name for the UserInfo endpoint (§5.5, carried by the token), sub always.
 */
public final class UserInfoHttp implements HttpService {

  private final TenantResolver tenants;
  private final AccessTokenService tokens;
  private final UserService users;
  private final int maxBody;

  public UserInfoHttp(TenantResolver tenants, AccessTokenService tokens, UserService users,
      int maxBody) {
    this.tenants = tenants;
    this.tokens = tokens;
    this.users = users;
    this.maxBody = maxBody;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/t/{tenant}/userinfo", OAuthErrorHttp.wrap(this::userinfo))
        .post("/t/{tenant}/userinfo", OAuthErrorHttp.wrap(this::userinfo));
  }

  private void userinfo(ServerRequest req, ServerResponse res) {
    Tenant tenant = tenants.require(req);
    String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
    String token = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = header.substring(7).trim();
    } else if (header == null && req.prologue().method() == Method.POST
        && req.headers().contentType().isPresent()) {
      token = Exchange.form(req, maxBody).get("access_token");
    }
    if (token == null) {
      // RFC 6750 §3.1: no credentials, no error code.
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"userinfo\"");
      throw new OAuthException("invalid_request", "a bearer access token is required", 401,
          false);
    }
    Optional<TokenInfo> info = tokens.introspect(tenant.id(), token);
    Optional<User> user = info.flatMap(i -> users.find(tenant.id(), i.subject()));
    if (info.isEmpty() || user.isEmpty() || user.get().disabled()) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"userinfo\", error=\"invalid_token\"");
      throw new OAuthException("invalid_token", "the access token is not active", 401, false);
    }
    if (!info.get().scope().contains("openid")) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"userinfo\","
          + " error=\"insufficient_scope\", scope=\"openid\"");
      throw new OAuthException("insufficient_scope", "the access token lacks the openid scope",
          403, false);
    }
    User u = user.get();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", u.id());
    java.util.Set<String> names = UserClaims.namesFor(info.get().scope());
    names.addAll(info.get().userinfoClaims());
    claims.putAll(UserClaims.of(u, names));
    Exchange.noStore(res);
    Exchange.json(res, 200, claims);
  }
}
