package dev.gatehouse.server.oauth;

import java.util.List;
import java.util.Optional;

/** Persistence of OAuth clients; every call names the tenant. */
public interface ClientStore {

  Optional<Client> find(String tenantId, String clientId);

  void insert(Client client);

  List<Client> list(String tenantId, String afterClientId, int limit);

  boolean delete(String tenantId, String clientId);

  boolean updateSecretHash(String tenantId, String clientId, String secretHash);

  /** Replaces the settings of an existing client (same tenant and id); false if there is none. */
  boolean update(Client client);
}
