package dev.gatehouse.server.adminapi;

import dev.gatehouse.server.http.ProblemException;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.tenant.TenantService;
import io.helidon.webserver.http.ServerRequest;

/** The admin API's tenant lookup: the tenant its path names, or a 404 problem. */
public final class AdminTenants {

  private AdminTenants() {}

  /** The tenant of the {@code {tenant}} path parameter; 404 problem+json when there is none. */
  public static Tenant require(TenantService tenants, ServerRequest req) {
    String id = req.path().pathParameters().first("tenant").orElse("");
    return tenants.find(id).orElseThrow(() -> new ProblemException(404, "no tenant `"
        + printable(id) + "`"));
  }

  /**
   * User input fit for an admin API message: printable ASCII only, anything else as {@code ?};
   * null as the empty string.
   */
  public static String printable(String s) {
    return s == null ? "" : s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
