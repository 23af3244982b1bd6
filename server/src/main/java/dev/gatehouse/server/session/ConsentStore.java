package dev.gatehouse.server.session;

import java.util.List;
import java.util.Set;

/** Scopes a user has allowed a client (the consent page's memory); every call names the tenant. */
public interface ConsentStore {

  Set<String> granted(String tenantId, String userId, String clientId);

  /** The clients a user has granted anything to, by client id. */
  List<String> clients(String tenantId, String userId);

  /** Records {@code scope} as granted, in addition to what was granted before. */
  void grant(String tenantId, String userId, String clientId, Set<String> scope, long now);

  /** Forgets every consent of a user (a deleted user); how many clients they had allowed. */
  int deleteAll(String tenantId, String userId);
}
