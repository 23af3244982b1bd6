package dev.gatehouse.server.oauth;

import java.util.Map;
import java.util.Set;

/**
 * The values a user has for some claims (OpenID Connect Core §5.1), those with a value only: what
 * an ID token carries of the claims requested by name (§5.5).
 */
@FunctionalInterface
public interface UserClaimValues {

  Map<String, Object> of(String tenantId, String userId, Set<String> names);
}
