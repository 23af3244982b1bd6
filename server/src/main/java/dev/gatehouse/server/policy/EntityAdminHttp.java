package dev.gatehouse.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.gatehouse.server.events.AuditLog;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.ProblemException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** A tenant's stored entities through the admin API: list, upsert (JSON or NDJSON), delete. */
final class EntityAdminHttp {

  private final EntityService entities;
  private final AuditLog audit;
  private final AdminRequests requests;

  EntityAdminHttp(EntityService entities, AuditLog audit, AdminRequests requests) {
    this.entities = entities;
    this.audit = audit;
    this.requests = requests;
  }

  void listEntities(AdminCall c, ServerRequest req, ServerResponse res) {
    int limit = AdminRequests.intParam(req, "limit", 100, 1, AdminRequests.PAGE_MAX);
    List<PolicyStore.StoredEntity> page = entities.list(c.tenant().id(),
        req.query().first("after").orElse(null), limit);
    List<JsonNode> items = new ArrayList<>();
    for (PolicyStore.StoredEntity e : page) {
      try {
        items.add(Exchange.JSON.readTree(e.body()));
      } catch (java.io.IOException ex) {
        throw new IllegalStateException(ex);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("entity_version", entities.version(c.tenant().id()));
    m.put("items", items);
    if (page.size() == limit) {
      m.put("next_after", page.get(page.size() - 1).uid());
    }
    Exchange.json(res, 200, m);
  }

  void upsertEntities(AdminCall c, ServerRequest req, ServerResponse res) {
    String text = requests.text(req, "application/json");
    long v = audit.change(c.tenant().id(), "admin.entities.upserted", c.author(),
        () -> entities.upsert(c.tenant().id(), text), EntityAdminHttp::event);
    Exchange.json(res, 200, Map.of("entity_version", v));
  }

  void bulkEntities(AdminCall c, ServerRequest req, ServerResponse res) {
    String text = requests.text(req, "application/x-ndjson");
    long v = audit.change(c.tenant().id(), "admin.entities.upserted", c.author(),
        () -> entities.upsertNdjson(c.tenant().id(), text), EntityAdminHttp::event);
    Exchange.json(res, 200, Map.of("entity_version", v));
  }

  void deleteEntities(AdminCall c, ServerRequest req, ServerResponse res) {
    Json.Obj o = requests.cedarBody(req);
    if (o.fields().size() != 1 || !(o.get("uids") instanceof Json.Arr arr)) {
      throw new ProblemException(400, "the body must be {\"uids\": [...]}");
    }
    List<EntityUid> uids = new ArrayList<>();
    for (Json j : arr.items()) {
      uids.add(Uids.from(j, "uids[" + uids.size() + "]"));
    }
    long v = audit.change(c.tenant().id(), "admin.entities.deleted", c.author(),
        () -> entities.delete(c.tenant().id(), uids), n -> {
          Map<String, Object> m = event(n);
          m.put("uids", uids.stream().map(Object::toString).toList());
          return m;
        });
    Exchange.json(res, 200, Map.of("entity_version", v));
  }

  /** The audit event details of an entity write. */
  static Map<String, Object> event(long version) {
    Map<String, Object> m = AuditLog.target("entities");
    m.put("entity_version", version);
    return m;
  }
}
