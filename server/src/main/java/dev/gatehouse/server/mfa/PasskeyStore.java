package dev.gatehouse.server.mfa;

import java.util.List;
import java.util.Optional;

/** WebAuthn credentials (passkeys), several per user; every call names the tenant. */
public interface PasskeyStore {

  /**
   * A registered credential.
   *
   * @param credentialId the credential id, base64url
   * @param attestedData the authenticator's attestedCredentialData (AAGUID, id, COSE public key),
   *     base64url: what verifying an assertion needs
   * @param backupEligible the BE flag at registration: a synced (multi-device) credential
   */
  record Passkey(String tenantId, String credentialId, String userId, String name,
      String attestedData, long signCount, boolean uvInitialized, boolean backupEligible,
      boolean backupState, String transports, long createdAt, Long lastUsedAt) {}

  /** Inserts; false when the credential id is already registered at this tenant. */
  boolean insert(Passkey passkey);

  Optional<Passkey> find(String tenantId, String credentialId);

  List<Passkey> listByUser(String tenantId, String userId);

  /**
   * Records an assertion: the new signature counter, backup state and time; false, recording
   * nothing, when the stored counter is no longer below {@code signCount} (another assertion with
   * this count or a later one was recorded since it was read), except 0 after 0.
   */
  boolean used(String tenantId, String credentialId, long signCount, boolean backupState,
      long now);

  boolean delete(String tenantId, String userId, String credentialId);

  int deleteAll(String tenantId, String userId);
}
