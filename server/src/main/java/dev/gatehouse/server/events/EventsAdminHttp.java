package dev.gatehouse.server.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.adminapi.AdminAuth;
import dev.gatehouse.server.adminapi.AdminTenants;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.ProblemException;
import dev.gatehouse.server.tenant.TenantService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /admin/v1/tenants/{t}/events}: a tenant's events from the outbox, oldest first, as a
 * long poll — what {@code gatehouse events tail} follows. Works with or without Redis.
 *
 * <p>Without {@code after}, the answer is empty with the newest id, the place to start following
 * from, and the name of the installation's Redis Stream; with {@code wait=S} (up to 30) an empty answer waits up to S seconds for a new event.
 */
public final class EventsAdminHttp implements HttpService {

  private static final int MAX_WAIT_SECONDS = 30;

  private final AdminAuth auth;
  private final TenantService tenants;
  private final EventOutbox outbox;
  private final String installation;

  public EventsAdminHttp(AdminAuth auth, TenantService tenants, EventOutbox outbox,
      String installation) {
    this.installation = installation;
    this.auth = auth;
    this.tenants = tenants;
    this.outbox = outbox;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/admin/v1/tenants/{tenant}/events", auth.guard(this::events));
  }

  private void events(ServerRequest req, ServerResponse res) throws InterruptedException {
    String tenant = AdminTenants.require(tenants, req).id();
    int limit = intParam(req, "limit", 100, 1, 1000);
    int wait = intParam(req, "wait", 0, 0, MAX_WAIT_SECONDS);
    String afterRaw = req.query().first("after").orElse(null);
    Map<String, Object> body = new LinkedHashMap<>();
    if (afterRaw == null) {
      body.put("items", List.of());
      body.put("last_id", outbox.latestId(tenant));
      body.put("stream", EventIds.stream(installation));
      Exchange.json(res, 200, body);
      return;
    }
    long after;
    try {
      after = Long.parseLong(afterRaw);
    } catch (NumberFormatException e) {
      throw new ProblemException(400, "`after` must be an event id");
    }
    long deadline = System.nanoTime() + wait * 1_000_000_000L;
    List<EventOutbox.Stored> events = outbox.after(tenant, after, limit);
    while (events.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      events = outbox.after(tenant, after, limit);
    }
    List<Map<String, Object>> items = new ArrayList<>();
    long last = after;
    for (EventOutbox.Stored e : events) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.id());
      m.put("event_id", EventIds.of(installation, e.id()));
      m.put("type", e.type());
      m.put("created_at", e.createdAt());
      m.put("payload", payload(e.payload()));
      items.add(m);
      last = e.id();
    }
    body.put("items", items);
    body.put("last_id", last);
    Exchange.json(res, 200, body);
  }

  private static Object payload(String json) {
    try {
      JsonNode node = Exchange.JSON.readTree(json);
      return node == null ? json : node;
    } catch (IOException e) {
      return json;
    }
  }

  private static int intParam(ServerRequest req, String name, int dflt, int min, int max) {
    String raw = req.query().first(name).orElse(null);
    if (raw == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(raw);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Falls through to the problem below.
    }
    throw new ProblemException(400, "`" + name + "` must be between " + min + " and " + max);
  }
}
