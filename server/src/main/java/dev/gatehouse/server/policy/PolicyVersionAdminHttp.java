package dev.gatehouse.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.gatehouse.server.events.AuditLog;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.ProblemException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** A tenant's policy versions through the admin API: list, show, diff, roll back. */
final class PolicyVersionAdminHttp {

  private final PolicyService policies;
  private final AuditLog audit;
  private final AdminRequests requests;

  PolicyVersionAdminHttp(PolicyService policies, AuditLog audit, AdminRequests requests) {
    this.policies = policies;
    this.audit = audit;
    this.requests = requests;
  }

  void history(AdminCall c, ServerRequest req, ServerResponse res) {
    int limit = AdminRequests.intParam(req, "limit", 100, 1, AdminRequests.PAGE_MAX);
    long before = AdminRequests.intParam(req, "before", 0, 0, Integer.MAX_VALUE);
    List<Map<String, Object>> items = new ArrayList<>();
    for (PolicyVersion v : policies.history(c.tenant().id(), before, limit)) {
      items.add(VersionJson.of(v, false));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("items", items);
    if (items.size() == limit) {
      m.put("next_before", items.get(items.size() - 1).get("version"));
    }
    Exchange.json(res, 200, m);
  }

  void getVersion(AdminCall c, ServerRequest req, ServerResponse res) {
    long n = AdminRequests.versionParam(req.path().pathParameters().first("version").orElse(""));
    PolicyVersion v = policies.version(c.tenant().id(), n).orElseThrow(() ->
        new ProblemException(404, "no policy version " + n));
    Exchange.json(res, 200, VersionJson.of(v, true));
  }

  void diff(AdminCall c, ServerRequest req, ServerResponse res) {
    long from = AdminRequests.versionParam(req.query().first("from").orElse(""));
    long to = req.query().first("to").isPresent()
        ? AdminRequests.versionParam(req.query().first("to").get()) : policies.active(c.tenant().id()).version();
    Map<String, List<String>> d = policies.diff(c.tenant().id(), from, to).orElseThrow(() ->
        new ProblemException(404, "no such policy version"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", from);
    m.put("to", to);
    m.put("changes", d);
    Exchange.json(res, 200, m);
  }

  void rollback(AdminCall c, ServerRequest req, ServerResponse res) {
    JsonNode body = requests.object(req, Set.of("version", "message"));
    JsonNode n = body.get("version");
    if (n == null || !n.canConvertToLong() || n.asLong() < 1) {
      throw new ProblemException(400, "`version` must be a version number");
    }
    PolicyVersion v = audit.change(c.tenant().id(), "policy.rolled_back", c.author(),
        () -> policies.rollback(c.tenant().id(), c.author(), n.asLong(),
            AdminRequests.string(body, "message", false)),
        o -> o.map(VersionJson::event).orElse(null)).orElseThrow(() ->
            new ProblemException(404, "no policy version " + n.asLong()));
    Exchange.json(res, 200, VersionJson.of(v, false));
  }
}
