package dev.gatehouse.server;

import dev.gatehouse.server.session.JdbcConsentStore;
import dev.gatehouse.server.web.AccountHttp;
import dev.gatehouse.server.web.LandingHttp;
import dev.gatehouse.server.web.SecondFactorHttp;
import dev.gatehouse.server.web.SessionAdminHttp;
import dev.gatehouse.server.web.SignInHttp;
import dev.gatehouse.server.web.StaticAssets;

/**
 * The hosted pages: authorize, login, second factor, consent, logout, the account page, the landing
 * page, and the session admin API.
 */
final class SignInModule implements Module {

  private final Platform p;
  private final TenancyModule tenancy;
  private final IdentityModule identity;
  private final OAuthModule oauth;
  private final MfaModule mfa;
  private final JdbcConsentStore consents;

  SignInModule(Platform p, TenancyModule tenancy, IdentityModule identity, OAuthModule oauth,
      MfaModule mfa) {
    this.p = p;
    this.tenancy = tenancy;
    this.identity = identity;
    this.oauth = oauth;
    this.mfa = mfa;
    this.consents = new JdbcConsentStore(p.jdbc);
    identity.users.deleteWith(consents::deleteAll);
  }

  @Override
  public void routing(Routes routes) {
    int maxBody = p.config.maxBodyBytes();
    SignInHttp signIn = new SignInHttp(routes.resolver(), oauth.clients, identity.users,
        oauth.sessions, consents, oauth.codes, tenancy.keys, oauth.logout, p.hasher, p.issuers,
        p.clock, p.config.signIn(), identity.signInEvents, maxBody, mfa.mfa)
        .detection(p.detection);
    routes.routing()
        .register(signIn.attemptCounter(p.attempts))
        .register(new SecondFactorHttp(signIn, mfa.mfa, oauth.sessions, identity.users,
            p.issuers, identity.signInEvents, maxBody))
        .register(new AccountHttp(signIn, mfa.mfa, oauth.sessions, identity.users, consents,
            oauth.clients, p.issuers,
            p.clock, identity.signInEvents, maxBody))
        .register(new StaticAssets())
        .register(new LandingHttp(p.issuers))
        .register(new SessionAdminHttp(routes.adminAuth(), tenancy.tenants, oauth.sessions,
            oauth.logout));
  }
}
