package dev.gatehouse.server.mfa;

import java.util.Optional;

/** TOTP authenticators, one per user; every call names the tenant. */
public interface TotpStore {

  /** A user's TOTP authenticator: its encrypted secret, whether confirmed, the last used step. */
  record Entry(String tenantId, String userId, String secretEnc, boolean confirmed,
      long lastStep, long createdAt) {}

  /** Stores a new, unconfirmed secret, replacing an unconfirmed one (a confirmed one stays). */
  boolean putPending(Entry entry);

  Optional<Entry> find(String tenantId, String userId);

  /**
   * Marks the pending secret {@code secretEnc} confirmed, with its first used step; false when
   * there is no pending secret or it is another one (replaced since it was read).
   */
  boolean confirm(String tenantId, String userId, String secretEnc, long step);

  /**
   * Records {@code step} as used if it is later than the last used one; false when it is not,
   * which is a replay. INVARIANT: conditional update, so one step is accepted once across nodes.
   */
  boolean advance(String tenantId, String userId, long step);

  boolean delete(String tenantId, String userId);
}
