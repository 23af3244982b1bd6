package dev.gatehouse.server.webhook;

import dev.gatehouse.server.adminapi.AdminTenants;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.adminapi.AdminAuth;
import dev.gatehouse.server.adminapi.JsonFields;
import dev.gatehouse.server.events.AuditLog;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.ProblemException;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.tenant.TenantService;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin API of webhooks under {@code /admin/v1/tenants/{tenant}/webhooks}: create (the answer
 * holds the signing secret, once), list, show, delete; deliveries ({@code ?status=dead} for the
 * dead letters) and redelivery. Documented in docs/events.md.
 */
public final class WebhooksAdminHttp implements HttpService {

  private static final String BASE = "/admin/v1/tenants/{tenant}/webhooks";
  private static final Set<String> STATUSES = Set.of("pending", "delivered", "dead");

  private final AdminAuth auth;
  private final TenantService tenants;
  private final WebhookService webhooks;
  private final AuditLog audit;
  private final int maxBody;

  public WebhooksAdminHttp(AdminAuth auth, TenantService tenants, WebhookService webhooks,
      AuditLog audit, int maxBody) {
    this.auth = auth;
    this.tenants = tenants;
    this.webhooks = webhooks;
    this.audit = audit;
    this.maxBody = maxBody;
  }

  @Override
  public void routing(HttpRules rules) {
    // The deliveries paths first: `deliveries` is not a subscription id.
    rules.get(BASE + "/deliveries", guard(this::deliveries))
        .post(BASE + "/deliveries/{delivery}/redeliver", guard(this::redeliver))
        .post(BASE, guard(this::create))
        .get(BASE, guard(this::list))
        .get(BASE + "/{id}", guard(this::get))
        .delete(BASE + "/{id}", guard(this::delete));
  }

  private Handler guard(dev.gatehouse.server.http.Handlers.Endpoint e) {
    return auth.guard((req, res) -> {
      try {
        e.handle(req, res);
      } catch (WebhookService.InvalidSubscription ex) {
        throw new ProblemException(400, ex.getMessage());
      }
    });
  }

  private void create(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    JsonNode body = Exchange.jsonObject(req, maxBody);
    JsonFields.allowOnly(body, Set.of("url", "event_types"));
    String url = JsonFields.string(body, "url");
    List<String> types = JsonFields.strings(body, "event_types");
    WebhookService.Created created = audit.change(t.id(), "admin.webhook.created",
        AdminAuth.actor(req), () -> webhooks.create(t.id(), url, types), c -> {
          Map<String, Object> m = AuditLog.target(c.subscription().id());
          m.put("url", c.subscription().url());
          m.put("event_types", c.subscription().eventTypes());
          return m;
        });
    Map<String, Object> json = json(created.subscription());
    json.put("secret", created.secret());
    Exchange.noStore(res);
    Exchange.json(res, 201, json);
  }

  private void list(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    List<Map<String, Object>> items = new ArrayList<>();
    webhooks.list(t.id()).forEach(s -> items.add(json(s)));
    Exchange.json(res, 200, Map.of("items", items));
  }

  private void get(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    String id = req.path().pathParameters().get("id");
    Exchange.json(res, 200, json(webhooks.find(t.id(), id).orElseThrow(() -> notFound(id))));
  }

  private void delete(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    String id = req.path().pathParameters().get("id");
    boolean deleted = audit.change(t.id(), "admin.webhook.deleted", AdminAuth.actor(req),
        () -> webhooks.delete(t.id(), id), d -> d ? AuditLog.target(id) : null);
    if (!deleted) {
      throw notFound(id);
    }
    res.status(204).send();
  }

  private void deliveries(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    String status = req.query().first("status").orElse(null);
    if (status != null && !STATUSES.contains(status)) {
      throw new ProblemException(400, "`status` must be pending, delivered or dead");
    }
    int limit = (int) number(req, "limit", 100, 1, 500);
    long before = number(req, "before", 0, 0, Long.MAX_VALUE);
    List<Map<String, Object>> items = new ArrayList<>();
    List<WebhookStore.Delivery> page = webhooks.deliveries(t.id(), status, before, limit);
    for (WebhookStore.Delivery d : page) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", d.id());
      m.put("webhook_id", d.subscriptionId());
      m.put("event_id", d.eventId());
      m.put("status", d.status());
      m.put("attempts", d.attempts());
      if (d.status().equals("pending")) {
        m.put("next_attempt_at", d.nextAttemptAt() / 1000);
      }
      if (d.lastStatus() != null) {
        m.put("last_status", d.lastStatus());
      }
      if (d.lastError() != null) {
        m.put("last_error", d.lastError());
      }
      m.put("created_at", d.createdAt());
      m.put("updated_at", d.updatedAt() / 1000);
      items.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", items);
    if (page.size() == limit) {
      out.put("next_before", page.get(page.size() - 1).id());
    }
    Exchange.json(res, 200, out);
  }

  private void redeliver(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    String raw = req.path().pathParameters().get("delivery");
    long id;
    try {
      id = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new ProblemException(404, "no delivery `" + AdminTenants.printable(raw) + "`");
    }
    boolean again = audit.change(t.id(), "admin.webhook.redelivered", AdminAuth.actor(req),
        () -> webhooks.redeliver(t.id(), id), ok -> ok ? AuditLog.target(raw) : null);
    if (!again) {
      throw new ProblemException(404, "no delivery " + id + " that is delivered or dead");
    }
    Exchange.json(res, 202, Map.of("id", id, "status", "pending"));
  }

  private static long number(ServerRequest req, String name, long dflt, long min, long max) {
    String raw = req.query().first(name).orElse(null);
    if (raw == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(raw);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Falls through to the problem below.
    }
    throw new ProblemException(400, "`" + name + "` must be a number from " + min + " to " + max);
  }

  private static Map<String, Object> json(Subscription s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("url", s.url());
    m.put("event_types", s.eventTypes());
    m.put("created_at", s.createdAt());
    return m;
  }


  private static ProblemException notFound(String id) {
    return new ProblemException(404, "no webhook `" + AdminTenants.printable(id) + "`");
  }
}
