package dev.gatehouse.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.oauth.AuthorizationCodeStore.Code;
import dev.gatehouse.server.oauth.JdbcAuthorizationCodeStore;
import dev.gatehouse.server.oauth.JdbcRefreshTokenStore;
import dev.gatehouse.server.oauth.RefreshTokenStore.RefreshToken;
import dev.gatehouse.server.tenant.Tenant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a user holds besides sessions, run once per database (H2 and PostgreSQL): refresh token
 * families and the access tokens issued from them, authorization codes and their replays, opaque
 * tokens, recovery codes, roles and the tenant's policies written twice at once, and what goes
 * with a deleted user.
 */
abstract class UserCredentialStoreContract extends StoreFixture {

  private JdbcRefreshTokenStore refresh;
  private JdbcAuthorizationCodeStore codes;

  @BeforeEach
  void stores() {
    refresh = new JdbcRefreshTokenStore(db.jdbc());
    codes = new JdbcAuthorizationCodeStore(db.jdbc());
    insertUsers();
  }

  private RefreshToken token(String tenant, String hash, String family, String user,
      String sid) {
    return new RefreshToken(tenant, hash, family, "c1", user, Set.of("openid"),
        new dev.gatehouse.server.oauth.RequestedClaims(Set.of("name"), Set.of("email")), sid,
        1_000,
        "pwd", "acr", 1_000, 9_000, 9_000, false, false);
  }

  @Test
  @DisplayName("two regenerations of recovery codes at once leave one set, not both")
  void replaceAllWhenTwoAtOnceThenOnlyOneSetRemains() throws Exception {
    dev.gatehouse.server.mfa.JdbcRecoveryCodeStore recovery =
        new dev.gatehouse.server.mfa.JdbcRecoveryCodeStore(db.jdbc());
    for (int round = 0; round < 20; round++) {
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      List<Thread> threads = new java.util.ArrayList<>();
      for (String set : List.of("a", "b")) {
        int r = round;
        threads.add(Thread.ofPlatform().start(() -> {
          List<String> hashes = new java.util.ArrayList<>();
          for (int i = 0; i < 10; i++) {
            hashes.add(set + r + "-" + i);
          }
          try {
            start.await();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          recovery.replaceAll("acme", "u1", hashes, 1_000);
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      assertThat(recovery.remaining("acme", "u1")).as("round %d", round).isEqualTo(10);
    }
  }

  /** Runs {@code work} on two threads at once, {@code rounds} times; no failure in any. */
  private void twiceAtOnce(int rounds, java.util.function.IntFunction<List<Runnable>> work)
      throws Exception {
    for (int round = 0; round < rounds; round++) {
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures =
          new java.util.concurrent.ConcurrentLinkedQueue<>();
      List<Thread> threads = new java.util.ArrayList<>();
      for (Runnable r : work.apply(round)) {
        threads.add(Thread.ofPlatform().start(() -> {
          try {
            start.await();
            r.run();
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      assertThat(failures).as("round %d", round).isEmpty();
    }
  }

  @Test
  @DisplayName("two replacements of a user's roles at once: one set wins, never both")
  void setRolesWhenTwoAtOnceThenOneSetNotTheUnion() throws Exception {
    dev.gatehouse.server.identity.JdbcGroupStore groups =
        new dev.gatehouse.server.identity.JdbcGroupStore(db.jdbc());
    twiceAtOnce(20, round -> List.of(
        () -> groups.setRoles("acme", "u1", Set.of("viewer")),
        () -> groups.setRoles("acme", "u1", Set.of("admin", "auditor"))));
    assertThat(groups.roles("acme").get("u1")).isIn(Set.of("viewer"), Set.of("admin",
        "auditor"));
  }

  @Test
  @DisplayName("two first settings of a tenant's password or MFA policy at once: no failure")
  void putWhenTwoPoliciesAtOnceThenBothAnsweredAndOneKept() throws Exception {
    dev.gatehouse.server.identity.JdbcPasswordPolicyStore passwords =
        new dev.gatehouse.server.identity.JdbcPasswordPolicyStore(db.jdbc());
    dev.gatehouse.server.mfa.JdbcMfaPolicyStore mfa =
        new dev.gatehouse.server.mfa.JdbcMfaPolicyStore(db.jdbc());
    twiceAtOnce(10, round -> List.of(
        () -> passwords.put("acme", new dev.gatehouse.server.identity.PasswordPolicy(12, true)),
        () -> passwords.put("acme", new dev.gatehouse.server.identity.PasswordPolicy(14,
            false))));
    assertThat(passwords.find("acme").minLength()).isIn(12, 14);
    for (int round = 0; round < 10; round++) {
      String tenant = "mfa" + round;
      assertThat(tenants.insert(new Tenant(tenant, "T", 100))).isTrue();
      twiceAtOnce(1, r -> List.of(
          () -> mfa.put(tenant, new dev.gatehouse.server.mfa.MfaPolicy(
              dev.gatehouse.server.mfa.MfaPolicy.Mode.REQUIRED, Set.of(), Set.of(), null,
              Set.of()), 1_000),
          () -> mfa.put(tenant, new dev.gatehouse.server.mfa.MfaPolicy(
              dev.gatehouse.server.mfa.MfaPolicy.Mode.OPTIONAL, Set.of(), Set.of(), null,
              Set.of()), 1_000)));
    }
  }

  @Test
  @DisplayName("a rotation checked before its family's revocation committed does not happen")
  void markRotatedWhenTheFamilyWasRevokedSinceTheTokenWasReadThenFalse() {
    refresh.insert(token("acme", "h1", "f1", "u1", "s1"));
    assertThat(refresh.find("acme", "h1").orElseThrow().revoked()).isFalse();
    refresh.revokeFamily("acme", "f1");

    assertThat(refresh.markRotated("acme", "h1")).isFalse();
    assertThat(refresh.find("acme", "h1").orElseThrow().rotated()).isFalse();
  }

  @Test
  @DisplayName("a successor inserted after its family was revoked is revoked with it")
  void findWhenASuccessorArrivedAfterItsFamilysRevocationThenRevoked() {
    refresh.insert(token("acme", "h1", "f1", "u1", "s1"));
    assertThat(refresh.markRotated("acme", "h1")).isTrue();
    refresh.revokeFamily("acme", "f1");
    // The rotation's successor, written after the revocation's update.
    refresh.insert(token("acme", "h2", "f1", "u1", "s1"));
    refresh.insert(token("acme", "h3", "f2", "u1", "s1"));

    assertThat(refresh.find("acme", "h2").orElseThrow().revoked()).isTrue();
    assertThat(refresh.markRotated("acme", "h2")).isFalse();
    assertThat(refresh.find("acme", "h3").orElseThrow().revoked()).as("another family")
        .isFalse();
    assertThat(refresh.markRotated("acme", "h3")).isTrue();
  }

  @Test
  void familiesAndAccessTokenRefsWhenRecordedThenFoundPerUserSessionAndTenant() {
    refresh.insert(token("acme", "h1", "f1", "u1", "s1"));
    refresh.insert(token("acme", "h2", "f1", "u1", "s1"));
    refresh.insert(token("acme", "h3", "f2", "u2", "s2"));
    refresh.insert(token("globex", "h1", "f9", "u1", "s1"));
    refresh.recordAccessToken("acme", "h1", "jwt:a:9000");
    refresh.recordAccessToken("acme", "h2", "opaque:b");
    assertThat(refresh.liveFamiliesOfUser("acme", "u1")).containsExactly("f1");
    assertThat(refresh.liveFamiliesOfSession("acme", "s1")).containsExactly("f1");
    assertThat(refresh.accessTokenRefs("acme", "f1"))
        .containsExactlyInAnyOrder("jwt:a:9000", "opaque:b");
    assertThat(refresh.accessTokenRefs("globex", "f1")).isEmpty();
    assertThat(refresh.revokeFamily("acme", "f1")).isEqualTo(2);
    assertThat(refresh.liveFamiliesOfUser("acme", "u1")).isEmpty();
    assertThat(refresh.liveFamiliesOfUser("globex", "u1")).containsExactly("f9");
  }

  @Test
  void accessTokenRefsOfUserWhenCodesExchangedThenOnlyThatUsersInThatTenant() {
    for (String tenant : List.of("acme", "globex")) {
      codes.insert(new Code(tenant, "c-" + tenant, "c1", null, null, null, Set.of("openid"),
          dev.gatehouse.server.oauth.RequestedClaims.NONE, "u1", "s1", 1_000, "pwd", "acr",
          2_000, false));
    }
    codes.recordIssued("acme", "c-acme", "jwt:x:9000", null);
    assertThat(codes.accessTokenRefsOfUser("acme", "u1")).containsExactly("jwt:x:9000");
    assertThat(codes.accessTokenRefsOfUser("acme", "u2")).isEmpty();
    assertThat(codes.accessTokenRefsOfUser("globex", "u1")).isEmpty();
  }

  @Test
  @DisplayName("RFC 6749 §4.1.2: a replay racing the exchange; whichever is second sees the"
      + " first, so the tokens issued from the code are revoked either way")
  void recordIssuedWhenAReplayWasRecordedFirstThenFalseElseTheReplayReadsTheTokens() {
    for (String c : List.of("c-replayed-first", "c-issued-first")) {
      codes.insert(new Code("acme", c, "c1", null, null, null, Set.of("openid"),
          dev.gatehouse.server.oauth.RequestedClaims.NONE, "u1", "s1", 1_000, "pwd", "acr",
          2_000, false));
      assertThat(codes.markUsed("acme", c)).isTrue();
    }
    // The replay comes while the exchange is still issuing: nothing to read yet.
    codes.markReplayed("acme", "c-replayed-first");
    assertThat(codes.issued("acme", "c-replayed-first")).containsExactly(null, null);
    assertThat(codes.recordIssued("acme", "c-replayed-first", "jwt:a:9000", "f1")).isFalse();

    // The exchange recorded first: the replay reads what to revoke.
    assertThat(codes.recordIssued("acme", "c-issued-first", "jwt:b:9000", "f2")).isTrue();
    codes.markReplayed("acme", "c-issued-first");
    assertThat(codes.issued("acme", "c-issued-first")).containsExactly("jwt:b:9000", "f2");
  }

  @Test
  void liveOpaqueOfSubjectWhenSomeRevokedOrExpiredThenOnlyTheLiveOnes() {
    tokens.insertOpaque(opaque("acme", "live", "u1", 5_000));
    tokens.insertOpaque(opaque("acme", "old", "u1", 1_500));
    tokens.insertOpaque(opaque("acme", "gone", "u1", 5_000));
    tokens.revokeOpaque("acme", "gone");
    tokens.insertOpaque(opaque("globex", "other", "u1", 5_000));
    assertThat(tokens.liveOpaqueOfSubject("acme", "u1", 2_000)).containsExactly("live");
  }

  @Test
  @DisplayName("V9: sessions and refresh tokens are tied to their user: deleting the user"
      + " deletes them, and none can be written for a user who does not exist")
  void deleteUserWhenSessionsAndRefreshTokensExistThenTheyGoWithTheUser() {
    session("acme", "s1", "u1");
    session("acme", "s2", "u2");
    refresh.insert(token("acme", "h1", "f1", "u1", "s1"));
    assertThat(users.delete("acme", "u1")).isTrue();
    assertThat(sessions.find("acme", "s1")).isEmpty();
    assertThat(sessions.find("acme", "s2")).isPresent();
    assertThat(refresh.find("acme", "h1")).isEmpty();
    assertThatThrownBy(() -> session("acme", "s9", "nobody"))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> refresh.insert(token("acme", "h9", "f9", "nobody", "s9")))
        .isInstanceOf(StoreException.class);
  }
}
