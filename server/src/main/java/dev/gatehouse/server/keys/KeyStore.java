package dev.gatehouse.server.keys;

import java.util.List;

/** Persistence of a tenant's signing keys. */
public interface KeyStore {

  /** Every key of {@code tenantId} still stored, any state. */
  List<StoredKey> findByTenant(String tenantId);

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
