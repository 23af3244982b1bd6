package dev.gatehouse.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import dev.gatehouse.server.events.AuditLog;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.ProblemException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The active policy set of a tenant through the admin API: its policies, validation, schema and
 * template links. Each write makes a new version (see {@link PolicyVersionAdminHttp}).
 */
final class PolicySetAdminHttp {

  private final PolicyService policies;
  private final AuditLog audit;
  private final AdminRequests requests;

  PolicySetAdminHttp(PolicyService policies, AuditLog audit, AdminRequests requests) {
    this.policies = policies;
    this.audit = audit;
    this.requests = requests;
  }

  void getPolicies(AdminCall c, ServerRequest req, ServerResponse res) {
    PolicyVersion v = policies.active(c.tenant().id());
    Map<String, Object> m = VersionJson.of(v, true);
    m.put("warnings", policies.warnings(c.tenant().id()));
    Exchange.json(res, 200, m);
  }

  void putPolicies(AdminCall c, ServerRequest req, ServerResponse res) {
    JsonNode body = requests.object(req, Set.of("policies", "message"));
    String text = AdminRequests.string(body, "policies", true);
    PolicyVersion v = audit.change(c.tenant().id(), "policy.updated", c.author(),
        () -> policies.putPolicies(c.tenant().id(), c.author(), text,
        AdminRequests.string(body, "message", false)), VersionJson::event);
    Map<String, Object> m = VersionJson.of(v, false);
    m.put("warnings", policies.warnings(c.tenant().id()));
    Exchange.json(res, 200, m);
  }

  void validate(AdminCall c, ServerRequest req, ServerResponse res) {
    JsonNode body = requests.object(req, Set.of("policies"));
    PolicyService.Report r = policies.validate(c.tenant().id(), AdminRequests.string(body, "policies", true));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid", r.valid());
    m.put("schema_checked", r.schemaChecked());
    m.put("errors", Problem.toJson(r.errors()));
    m.put("warnings", r.warnings());
    Exchange.json(res, 200, m);
  }

  void getSchema(AdminCall c, ServerRequest req, ServerResponse res) {
    PolicyVersion v = policies.active(c.tenant().id());
    Exchange.json(res, 200, Map.of("version", v.version(), "format", v.schemaFormat(),
        "schema", v.schemaText()));
  }

  void putSchema(AdminCall c, ServerRequest req, ServerResponse res) {
    JsonNode body = requests.object(req, Set.of("schema", "format", "message"));
    JsonNode schema = body.get("schema");
    String format = AdminRequests.string(body, "format", false);
    String text;
    if (schema != null && schema.isObject()) {
      // A JSON schema given inline as an object.
      text = schema.toString();
      format = format == null ? "json" : format;
    } else {
      text = AdminRequests.string(body, "schema", true);
      if (format == null) {
        format = text.stripLeading().startsWith("{") ? "json" : "cedar";
      }
    }
    String f = format;
    PolicyVersion v = audit.change(c.tenant().id(), "policy.schema.updated", c.author(),
        () -> policies.putSchema(c.tenant().id(), c.author(), f, text,
            AdminRequests.string(body, "message", false)), VersionJson::event);
    Exchange.json(res, 200, VersionJson.of(v, false));
  }

  void getLinks(AdminCall c, ServerRequest req, ServerResponse res) {
    PolicyVersion v = policies.active(c.tenant().id());
    Exchange.json(res, 200, Map.of("version", v.version(), "items",
        TemplateLink.read(v.links()).stream().map(TemplateLink::toJson).toList()));
  }

  void putLink(AdminCall c, ServerRequest req, ServerResponse res) {
    JsonNode body = requests.object(req, Set.of("template", "values", "message"));
    String id = req.path().pathParameters().first("link").orElse("");
    com.fasterxml.jackson.databind.node.ObjectNode n = body.deepCopy();
    n.put("id", id);
    n.remove("message");
    TemplateLink link = TemplateLink.fromJson(n);
    PolicyVersion v = audit.change(c.tenant().id(), "policy.link.updated", c.author(),
        () -> policies.putLink(c.tenant().id(), c.author(), link,
        AdminRequests.string(body, "message", false)), VersionJson::event);
    Exchange.json(res, 200, VersionJson.of(v, false));
  }

  void deleteLink(AdminCall c, ServerRequest req, ServerResponse res) {
    String id = req.path().pathParameters().first("link").orElse("");
    PolicyVersion v = audit.change(c.tenant().id(), "policy.link.deleted", c.author(),
        () -> policies.deleteLink(c.tenant().id(), c.author(), id,
            req.query().first("message").orElse(null)),
        o -> o.map(VersionJson::event).orElse(null)).orElseThrow(() ->
            new ProblemException(404, "no template link `" + id + "`"));
    Exchange.json(res, 200, VersionJson.of(v, false));
  }
}
