package dev.gatehouse.server.mfa;

/** The WebAuthn challenges already used, so that each is accepted once. */
public interface ChallengeStore {

  /** Records the challenge as used; false when it already was (a replay). */
  boolean markUsed(String tenantId, String challengeHash, long expiresAt);

  int purgeExpired(long now);
}
