package dev.gatehouse.server;

import dev.gatehouse.server.cache.InvalidationBus;
import dev.gatehouse.server.cache.L2Cache;
import dev.gatehouse.server.keys.KeyService;
import dev.gatehouse.server.oauth.AccessTokenService;
import dev.gatehouse.server.oauth.ClientService;
import dev.gatehouse.server.policy.DecisionService;
import dev.gatehouse.server.policy.EntityService;
import dev.gatehouse.server.policy.PolicyService;
import dev.gatehouse.server.tenant.TenantService;
import java.util.function.Consumer;

/**
 * Keeps the caches of every node true to the database: each service announces its changes on the
 * invalidation bus and applies the other nodes' announcements to its own caches, and the shared
 * cache refuses entries sealed before a change another node announced.
 */
final class CacheCoherence {

  private CacheCoherence() {}

  static void wire(Platform p, TenancyModule tenancy, OAuthModule oauth, PolicyModule policy) {
    if (p.l2 != null) {
      changeHorizon(p.bus, p.l2, tenancy.tenants);
    }
    invalidation(p.bus, tenancy.tenants, tenancy.keys, oauth.clients, oauth.tokens,
        policy.policies, policy.entities, policy.decisions);
  }

  /**
   * Lets the shared cache refuse entries sealed before a change another node announced (a genuine
   * entry copied and written back later). Subscribed before the services, so that a service that
   * reloads on the same message already finds the old entries refused.
   */
  private static void changeHorizon(InvalidationBus bus, L2Cache l2, TenantService tenants) {
    // A tenant deleted or created again: nothing of its earlier life is served from Redis.
    tenants.onChange(t -> l2.changed(t, null));
    bus.subscribe("tenant", t -> l2.changed(t, null));
    bus.subscribe("keys", t -> l2.changed(t, "keys"));
    bus.subscribe("clients", t -> l2.changed(t, "client"));
    bus.subscribe("policies", t -> l2.changed(t, "policy"));
    bus.subscribe("revoked", m -> {
      String[] parts = m.split("\u0000", 3);
      if (parts.length == 3 && parts[0].equals("opaque")) {
        l2.changed(parts[1], "opaque");
      }
    });
  }

  private static void invalidation(InvalidationBus bus, TenantService tenants, KeyService keys,
      ClientService clients, AccessTokenService tokens, PolicyService policies,
      EntityService entities, DecisionService decisions) {
    // A tenant deleted (or recreated under its name) leaves nothing cached anywhere.
    Consumer<String> forgetTenant = t -> {
      tenants.invalidate(t);
      keys.invalidate(t);
      clients.forgetTenant(t);
      tokens.forgetTenant(t);
      policies.invalidate(t);
      entities.invalidate(t);
      decisions.forgetTenant(t);
    };
    tenants.onChange(t -> {
      forgetTenant.accept(t);
      bus.publish("tenant", t);
    });
    bus.subscribe("tenant", forgetTenant);
    keys.onChange(t -> bus.publish("keys", t));
    bus.subscribe("keys", keys::invalidate);
    clients.onChange(t -> bus.publish("clients", t));
    bus.subscribe("clients", clients::forgetTenant);
    tokens.onRevoke(m -> bus.publish("revoked", m));
    bus.subscribe("revoked", tokens::revokedElsewhere);
    policies.onChange(t -> bus.publish("policies", t));
    bus.subscribe("policies", policies::invalidate);
    entities.onChange(t -> bus.publish("entities", t));
    bus.subscribe("entities", entities::invalidate);
  }
}
