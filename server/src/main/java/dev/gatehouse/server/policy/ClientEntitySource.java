package dev.gatehouse.server.policy;

import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.value.SetValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import dev.gatehouse.server.oauth.Client;
import dev.gatehouse.server.oauth.ClientService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tenant's OAuth clients as {@code <namespace>::Client} entities, with the attributes
 * {@code name} (String) and {@code scopes} (Set of String, the scopes it may request).
 */
public final class ClientEntitySource implements EntitySource {

  /** The entity type name of clients within the namespace. */
  public static final String TYPE = "Client";

  private final ClientService clients;

  public ClientEntitySource(ClientService clients) {
    this.clients = clients;
  }

  @Override
  public List<Entity> entities(String tenantId, String namespace) {
    List<Entity> out = new ArrayList<>();
    String after = null;
    while (true) {
      List<Client> page = clients.list(tenantId, after, 500);
      for (Client c : page) {
        out.add(entity(c, namespace));
      }
      if (page.size() < 500) {
        return out;
      }
      after = page.get(page.size() - 1).clientId();
    }
  }

  static Entity entity(Client c, String namespace) {
    Map<String, Value> attrs = new LinkedHashMap<>();
    attrs.put("name", new StringValue(c.name()));
    List<Value> scopes = new ArrayList<>();
    c.scopes().forEach(s -> scopes.add(new StringValue(s)));
    attrs.put("scopes", SetValue.of(scopes));
    return new Entity(uid(namespace, c.clientId()), attrs, Set.of(), Map.of());
  }

  static EntityUid uid(String namespace, String clientId) {
    return EntityUid.of(namespace + "::" + TYPE, clientId);
  }
}
