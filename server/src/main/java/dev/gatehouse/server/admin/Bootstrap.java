package dev.gatehouse.server.admin;

import dev.gatehouse.server.adminapi.AdminAuth;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.server.crypto.MasterKey;
import dev.gatehouse.server.oauth.ClientRegistration;
import dev.gatehouse.server.oauth.ClientService;
import dev.gatehouse.server.oauth.Grants;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.tenant.TenantService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-start set-up: the {@code system} tenant and a bootstrap admin client whose credentials go
 * to {@code <data dir>/bootstrap-admin.json} (mode 600), where the CLI finds them. Later starts
 * only refresh the server address (the base URL) and the address the node listens on in that file.
 */
public final class Bootstrap {

  public static final String FILE = "bootstrap-admin.json";
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private Bootstrap() {}

  /**
   * Sets up a first start; {@code listen} is the address the node listens on ({@code
   * host:port}), {@code serverUrl} its base URL. Returns true when this call made the admin
   * client (a first start: the caller shows what to do next).
   */
  public static boolean run(TenantService tenants, ClientService clients, Path dataDir,
      String serverUrl, String listen) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (tenants.find(Tenant.SYSTEM).isEmpty()) {
      try {
        tenants.create(Tenant.SYSTEM, "System");
      } catch (TenantService.TenantExistsException e) {
        // Another node made it first.
        return false;
      }
      ClientService.Created admin = clients.create(Tenant.SYSTEM, new ClientRegistration(
          "bootstrap-admin", false, List.of(Grants.CLIENT_CREDENTIALS),
          List.of(AdminAuth.SCOPE), "jwt", null, null, null, null, null));
      ObjectNode doc = JSON.createObjectNode();
      doc.put("server", serverUrl);
      doc.put("listen", listen);
      doc.put("tenant", Tenant.SYSTEM);
      doc.put("client_id", admin.client().clientId());
      doc.put("client_secret", admin.clientSecret());
      doc.put("scope", AdminAuth.SCOPE);
      Files.createDirectories(dataDir);
      MasterKey.writePrivate(file, JSON.writeValueAsString(doc) + "\n");
      LOG.info("created the system tenant and a bootstrap admin client; credentials in {}", file);
      return true;
    } else if (Files.exists(file)) {
      ObjectNode doc = (ObjectNode) JSON.readTree(file.toFile());
      if (!serverUrl.equals(doc.path("server").asText())
          || !listen.equals(doc.path("listen").asText())) {
        doc.put("server", serverUrl);
        doc.put("listen", listen);
        MasterKey.writePrivate(file, JSON.writeValueAsString(doc) + "\n");
      }
    }
    return false;
  }

  /** What a newcomer does after the first start: printed once, under the "ready" line. */
  public static String nextSteps(Path dataDir, String serverUrl) {
    return String.join("\n",
        "first start: the admin credentials are in " + dataDir.resolve(FILE)
            + " (mode 600; the CLI reads them from there). Next steps:",
        "  ./gatehouse tenant create acme                      # a tenant, issuer "
            + serverUrl + "/t/acme",
        "  ./gatehouse client create --tenant acme --name billing --scope invoices.read",
        "  curl " + serverUrl + "/t/acme/.well-known/openid-configuration",
        "  open " + serverUrl + "/ in a browser; ./gatehouse help lists every command");
  }
}
