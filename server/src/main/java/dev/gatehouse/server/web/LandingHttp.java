package dev.gatehouse.server.web;

import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.oauth.Issuers;
import dev.gatehouse.server.tenant.TenantService;
import dev.gatehouse.server.web.page.Brand;
import dev.gatehouse.server.web.page.LandingPage;
import dev.gatehouse.server.web.page.Layout;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /}: the first page a newcomer opens. Instead of a JSON {@code not_found}, it says
 * what the server is and leads on: a tenant's account page or OpenID configuration for someone
 * who knows their tenant's name, health and the CLI for an administrator. It never
 * lists tenants; {@code ?tenant=T&go=account|discovery} only redirects, to a path on this server.
 */
public final class LandingHttp implements HttpService {

  private final Issuers issuers;

  public LandingHttp(Issuers issuers) {
    this.issuers = issuers;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::landing);
  }

  private void landing(ServerRequest req, ServerResponse res) {
    String tenant = req.query().first("tenant").orElse("").strip().toLowerCase(
        java.util.Locale.ROOT);
    if (TenantService.validId(tenant)) {
      boolean discovery = "discovery".equals(req.query().first("go").orElse(""));
      SignInHttp.redirect(res, 303, "/t/" + tenant
          + (discovery ? "/.well-known/openid-configuration" : "/account"));
      return;
    }
    String nonce = Secrets.random(16);
    SignInHttp.securityHeaders(res, nonce, null);
    SignInHttp.html(res, 200, new LandingPage(new Layout(Brand.UNBRANDED, nonce),
        issuers.base()));
  }
}
