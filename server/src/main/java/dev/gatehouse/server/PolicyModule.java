package dev.gatehouse.server;

import dev.gatehouse.server.config.PolicyConfig;
import dev.gatehouse.server.policy.ClientEntitySource;
import dev.gatehouse.server.policy.DecisionLog;
import dev.gatehouse.server.policy.DecisionService;
import dev.gatehouse.server.policy.EntityLimits;
import dev.gatehouse.server.policy.EntityService;
import dev.gatehouse.server.policy.IdentityEntitySource;
import dev.gatehouse.server.policy.JdbcPolicyStore;
import dev.gatehouse.server.policy.PolicyAdminHttp;
import dev.gatehouse.server.policy.PolicyHttp;
import dev.gatehouse.server.policy.PolicyService;
import dev.gatehouse.server.policy.PolicyStore;
import dev.gatehouse.server.policy.RedisPolicyStore;
import java.util.List;

/** Cedar policies, entities and decisions, the decision endpoints and the policy admin API. */
final class PolicyModule implements Module {

  private final Platform p;
  private final TenancyModule tenancy;
  private final OAuthModule oauth;
  final PolicyService policies;
  final EntityService entities;
  final DecisionService decisions;
  private final DecisionLog decisionLog;

  PolicyModule(Platform p, TenancyModule tenancy, IdentityModule identity, OAuthModule oauth) {
    this.p = p;
    this.tenancy = tenancy;
    this.oauth = oauth;
    PolicyConfig config = p.config.policy();
    PolicyStore store = p.l2 == null ? new JdbcPolicyStore(p.jdbc)
        : new RedisPolicyStore(new JdbcPolicyStore(p.jdbc), p.l2);
    this.policies = new PolicyService(store, p.clock, config.refresh());
    this.entities = new EntityService(store,
        List.of(new ClientEntitySource(oauth.clients), new IdentityEntitySource(identity.users)),
        config.entityNamespace(), policies, p.clock, config.refresh(), EntityLimits.of(config));
    oauth.clients.onChange(entities::changed);
    identity.users.onChange(entities::changed);
    this.decisionLog = new DecisionLog(p.events, config.decisionLogSampleRate(),
        p.metrics.registry());
    this.decisions = new DecisionService(policies, entities, decisionLog, p.clock,
        config.decisionCacheSize(), p.metrics.registry());
  }

  @Override
  public void routing(Routes routes) {
    int policyBody = Math.max(p.config.maxBodyBytes(), 1024 * 1024);
    routes.routing()
        .register(new PolicyHttp(routes.resolver(), p.issuers, oauth.tokens, decisions,
            p.config.policy().entityNamespace(), policyBody))
        .register(new PolicyAdminHttp(routes.adminAuth(), tenancy.tenants, policies, entities,
            decisions, oauth.tokens, Math.max(policyBody, PolicyAdminHttp.MAX_BODY), p.audit));
  }

  @Override
  public void close() {
    decisionLog.close();
  }
}
