package dev.gatehouse.server;

import dev.gatehouse.server.detect.DetectAdminHttp;
import dev.gatehouse.server.detect.InMemoryBlockList;

/**
 * The admin API of attack detection (blocks). Detection itself taps the event sink the
 * {@link Platform} hands every feature, so it sees what they write (docs/attack-protection.md).
 */
final class AttackDetectionModule implements Module {

  private final Platform p;
  private final TenancyModule tenancy;

  AttackDetectionModule(Platform p, TenancyModule tenancy) {
    this.p = p;
    this.tenancy = tenancy;
  }

  @Override
  public void routing(Routes routes) {
    routes.routing().register(new DetectAdminHttp(routes.adminAuth(), tenancy.tenants,
        p.detection == null ? new InMemoryBlockList(1) : p.detection.engine().blocks(), p.clock));
  }
}
