package dev.gatehouse.server;

import dev.gatehouse.server.mfa.Challenges;
import dev.gatehouse.server.mfa.JdbcChallengeStore;
import dev.gatehouse.server.mfa.JdbcMfaPolicyStore;
import dev.gatehouse.server.mfa.JdbcPasskeyStore;
import dev.gatehouse.server.mfa.JdbcRecoveryCodeStore;
import dev.gatehouse.server.mfa.JdbcTotpStore;
import dev.gatehouse.server.mfa.MfaAdminHttp;
import dev.gatehouse.server.mfa.MfaEvents;
import dev.gatehouse.server.mfa.MfaService;
import dev.gatehouse.server.mfa.PasskeyService;
import dev.gatehouse.server.mfa.RecoveryCodes;
import dev.gatehouse.server.mfa.TotpService;
import java.util.List;

/** Strong authentication: TOTP, recovery codes, passkeys, the tenant's MFA policy. */
final class MfaModule implements Module {

  private final Platform p;
  private final TenancyModule tenancy;
  private final IdentityModule identity;
  private final Challenges challenges;
  final MfaService mfa;

  MfaModule(Platform p, TenancyModule tenancy, IdentityModule identity) {
    this.p = p;
    this.tenancy = tenancy;
    this.identity = identity;
    this.challenges = new Challenges(new JdbcChallengeStore(p.jdbc), p.hasher, p.clock);
    this.mfa = new MfaService(new JdbcMfaPolicyStore(p.jdbc),
        new TotpService(new JdbcTotpStore(p.jdbc), p.masterKey, p.clock),
        new RecoveryCodes(new JdbcRecoveryCodeStore(p.jdbc), p.hasher, p.clock),
        new PasskeyService(new JdbcPasskeyStore(p.jdbc), challenges, p.clock), identity.users,
        new MfaEvents(p.outbox, p.clock).meters(p.securityMeters));
    identity.users.deleteWith(mfa::forget);
  }

  @Override
  public void routing(Routes routes) {
    routes.routing().register(new MfaAdminHttp(routes.adminAuth(), tenancy.tenants,
        identity.users, mfa, p.clock, p.config.maxBodyBytes(), p.audit));
  }

  @Override
  public List<Purge> purges() {
    return List.of(new Purge("expired passkey challenges", challenges::purgeExpired));
  }
}
