package dev.gatehouse.server.detect;

import dev.gatehouse.server.adminapi.AdminAuth;
import dev.gatehouse.server.adminapi.AdminTenants;
import dev.gatehouse.server.http.Exchange;
import dev.gatehouse.server.http.ProblemException;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.tenant.TenantService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Admin API for the blocks attack detection set: {@code GET /admin/v1/tenants/{tenant}/blocks},
 * {@code DELETE .../blocks} (all) and {@code DELETE .../blocks/{block}} (one, e.g.
 * {@code ip:203.0.113.7}, {@code subnet:203.0.113.0/24}, {@code account:<hash>}).
 */
public final class DetectAdminHttp implements HttpService {

  private static final Pattern ID = Pattern.compile("(ip|subnet|account):[0-9A-Za-z.:/_-]{1,128}");

  private final AdminAuth auth;
  private final TenantService tenants;
  private final BlockList blocks;
  private final Clock clock;

  public DetectAdminHttp(AdminAuth auth, TenantService tenants, BlockList blocks, Clock clock) {
    this.auth = auth;
    this.tenants = tenants;
    this.blocks = blocks;
    this.clock = clock;
  }

  @Override
  public void routing(HttpRules rules) {
    String base = "/admin/v1/tenants/{tenant}/blocks";
    rules.get(base, auth.guard(this::list))
        .delete(base, auth.guard(this::clearAll))
        .delete(base + "/{block}", auth.guard(this::clear));
  }

  private void list(ServerRequest req, ServerResponse res) {
    Tenant t = tenant(req);
    List<Map<String, Object>> items = new ArrayList<>();
    for (Block b : blocks.list(t.id(), clock.instant().getEpochSecond(), 1000)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", b.id());
      m.put("kind", b.kind());
      m.put("value", b.value());
      m.put("until", b.until());
      m.put("reason", b.reason());
      m.put("detection", b.detection());
      items.add(m);
    }
    Exchange.json(res, 200, Map.of("items", items));
  }

  private void clearAll(ServerRequest req, ServerResponse res) {
    Tenant t = tenant(req);
    Exchange.json(res, 200, Map.of("cleared", blocks.clearAll(t.id())));
  }

  private void clear(ServerRequest req, ServerResponse res) {
    Tenant t = tenant(req);
    String id = URLDecoder.decode(req.path().pathParameters().get("block"), StandardCharsets.UTF_8);
    if (!ID.matcher(id).matches()) {
      throw new ProblemException(400, "a block id is ip:ADDRESS, subnet:CIDR or account:HASH");
    }
    if (!blocks.clear(t.id(), id)) {
      throw new ProblemException(404, "no block `" + id + "`");
    }
    res.status(204).send();
  }

  private Tenant tenant(ServerRequest req) {
    String id = req.path().pathParameters().get("tenant");
    return tenants.find(id).orElseThrow(() -> new ProblemException(404, "no tenant `"
        + AdminTenants.printable(id) + "`"));
  }
}
