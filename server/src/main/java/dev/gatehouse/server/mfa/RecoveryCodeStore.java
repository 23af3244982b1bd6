package dev.gatehouse.server.mfa;

import java.util.List;

/** Recovery codes, as keyed hashes; every call names the tenant. */
public interface RecoveryCodeStore {

  /** Replaces all of the user's codes with {@code hashes}, in one transaction. */
  void replaceAll(String tenantId, String userId, List<String> hashes, long now);

  /** Marks the code used if it exists and was unused; false otherwise (single use). */
  boolean use(String tenantId, String userId, String hash, long now);

  /** How many unused codes the user has. */
  int remaining(String tenantId, String userId);

  int deleteAll(String tenantId, String userId);
}
