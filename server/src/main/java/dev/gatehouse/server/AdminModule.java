package dev.gatehouse.server;

import dev.gatehouse.server.admin.AdminHttp;
import dev.gatehouse.server.admin.OpenApiHttp;

/** The tenants and clients admin API and the OpenAPI document. */
final class AdminModule implements Module {

  private final Platform p;
  private final TenancyModule tenancy;
  private final OAuthModule oauth;

  AdminModule(Platform p, TenancyModule tenancy, OAuthModule oauth) {
    this.p = p;
    this.tenancy = tenancy;
    this.oauth = oauth;
  }

  @Override
  public void routing(Routes routes) {
    routes.routing()
        .register(new OpenApiHttp(p.issuers))
        .register(new AdminHttp(routes.adminAuth(), tenancy.tenants, oauth.clients, tenancy.keys,
            oauth.tokens, oauth.revocation, p.issuers, p.config.maxBodyBytes(), p.audit));
  }
}
