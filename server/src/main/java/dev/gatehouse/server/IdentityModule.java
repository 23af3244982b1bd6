package dev.gatehouse.server;

import dev.gatehouse.server.config.PasswordsConfig;
import dev.gatehouse.server.events.SignInEvents;
import dev.gatehouse.server.identity.IdentityAdminHttp;
import dev.gatehouse.server.identity.JdbcGroupStore;
import dev.gatehouse.server.identity.JdbcPasswordPolicyStore;
import dev.gatehouse.server.identity.JdbcUserStore;
import dev.gatehouse.server.identity.PasswordHasher;
import dev.gatehouse.server.identity.UserService;
import dev.gatehouse.server.oauth.ActiveUsers;

/** Users, groups and password policies, and their admin API. */
final class IdentityModule implements Module {

  private final Platform p;
  private final TenancyModule tenancy;
  final UserService users;
  final SignInEvents signInEvents;
  /** Codes and refresh tokens turn into tokens only while their user exists and is enabled. */
  final ActiveUsers activeUsers;

  IdentityModule(Platform p, TenancyModule tenancy) {
    this.p = p;
    this.tenancy = tenancy;
    PasswordsConfig passwords = p.config.passwords();
    this.users = new UserService(new JdbcUserStore(p.jdbc), new JdbcGroupStore(p.jdbc),
        new JdbcPasswordPolicyStore(p.jdbc), new PasswordHasher(passwords.argon2MemoryKib(),
            passwords.argon2Iterations(), passwords.argon2Parallelism()), p.clock);
    this.signInEvents = new SignInEvents(p.events, p.jdbc, p.clock);
    signInEvents.meters(p.securityMeters);
    this.activeUsers = (tenantId, userId) -> users.find(tenantId, userId)
        .filter(u -> !u.disabled()).isPresent();
  }

  @Override
  public void routing(Routes routes) {
    routes.routing().register(new IdentityAdminHttp(routes.adminAuth(), tenancy.tenants, users,
        p.config.maxBodyBytes(), p.audit));
  }
}
