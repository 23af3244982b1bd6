package dev.gatehouse.server.policy;

import dev.gatehouse.server.adminapi.AdminTenants;
import dev.gatehouse.server.events.AuditLog;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.json.Json;
import dev.gatehouse.server.adminapi.AdminAuth;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.Handlers;
import dev.gatehouse.server.http.HttpError;
import dev.gatehouse.server.http.ProblemException;
import dev.gatehouse.server.oauth.AccessTokenService;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.tenant.TenantService;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.MDC;

/**
 * The admin API of policies and entities under {@code /admin/v1/tenants/{tenant}}: schema,
 * policies, template links, versions (list, show, diff, roll back), validation, entities, and
 * decisions for testing. Problems are {@code application/problem+json}; a refused write adds an
 * {@code errors} array of {@code {policy, message, line, column}}. Documented in
 * docs/admin-api.md.
 */
public final class PolicyAdminHttp implements HttpService {

  private static final String T = "/admin/v1/tenants/{tenant}";
  private static final int PAGE_MAX = 500;
  /**
   * The body limit of this API: 512 KiB of policy or schema text may take six bytes a character
   * once JSON-escaped ({@code \u0000}), so a text the policy store accepts always fits.
   */
  public static final int MAX_BODY = 4 * 1024 * 1024;

  private final AdminAuth auth;
  private final TenantService tenants;
  private final PolicyService policies;
  private final EntityService entities;
  private final DecisionService decisions;
  private final AccessTokenService tokens;
  private final int maxBody;
  private final AuditLog audit;

  public PolicyAdminHttp(AdminAuth auth, TenantService tenants, PolicyService policies,
      EntityService entities, DecisionService decisions, AccessTokenService tokens, int maxBody,
      AuditLog audit) {
    this.audit = audit;
    this.auth = auth;
    this.tenants = tenants;
    this.policies = policies;
    this.entities = entities;
    this.decisions = decisions;
    this.tokens = tokens;
    this.maxBody = maxBody;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get(T + "/policies", guarded(this::getPolicies))
        .put(T + "/policies", guarded(this::putPolicies))
        .post(T + "/policies/validate", guarded(this::validate))
        .get(T + "/policies/schema", guarded(this::getSchema))
        .put(T + "/policies/schema", guarded(this::putSchema))
        .get(T + "/policies/links", guarded(this::getLinks))
        .put(T + "/policies/links/{link}", guarded(this::putLink))
        .delete(T + "/policies/links/{link}", guarded(this::deleteLink))
        .get(T + "/policies/versions", guarded(this::history))
        .get(T + "/policies/versions/{version}", guarded(this::getVersion))
        .get(T + "/policies/diff", guarded(this::diff))
        .post(T + "/policies/rollback", guarded(this::rollback))
        .post(T + "/authorize", guarded(this::authorize))
        .post(T + "/authorize/batch", guarded(this::authorizeBatch))
        .get(T + "/entities", guarded(this::listEntities))
        .post(T + "/entities", guarded(this::upsertEntities))
        .post(T + "/entities/bulk", guarded(this::bulkEntities))
        .post(T + "/entities/delete", guarded(this::deleteEntities));
  }

  private record Call(Tenant tenant, String author) {}

  @FunctionalInterface
  private interface Endpoint {
    void handle(Call call, ServerRequest req, ServerResponse res);
  }

  private Handler guarded(Endpoint endpoint) {
    return Handlers.problem((req, res) -> {
      String author = auth.require(req, res).clientId();
      Tenant t = AdminTenants.require(tenants, req);
      try {
        endpoint.handle(new Call(t, author), req, res);
      } catch (Problem.Refused e) {
        refused(res, e);
      } catch (Uids.BadRequest e) {
        throw new ProblemException(400, e.getMessage());
      } catch (PolicyService.ConcurrentChange e) {
        throw new ProblemException(409, e.getMessage());
      }
    });
  }

  /** RFC 9457 with the extension member {@code errors}. */
  private static void refused(ServerResponse res, Problem.Refused e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", "Bad Request");
    body.put("status", 400);
    body.put("detail", e.getMessage() + "; the active version is unchanged");
    body.put("errors", Problem.toJson(e.problems()));
    String rid = MDC.get("request_id");
    if (rid != null) {
      body.put("request_id", rid);
    }
    String trace = MDC.get("trace_id");
    if (trace != null) {
      body.put("trace_id", trace);
    }
    Exchange.send(res, 400, "application/problem+json", body);
  }

  // ------------------------------------------------------------------ policies

  private void getPolicies(Call c, ServerRequest req, ServerResponse res) {
    PolicyVersion v = policies.active(c.tenant.id());
    Map<String, Object> m = versionJson(v, true);
    m.put("warnings", policies.warnings(c.tenant.id()));
    Exchange.json(res, 200, m);
  }

  private void putPolicies(Call c, ServerRequest req, ServerResponse res) {
    JsonNode body = object(req, Set.of("policies", "message"));
    String text = string(body, "policies", true);
    PolicyVersion v = audit.change(c.tenant.id(), "policy.updated", c.author,
        () -> policies.putPolicies(c.tenant.id(), c.author, text,
        string(body, "message", false)), PolicyAdminHttp::versionEvent);
    Map<String, Object> m = versionJson(v, false);
    m.put("warnings", policies.warnings(c.tenant.id()));
    Exchange.json(res, 200, m);
  }

  private void validate(Call c, ServerRequest req, ServerResponse res) {
    JsonNode body = object(req, Set.of("policies"));
    PolicyService.Report r = policies.validate(c.tenant.id(), string(body, "policies", true));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid", r.valid());
    m.put("schema_checked", r.schemaChecked());
    m.put("errors", Problem.toJson(r.errors()));
    m.put("warnings", r.warnings());
    Exchange.json(res, 200, m);
  }

  private void getSchema(Call c, ServerRequest req, ServerResponse res) {
    PolicyVersion v = policies.active(c.tenant.id());
    Exchange.json(res, 200, Map.of("version", v.version(), "format", v.schemaFormat(),
        "schema", v.schemaText()));
  }

  private void putSchema(Call c, ServerRequest req, ServerResponse res) {
    JsonNode body = object(req, Set.of("schema", "format", "message"));
    JsonNode schema = body.get("schema");
    String format = string(body, "format", false);
    String text;
    if (schema != null && schema.isObject()) {
      // A JSON schema given inline as an object.
      text = schema.toString();
      format = format == null ? "json" : format;
    } else {
      text = string(body, "schema", true);
      if (format == null) {
        format = text.stripLeading().startsWith("{") ? "json" : "cedar";
      }
    }
    String f = format;
    PolicyVersion v = audit.change(c.tenant.id(), "policy.schema.updated", c.author,
        () -> policies.putSchema(c.tenant.id(), c.author, f, text,
            string(body, "message", false)), PolicyAdminHttp::versionEvent);
    Exchange.json(res, 200, versionJson(v, false));
  }

  private void getLinks(Call c, ServerRequest req, ServerResponse res) {
    PolicyVersion v = policies.active(c.tenant.id());
    Exchange.json(res, 200, Map.of("version", v.version(), "items",
        TemplateLink.read(v.links()).stream().map(TemplateLink::toJson).toList()));
  }

  private void putLink(Call c, ServerRequest req, ServerResponse res) {
    JsonNode body = object(req, Set.of("template", "values", "message"));
    String id = req.path().pathParameters().first("link").orElse("");
    com.fasterxml.jackson.databind.node.ObjectNode n = body.deepCopy();
    n.put("id", id);
    n.remove("message");
    TemplateLink link = TemplateLink.fromJson(n);
    PolicyVersion v = audit.change(c.tenant.id(), "policy.link.updated", c.author,
        () -> policies.putLink(c.tenant.id(), c.author, link,
        string(body, "message", false)), PolicyAdminHttp::versionEvent);
    Exchange.json(res, 200, versionJson(v, false));
  }

  private void deleteLink(Call c, ServerRequest req, ServerResponse res) {
    String id = req.path().pathParameters().first("link").orElse("");
    PolicyVersion v = audit.change(c.tenant.id(), "policy.link.deleted", c.author,
        () -> policies.deleteLink(c.tenant.id(), c.author, id,
            req.query().first("message").orElse(null)),
        o -> o.map(PolicyAdminHttp::versionEvent).orElse(null)).orElseThrow(() ->
            new ProblemException(404, "no template link `" + id + "`"));
    Exchange.json(res, 200, versionJson(v, false));
  }

  private void history(Call c, ServerRequest req, ServerResponse res) {
    int limit = intParam(req, "limit", 100, 1, PAGE_MAX);
    long before = intParam(req, "before", 0, 0, Integer.MAX_VALUE);
    List<Map<String, Object>> items = new ArrayList<>();
    for (PolicyVersion v : policies.history(c.tenant.id(), before, limit)) {
      items.add(versionJson(v, false));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("items", items);
    if (items.size() == limit) {
      m.put("next_before", items.get(items.size() - 1).get("version"));
    }
    Exchange.json(res, 200, m);
  }

  private void getVersion(Call c, ServerRequest req, ServerResponse res) {
    long n = versionParam(req.path().pathParameters().first("version").orElse(""));
    PolicyVersion v = policies.version(c.tenant.id(), n).orElseThrow(() ->
        new ProblemException(404, "no policy version " + n));
    Exchange.json(res, 200, versionJson(v, true));
  }

  private void diff(Call c, ServerRequest req, ServerResponse res) {
    long from = versionParam(req.query().first("from").orElse(""));
    long to = req.query().first("to").isPresent()
        ? versionParam(req.query().first("to").get()) : policies.active(c.tenant.id()).version();
    Map<String, List<String>> d = policies.diff(c.tenant.id(), from, to).orElseThrow(() ->
        new ProblemException(404, "no such policy version"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", from);
    m.put("to", to);
    m.put("changes", d);
    Exchange.json(res, 200, m);
  }

  private void rollback(Call c, ServerRequest req, ServerResponse res) {
    JsonNode body = object(req, Set.of("version", "message"));
    JsonNode n = body.get("version");
    if (n == null || !n.canConvertToLong() || n.asLong() < 1) {
      throw new ProblemException(400, "`version` must be a version number");
    }
    PolicyVersion v = audit.change(c.tenant.id(), "policy.rolled_back", c.author,
        () -> policies.rollback(c.tenant.id(), c.author, n.asLong(),
            string(body, "message", false)),
        o -> o.map(PolicyAdminHttp::versionEvent).orElse(null)).orElseThrow(() ->
            new ProblemException(404, "no policy version " + n.asLong()));
    Exchange.json(res, 200, versionJson(v, false));
  }

  // ----------------------------------------------------------------- decisions

  private DecisionJson decisionJson(String tenantId) {
    return new DecisionJson(entities.namespace(), entities.limits(),
        t -> tokens.introspect(tenantId, t));
  }

  private void authorize(Call c, ServerRequest req, ServerResponse res) {
    DecisionRequest dr = decisionJson(c.tenant.id()).request(cedarBody(req));
    Exchange.json(res, 200, decisions.decide(c.tenant.id(), dr, c.author).toJson());
  }

  private void authorizeBatch(Call c, ServerRequest req, ServerResponse res) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (DecisionRequest dr : decisionJson(c.tenant.id()).batch(cedarBody(req))) {
      out.add(decisions.decide(c.tenant.id(), dr, c.author).toJson());
    }
    Exchange.json(res, 200, Map.of("results", out));
  }

  // ------------------------------------------------------------------ entities

  private void listEntities(Call c, ServerRequest req, ServerResponse res) {
    int limit = intParam(req, "limit", 100, 1, PAGE_MAX);
    List<PolicyStore.StoredEntity> page = entities.list(c.tenant.id(),
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
    m.put("entity_version", entities.version(c.tenant.id()));
    m.put("items", items);
    if (page.size() == limit) {
      m.put("next_after", page.get(page.size() - 1).uid());
    }
    Exchange.json(res, 200, m);
  }

  private void upsertEntities(Call c, ServerRequest req, ServerResponse res) {
    String text = text(req, "application/json");
    long v = audit.change(c.tenant.id(), "admin.entities.upserted", c.author,
        () -> entities.upsert(c.tenant.id(), text), PolicyAdminHttp::entityEvent);
    Exchange.json(res, 200, Map.of("entity_version", v));
  }

  private void bulkEntities(Call c, ServerRequest req, ServerResponse res) {
    String text = text(req, "application/x-ndjson");
    long v = audit.change(c.tenant.id(), "admin.entities.upserted", c.author,
        () -> entities.upsertNdjson(c.tenant.id(), text), PolicyAdminHttp::entityEvent);
    Exchange.json(res, 200, Map.of("entity_version", v));
  }

  private void deleteEntities(Call c, ServerRequest req, ServerResponse res) {
    Json.Obj o = cedarBody(req);
    if (o.fields().size() != 1 || !(o.get("uids") instanceof Json.Arr arr)) {
      throw new ProblemException(400, "the body must be {\"uids\": [...]}");
    }
    List<EntityUid> uids = new ArrayList<>();
    for (Json j : arr.items()) {
      uids.add(Uids.from(j, "uids[" + uids.size() + "]"));
    }
    long v = audit.change(c.tenant.id(), "admin.entities.deleted", c.author,
        () -> entities.delete(c.tenant.id(), uids), n -> {
          Map<String, Object> m = entityEvent(n);
          m.put("uids", uids.stream().map(Object::toString).toList());
          return m;
        });
    Exchange.json(res, 200, Map.of("entity_version", v));
  }

  // ------------------------------------------------------------------- helpers

  private static Map<String, Object> versionEvent(PolicyVersion v) {
    Map<String, Object> m = AuditLog.target("policies");
    m.put("version", v.version());
    return m;
  }

  private static Map<String, Object> entityEvent(long version) {
    Map<String, Object> m = AuditLog.target("entities");
    m.put("entity_version", version);
    return m;
  }

  private static Map<String, Object> versionJson(PolicyVersion v, boolean full) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", v.version());
    m.put("author", v.author());
    m.put("message", v.message());
    m.put("created_at", v.createdAt());
    if (v.copiedFrom() != null) {
      m.put("copied_from", v.copiedFrom());
    }
    m.put("schema_format", v.schemaFormat());
    if (full) {
      m.put("schema", v.schemaText());
      m.put("policies", v.policies());
      m.put("links", TemplateLink.read(v.links()).stream().map(TemplateLink::toJson).toList());
    }
    return m;
  }

  private JsonNode object(ServerRequest req, Set<String> allowed) {
    JsonNode body = Exchange.jsonObject(req, maxBody);
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw new ProblemException(400, "unknown field `" + f + "`; known: "
            + String.join(", ", new java.util.TreeSet<>(allowed)));
      }
    }
    return body;
  }

  private static String string(JsonNode body, String field, boolean required) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw new ProblemException(400, "`" + field + "` is required");
      }
      return null;
    }
    if (!n.isTextual()) {
      throw new ProblemException(400, "`" + field + "` must be a string");
    }
    return n.asText();
  }

  private String text(ServerRequest req, String mediaType) {
    String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("")
        .toLowerCase(Locale.ROOT);
    if (!type.startsWith(mediaType)) {
      throw new HttpError(415, "unsupported_media_type", "the body must be " + mediaType);
    }
    return new String(Exchange.body(req, maxBody), StandardCharsets.UTF_8);
  }

  private Json.Obj cedarBody(ServerRequest req) {
    return DecisionJson.object(text(req, "application/json").getBytes(StandardCharsets.UTF_8));
  }

  private static long versionParam(String raw) {
    try {
      long n = Long.parseLong(raw);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ProblemException(400, "a version is a whole number, not `"
          + raw.replaceAll("[^\\x20-\\x7e]", "?") + "`");
    }
  }

  private static int intParam(ServerRequest req, String name, int dflt, int min, int max) {
    String raw = req.query().first(name).orElse(null);
    if (raw == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(raw);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ProblemException(400, "`" + name + "` must be between " + min + " and " + max);
    }
  }
}
