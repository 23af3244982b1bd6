package dev.gatehouse.server.ops;

import dev.gatehouse.server.store.Jdbc;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Gauges read from the database on a schedule rather than at each scrape (a scrape must stay cheap
 * with 100,000 tenants): the tenant count, signing key age against the rotation period, and the
 * age of the oldest event not yet published to the Redis Stream (the outbox lag).
 *
 * <ul>
 *   <li>{@code gatehouse_tenants}: tenants in the installation.
 *   <li>{@code gatehouse_keys_oldest_age_seconds}: age of the oldest active signing key of any
 *       tenant; {@code gatehouse_keys_rotation_period_seconds}: the configured rotation period;
 *       {@code gatehouse_keys_next_rotation_days}: days until the oldest key is due (negative:
 *       overdue); {@code gatehouse_keys_rotation_overdue_tenants}: tenants past the period.
 *   <li>{@code gatehouse_tenant_key_age_seconds{tenant}} for the {@code metrics.tenant-series}
 *       tenants with the oldest keys: bounded, so the series count never grows with tenants.
 *   <li>{@code gatehouse_outbox_lag_seconds}: only on nodes that relay (Redis configured).
 * </ul>
 */
public final class InventoryMeters {

  private final Jdbc jdbc;
  private final Clock clock;
  private final long rotationSeconds;
  private final int tenantSeries;
  /** The time of the oldest event the relay has not published; null when this node has none. */
  private final Supplier<OptionalLong> unpublished;
  private final MultiGauge tenantKeyAge;
  private volatile double tenants = Double.NaN;
  private volatile double oldestKeyAge = Double.NaN;
  private volatile double overdue = Double.NaN;
  private volatile double outboxLag = Double.NaN;

  public InventoryMeters(Jdbc jdbc, Clock clock, MeterRegistry registry, Duration rotation,
      int tenantSeries, Supplier<OptionalLong> unpublished) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.rotationSeconds = rotation.toSeconds();
    this.tenantSeries = tenantSeries;
    this.unpublished = unpublished;
    Gauge.builder("gatehouse.tenants", this, m -> m.tenants)
        .description("tenants in the installation").register(registry);
    Gauge.builder("gatehouse.keys.oldest.age", this, m -> m.oldestKeyAge).baseUnit("seconds")
        .description("age of the oldest active signing key of any tenant").register(registry);
    Gauge.builder("gatehouse.keys.rotation.period", this, m -> m.rotationSeconds)
        .baseUnit("seconds").description("how old a signing key may grow before it is due for"
            + " rotation (keys.rotation-days)").register(registry);
    Gauge.builder("gatehouse.keys.next.rotation.days", this,
            m -> (m.rotationSeconds - m.oldestKeyAge) / 86_400.0)
        .description("days until the oldest active signing key is due for rotation; negative"
            + " when overdue").register(registry);
    Gauge.builder("gatehouse.keys.rotation.overdue.tenants", this, m -> m.overdue)
        .description("tenants whose active signing key is older than the rotation period")
        .register(registry);
    this.tenantKeyAge = MultiGauge.builder("gatehouse.tenant.key.age").baseUnit("seconds")
        .description("age of the active signing key of the tenants with the oldest keys"
            + " (metrics.tenant-series of them)").register(registry);
    if (unpublished != null) {
      Gauge.builder("gatehouse.outbox.lag", this, m -> m.outboxLag).baseUnit("seconds")
          .description("age of the oldest event not yet published to the Redis Stream; 0 when"
              + " all are").register(registry);
    }
  }

  /** Reads every figure once; a database outage leaves the last ones in place. */
  public void refresh() {
    long now = clock.instant().getEpochSecond();
    tenants = jdbc.queryOne("select count(*) from tenant", rs -> rs.getLong(1)).orElse(0L);
    List<long[]> oldest = new ArrayList<>();
    List<String> names = new ArrayList<>();
    // The oldest active key of each tenant (every algorithm it signs with counts).
    jdbc.query("select tenant_id, min(created_at) from signing_key where state = 'active'"
        + " group by tenant_id order by min(created_at), tenant_id limit ?", rs -> {
          names.add(rs.getString(1));
          oldest.add(new long[] {rs.getLong(2)});
          return null;
        }, Math.max(1, tenantSeries));
    oldestKeyAge = oldest.isEmpty() ? 0 : Math.max(0, now - oldest.get(0)[0]);
    overdue = jdbc.queryOne("select count(*) from (select tenant_id from signing_key where"
        + " state = 'active' group by tenant_id having min(created_at) < ?) o",
        rs -> rs.getLong(1), now - rotationSeconds).orElse(0L);
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (int i = 0; i < Math.min(tenantSeries, names.size()); i++) {
      rows.add(MultiGauge.Row.of(Tags.of("tenant", names.get(i)),
          (double) Math.max(0, now - oldest.get(i)[0])));
    }
    tenantKeyAge.register(rows, true);
  }

  /** Reads the outbox lag (one indexed row); run more often than {@link #refresh}. */
  public void refreshLag() {
    if (unpublished != null) {
      long now = clock.instant().getEpochSecond();
      OptionalLong created = unpublished.get();
      outboxLag = created.isPresent() ? Math.max(0, now - created.getAsLong()) : 0.0;
    }
  }
}
