package dev.gatehouse.server.identity;

/** Persistence of each tenant's password policy; {@link PasswordPolicy#DEFAULT} when unset. */
public interface PasswordPolicyStore {

  PasswordPolicy find(String tenantId);

  void put(String tenantId, PasswordPolicy policy);
}
