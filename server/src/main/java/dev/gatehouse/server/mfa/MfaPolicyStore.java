package dev.gatehouse.server.mfa;

import java.util.Optional;

/** Per-tenant MFA policies. */
public interface MfaPolicyStore {

  Optional<MfaPolicy> find(String tenantId);

  void put(String tenantId, MfaPolicy policy, long now);
}
