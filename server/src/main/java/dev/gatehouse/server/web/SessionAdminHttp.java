package dev.gatehouse.server.web;

import dev.gatehouse.server.adminapi.AdminTenants;
import dev.gatehouse.server.adminapi.AdminAuth;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.ProblemException;
import dev.gatehouse.server.session.Session;
import dev.gatehouse.server.session.SessionService;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.tenant.TenantService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin API for SSO sessions: {@code GET /admin/v1/tenants/{tenant}/sessions[?user=ID]} and
 * {@code DELETE /admin/v1/tenants/{tenant}/sessions/{sid}} (which logs the user out everywhere
 * the session reached, back-channel included).
 */
public final class SessionAdminHttp implements HttpService {

  private final AdminAuth auth;
  private final TenantService tenants;
  private final SessionService sessions;
  private final Logout logout;

  public SessionAdminHttp(AdminAuth auth, TenantService tenants, SessionService sessions,
      Logout logout) {
    this.auth = auth;
    this.tenants = tenants;
    this.sessions = sessions;
    this.logout = logout;
  }

  @Override
  public void routing(HttpRules rules) {
    String base = "/admin/v1/tenants/{tenant}/sessions";
    rules.get(base, auth.guard(this::list))
        .delete(base + "/{sid}", auth.guard(this::revoke));
  }

  private void list(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    String user = req.query().first("user").orElse(null);
    List<Map<String, Object>> items = new ArrayList<>();
    for (Session s : sessions.list(t.id(), user, 500)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sid", s.sid());
      m.put("user_id", s.userId());
      m.put("auth_time", s.authTime());
      m.put("amr", s.amr());
      m.put("acr", s.acr());
      m.put("created_at", s.createdAt());
      m.put("expires_at", s.expiresAt());
      m.put("clients", sessions.clients(t.id(), s.sid()));
      items.add(m);
    }
    Exchange.json(res, 200, Map.of("items", items));
  }

  private void revoke(ServerRequest req, ServerResponse res) {
    Tenant t = AdminTenants.require(tenants, req);
    String sid = req.path().pathParameters().get("sid");
    Session s = sessions.find(t.id(), sid).orElseThrow(() ->
        new ProblemException(404, "no active session `" + AdminTenants.printable(sid)
            + "`"));
    logout.end(s, Logout.Reason.ADMIN);
    res.status(204).send();
  }

}
