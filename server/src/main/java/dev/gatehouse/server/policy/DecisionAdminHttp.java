package dev.gatehouse.server.policy;

import dev.gatehouse.server.oauth.AccessTokenService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.gatehouse.server.events.AuditLog;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.ProblemException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Decisions through the admin API, for testing policies: one request or a batch, answered as the
 * decision endpoint would, with the admin client as the decision log's caller.
 */
final class DecisionAdminHttp {

  private final EntityService entities;
  private final DecisionService decisions;
  private final AccessTokenService tokens;
  private final AdminRequests requests;

  DecisionAdminHttp(EntityService entities, DecisionService decisions, AccessTokenService tokens,
      AdminRequests requests) {
    this.entities = entities;
    this.decisions = decisions;
    this.tokens = tokens;
    this.requests = requests;
  }

  private DecisionJson decisionJson(String tenantId) {
    return new DecisionJson(entities.namespace(), entities.limits(),
        t -> tokens.introspect(tenantId, t));
  }

  void authorize(AdminCall c, ServerRequest req, ServerResponse res) {
    DecisionRequest dr = decisionJson(c.tenant().id()).request(requests.cedarBody(req));
    Exchange.json(res, 200, decisions.decide(c.tenant().id(), dr, c.author()).toJson());
  }

  void authorizeBatch(AdminCall c, ServerRequest req, ServerResponse res) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (DecisionRequest dr : decisionJson(c.tenant().id()).batch(requests.cedarBody(req))) {
      out.add(decisions.decide(c.tenant().id(), dr, c.author()).toJson());
    }
    Exchange.json(res, 200, Map.of("results", out));
  }
}
