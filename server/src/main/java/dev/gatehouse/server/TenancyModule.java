package dev.gatehouse.server;

import dev.gatehouse.server.keys.JdbcKeyStore;
import dev.gatehouse.server.keys.KeyService;
import dev.gatehouse.server.keys.KeyStore;
import dev.gatehouse.server.keys.RedisKeyStore;
import dev.gatehouse.server.tenant.JdbcTenantStore;
import dev.gatehouse.server.tenant.RedisTenantStore;
import dev.gatehouse.server.tenant.TenantResolver;
import dev.gatehouse.server.tenant.TenantService;
import dev.gatehouse.server.tenant.TenantStore;

/** Tenants and their signing keys; the tenant endpoints live in the admin module. */
final class TenancyModule implements Module {

  final KeyService keys;
  final TenantService tenants;
  final TenantResolver resolver;

  TenancyModule(Platform p) {
    KeyStore keyStore = p.l2 == null ? new JdbcKeyStore(p.jdbc)
        : new RedisKeyStore(new JdbcKeyStore(p.jdbc), p.l2);
    TenantStore tenantStore = p.l2 == null ? new JdbcTenantStore(p.jdbc)
        : new RedisTenantStore(new JdbcTenantStore(p.jdbc), p.l2);
    this.keys = new KeyService(keyStore, p.masterKey, p.clock, p.config.maxAccessTokenTtl());
    this.tenants = new TenantService(tenantStore, keys, p.clock);
    tenants.monitor(p.metrics.registry());
    keys.monitor(p.metrics.registry());
    this.resolver = new TenantResolver(tenants);
  }

  @Override
  public void routing(Routes routes) {}
}
