package dev.gatehouse.server.policy;

import dev.gatehouse.server.adminapi.AdminAuth;
import dev.gatehouse.server.adminapi.AdminTenants;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.Handlers;
import dev.gatehouse.server.http.ProblemException;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.tenant.TenantService;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * One call of the policy admin API: the tenant its path names and the admin client making it,
 * found by {@link #guard} before the endpoint runs; the endpoint's policy errors become problems.
 *
 * @param tenant the tenant of the {@code {tenant}} path parameter
 * @param author the client id of the admin token, recorded as a version's author
 */
record AdminCall(Tenant tenant, String author) {

  /** Endpoint code of the policy admin API. */
  @FunctionalInterface
  interface Endpoint {
    void handle(AdminCall call, ServerRequest req, ServerResponse res);
  }

  /**
   * Wraps an endpoint: the admin token and tenant checked first, then a refused policy write as
   * 400 with its {@code errors}, a bad entity or uid as 400, a concurrent change as 409.
   */
  static Handler guard(AdminAuth auth, TenantService tenants, Endpoint endpoint) {
    return Handlers.problem((req, res) -> {
      String author = auth.require(req, res).clientId();
      Tenant t = AdminTenants.require(tenants, req);
      try {
        endpoint.handle(new AdminCall(t, author), req, res);
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
}
