package dev.gatehouse.server;

import dev.gatehouse.server.config.EventsConfig;
import dev.gatehouse.server.events.EventOutbox;
import dev.gatehouse.server.events.EventsAdminHttp;
import dev.gatehouse.server.events.OutboxRelay;
import dev.gatehouse.server.ops.InventoryMeters;
import dev.gatehouse.server.webhook.JdbcWebhookStore;
import dev.gatehouse.server.webhook.WebhookService;
import dev.gatehouse.server.webhook.WebhookWorker;
import dev.gatehouse.server.webhook.WebhooksAdminHttp;
import java.time.Duration;
import java.util.List;

/**
 * Where events go after the outbox: the relay to Redis Streams, webhooks and their deliveries, and
 * the events and webhooks admin APIs.
 */
final class EventsModule implements Module {

  /** How long events stay in the outbox, published or not, and webhook deliveries are kept. */
  static final Duration EVENT_RETENTION = Duration.ofDays(7);

  private final Platform p;
  private final TenancyModule tenancy;
  private final JdbcWebhookStore webhookStore;
  private final WebhookService webhooks;
  /** Null when webhooks are turned off. */
  private final WebhookWorker webhookWorker;
  /** Null without Redis. */
  private final OutboxRelay relay;

  EventsModule(Platform p, TenancyModule tenancy) {
    this.p = p;
    this.tenancy = tenancy;
    this.webhookStore = new JdbcWebhookStore(p.jdbc, p.outbox);
    this.webhooks = new WebhookService(webhookStore, p.masterKey, p.clock, p.outbound.guard());
    EventsConfig ev = p.config.events();
    this.webhookWorker = ev.webhooksEnabled() ? new WebhookWorker(webhookStore, webhooks,
        p.installation, p.clock, new WebhookWorker.Settings(ev.webhookTimeout(),
            ev.webhookMaxAttempts(), ev.webhookBackoff(), ev.webhookMaxBackoff(),
            ev.webhookPoll()), p.outbound).observe(p.tracing, p.metrics.registry()) : null;
    this.relay = p.config.redisUrl().isEmpty() ? null
        : new OutboxRelay(p.outbox, p.installation, p.config.redisUrl(), p.clock, p.redisGuard)
            .tracing(p.tracing);
  }

  @Override
  public void routing(Routes routes) {
    routes.routing()
        .register(new EventsAdminHttp(routes.adminAuth(), tenancy.tenants, p.outbox,
            p.installation))
        .register(new WebhooksAdminHttp(routes.adminAuth(), tenancy.tenants, webhooks, p.audit,
            p.config.maxBodyBytes()));
  }

  @Override
  public List<Purge> purges() {
    return List.of(
        new Purge("old outbox events",
            () -> p.outbox.purge(p.clock.instant().minus(EVENT_RETENTION).getEpochSecond())),
        new Purge("old webhook deliveries",
            () -> webhookStore.purge(p.clock.instant().minus(EVENT_RETENTION).toEpochMilli())));
  }

  /** Inventory gauges (keys, tenants, the relay's lag) refreshed from the database. */
  @Override
  public List<Refresh> refreshes() {
    InventoryMeters inventory = new InventoryMeters(p.jdbc, p.clock, p.metrics.registry(),
        p.config.observe().keyRotation(), p.config.observe().tenantSeries(),
        relay == null ? null : () -> p.outbox.oldestUnread(EventOutbox.REDIS_STREAM));
    return relay == null
        ? List.of(new Refresh("inventory gauges", Duration.ZERO, Duration.ofSeconds(60),
            inventory::refresh))
        : List.of(new Refresh("inventory gauges", Duration.ZERO, Duration.ofSeconds(60),
            inventory::refresh), new Refresh("relay lag gauge", Duration.ofSeconds(1),
            Duration.ofSeconds(5), inventory::refreshLag));
  }

  @Override
  public void start() {
    if (webhookWorker != null) {
      webhookWorker.start();
    }
  }

  @Override
  public void close() {
    if (webhookWorker != null) {
      webhookWorker.close();
    }
    if (relay != null) {
      relay.close();
    }
  }
}
