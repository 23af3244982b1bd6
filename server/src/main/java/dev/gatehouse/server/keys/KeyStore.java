package dev.gatehouse.server.keys;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Persistence of a tenant's signing keys. */
public interface KeyStore {

  /** Every key of {@code tenantId} still stored, any state. */
  List<StoredKey> findByTenant(String tenantId);

  /**
   * The active key of {@code alg}, the newest should two nodes ever have created one concurrently:
   * what signs new tokens, read on its own so that a token needs one small row, not the tenant's
   * whole key set.
   */
  default Optional<StoredKey> findActive(String tenantId, KeyAlgorithm alg) {
    return findByTenant(tenantId).stream()
        .filter(k -> k.alg() == alg && k.state() == KeyState.ACTIVE)
        .max(Comparator.comparingLong(StoredKey::createdAt).thenComparing(StoredKey::kid));
  }

  void insert(StoredKey key);

  /**
   * Promotes {@code next} to active, retires the current active key until {@code publishUntil}
   * and stores {@code newNext}, all or nothing. Returns false when {@code next} was no longer the
   * next key (a concurrent rotation won).
   */
  boolean rotate(String tenantId, KeyAlgorithm alg, String nextKid, long now, long publishUntil,
      StoredKey newNext);

  /** Deletes retired keys whose publication window has passed. */
  int purgeRetired(String tenantId, long now);
}
