package dev.gatehouse.server.tenant;

import dev.gatehouse.server.http.Form;
import dev.gatehouse.server.http.HttpError;
import io.helidon.webserver.http.ServerRequest;

/** Finds the tenant named by the {@code {tenant}} path segment, or answers 404. */
public final class TenantResolver {

  private final TenantService tenants;

  public TenantResolver(TenantService tenants) {
    this.tenants = tenants;
  }

  public Tenant require(ServerRequest req) {
    String id = req.path().pathParameters().first("tenant").orElse("");
    return tenants.find(id).orElseThrow(() -> HttpError.notFound("unknown tenant `"
        + Form.printable(id) + "`"));
  }
}
