package dev.gatehouse.server.oauth;

import dev.gatehouse.server.cache.L2Cache;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ClientStore} read through the Redis {@link L2Cache} ({@code gh:{installation}:{tenant}:client:{id}}).
 * The cached row holds the keyed hash of the secret, never the secret.
 */
public final class RedisClientStore implements ClientStore {

  private final ClientStore db;
  private final L2Cache l2;

  public RedisClientStore(ClientStore db, L2Cache l2) {
    this.db = db;
    this.l2 = l2;
  }

  private String key(String tenantId, String clientId) {
    return l2.key(tenantId, "client", clientId);
  }

  @Override
  public Optional<Client> find(String tenantId, String clientId) {
    return l2.get(key(tenantId, clientId), Client.class, () -> db.find(tenantId, clientId));
  }

  @Override
  public void insert(Client client) {
    db.insert(client);
    l2.evict(key(client.tenantId(), client.clientId()));
  }

  @Override
  public List<Client> list(String tenantId, String afterClientId, int limit) {
    return db.list(tenantId, afterClientId, limit);
  }

  @Override
  public boolean delete(String tenantId, String clientId) {
    boolean deleted = db.delete(tenantId, clientId);
    l2.evict(key(tenantId, clientId));
    return deleted;
  }

  @Override
  public boolean updateSecretHash(String tenantId, String clientId, String secretHash) {
    boolean updated = db.updateSecretHash(tenantId, clientId, secretHash);
    l2.evict(key(tenantId, clientId));
    return updated;
  }

  @Override
  public boolean update(Client client) {
    boolean updated = db.update(client);
    l2.evict(key(client.tenantId(), client.clientId()));
    return updated;
  }
}
