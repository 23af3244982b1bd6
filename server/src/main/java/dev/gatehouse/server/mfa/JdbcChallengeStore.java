package dev.gatehouse.server.mfa;

import dev.gatehouse.server.store.Jdbc;

/** {@link ChallengeStore} on the {@code webauthn_challenge_used} table (V8__mfa.sql). */
public final class JdbcChallengeStore implements ChallengeStore {

  private final Jdbc jdbc;

  public JdbcChallengeStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean markUsed(String tenantId, String challengeHash, long expiresAt) {
    // INVARIANT: the primary key makes the second use of a challenge fail on every node.
    return jdbc.updateUnlessDuplicate("insert into webauthn_challenge_used (tenant_id,"
        + " challenge_hash, expires_at) values (?, ?, ?)", tenantId, challengeHash, expiresAt) == 1;
  }

  @Override
  public int purgeExpired(long now) {
    return jdbc.update("delete from webauthn_challenge_used where expires_at < ?", now);
  }
}
