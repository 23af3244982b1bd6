package dev.gatehouse.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.session.Session;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The SSO session and consent stores, run once per database (H2 and PostgreSQL): a session found
 * by its cookie only at its own tenant and only while live, re-authentication, the lists an
 * administrator reads, the clients kept for back-channel logout, purging; consents that add up,
 * also when two grants race.
 */
abstract class SessionStoreContract extends StoreFixture {

  @BeforeEach
  void sessionOwners() {
    insertUsers();
  }

  @Nested
  @DisplayName("sso sessions")
  class Sessions {

    @Test
    void revokeByUserWhenUserHasSessionsThenOnlyTheirsInTheirTenantEnd() {
      session("acme", "s1", "u1");
      session("acme", "s2", "u1");
      session("acme", "s3", "u2");
      session("globex", "s1", "u1");
      assertThat(sessions.revokeByUser("acme", "u1")).isEqualTo(2);
      assertThat(sessions.find("acme", "s1")).isEmpty();
      assertThat(sessions.find("acme", "s3")).isPresent();
      assertThat(sessions.find("globex", "s1")).isPresent();
      assertThat(sessions.revokeByUser("acme", "u1")).isZero();
    }

    @Test
    @DisplayName("a session started without authentication methods reads back with none")
    void findWhenSessionHasNoAmrThenAnEmptyList() {
      sessions.insert(new Session("acme", "s0", "u1", 1_000, List.of(), "acr", 1_000, 9_000),
          "cookie-s0");
      assertThat(sessions.find("acme", "s0").orElseThrow().amr()).isEmpty();
      session("acme", "s1", "u1");
      assertThat(sessions.find("acme", "s1").orElseThrow().amr()).containsExactly("pwd");
    }

    @Test
    void findForUpdateWhenSessionLiveThenFoundElseEmpty() {
      session("acme", "s1", "u1");
      session("acme", "s2", "u1");
      assertThat(sessions.revoke("acme", "s2")).isTrue();
      assertThat(sessions.revoke("acme", "s2")).as("already ended").isFalse();
      assertThat(sessions.revoke("acme", "nothing")).isFalse();
      java.util.Optional<Session> locked =
          db.jdbc().inTransaction(c -> sessions.findForUpdate("acme", "s1"));
      assertThat(locked).isPresent();
      assertThat(sessions.findForUpdate("acme", "s2")).as("revoked").isEmpty();
      assertThat(sessions.findForUpdate("globex", "s1")).as("another tenant").isEmpty();
    }

    @Test
    @DisplayName("a session cookie signs in only at its own tenant, and not once the session ended")
    void findByCookieWhenTheSameHashAtTwoTenantsThenEachItsOwnAndNoneOnceRevoked() {
      sessions.insert(new Session("acme", "s1", "u1", 1_500, List.of("pwd", "otp"), "mfa",
          1_000, 9_000), "same-hash");
      sessions.insert(new Session("globex", "s7", "u2", 1_000, List.of("pwd"), "acr", 1_000,
          9_000), "same-hash");
      assertThat(sessions.findByCookie("acme", "same-hash")).contains(new Session("acme", "s1",
          "u1", 1_500, List.of("pwd", "otp"), "mfa", 1_000, 9_000));
      assertThat(sessions.findByCookie("globex", "same-hash").orElseThrow().sid()).isEqualTo("s7");
      assertThat(sessions.findByCookie("acme", "other-hash")).isEmpty();
      assertThat(sessions.revoke("acme", "s1")).isTrue();
      assertThat(sessions.findByCookie("acme", "same-hash")).isEmpty();
      assertThat(sessions.findByCookie("globex", "same-hash")).isPresent();
    }

    @Test
    @DisplayName("a second authentication in a session: its methods, level and time recorded, a new"
        + " cookie, the old one ended; never in another tenant's session or an ended one")
    void reauthenticatedWhenLiveThenRecordedUnderANewCookieAndTheOldOneEnds() {
      session("acme", "s1", "u1");
      session("globex", "s1", "u1");
      session("acme", "s2", "u1");
      assertThat(sessions.revoke("acme", "s2")).isTrue();
      assertThat(sessions.reauthenticated("acme", "s1", "cookie-new", List.of("pwd", "otp"),
          "mfa", 2_000)).isTrue();
      assertThat(sessions.findByCookie("acme", "cookie-acmes1")).as("old cookie").isEmpty();
      assertThat(sessions.findByCookie("acme", "cookie-new")).contains(new Session("acme", "s1",
          "u1", 2_000, List.of("pwd", "otp"), "mfa", 1_000, 9_000));
      assertThat(sessions.find("globex", "s1")).contains(new Session("globex", "s1", "u1", 1_000,
          List.of("pwd"), "acr", 1_000, 9_000));
      assertThat(sessions.findByCookie("globex", "cookie-globexs1")).isPresent();
      assertThat(sessions.reauthenticated("acme", "s2", "cookie-s2", List.of("pwd"), "acr",
          2_000)).as("ended").isFalse();
      assertThat(sessions.findByCookie("acme", "cookie-s2")).isEmpty();
      assertThat(sessions.reauthenticated("globex", "s9", "cookie-s9", List.of("pwd"), "acr",
          2_000)).as("no such session").isFalse();
    }

    @Test
    @DisplayName("the sessions an administrator lists: the tenant's live ones, newest first")
    void listWhenSessionsOfSeveralUsersAndTenantsThenTheTenantsLiveOnesNewestFirst() {
      session("acme", "s1", "u1", 1_000, 9_000);
      session("acme", "s2", "u2", 3_000, 9_000);
      session("acme", "s3", "u1", 2_000, 9_000);
      session("acme", "s4", "u1", 4_000, 9_000);
      assertThat(sessions.revoke("acme", "s4")).isTrue();
      session("acme", "s6", "u1", 4_500, 5_000);  // expired at 5,000, not yet purged
      session("globex", "s5", "u1", 5_000, 9_000);
      assertThat(sessions.list("acme", 10, 6_000)).extracting(Session::sid)
          .containsExactly("s2", "s3", "s1");
      assertThat(sessions.list("acme", 2, 6_000)).extracting(Session::sid)
          .containsExactly("s2", "s3");
      assertThat(sessions.listByUser("acme", "u1", 6_000)).extracting(Session::sid)
          .containsExactly("s3", "s1");
      assertThat(sessions.listByUser("acme", "u2", 6_000)).extracting(Session::sid)
          .containsExactly("s2");
      assertThat(sessions.listByUser("globex", "u2", 6_000)).isEmpty();
      assertThat(sessions.listByUser("acme", "u1", 4_999)).extracting(Session::sid)
          .as("before it expired").containsExactly("s6", "s3", "s1");
    }

    @Test
    @DisplayName("the clients a session signed in to (for back-channel logout): each once, per"
        + " session and tenant")
    void clientsWhenAddedThenEachOncePerSessionAndTenant() {
      session("acme", "s1", "u1");
      session("acme", "s2", "u1");
      session("globex", "s1", "u1");
      sessions.addClient("acme", "s1", "c1");
      sessions.addClient("acme", "s1", "c2");
      sessions.addClient("acme", "s1", "c1");
      sessions.addClient("globex", "s1", "c3");
      assertThat(sessions.clients("acme", "s1")).containsExactlyInAnyOrder("c1", "c2");
      assertThat(sessions.clients("globex", "s1")).containsExactly("c3");
      assertThat(sessions.clients("acme", "s2")).isEmpty();
    }

    @Test
    @DisplayName("purging deletes the sessions past their expiry in every tenant, ended or not,"
        + " with their clients, and keeps the others")
    void purgeExpiredWhenSomePastTheirExpiryThenOnlyThoseGoWithTheirClients() {
      session("acme", "old", "u1", 1_000, 4_000);
      session("globex", "old", "u1", 1_000, 5_000);
      session("acme", "ended", "u1", 1_000, 5_000);
      assertThat(sessions.revoke("acme", "ended")).isTrue();
      session("acme", "live", "u1", 1_000, 5_002);
      session("acme", "ended-live", "u1", 1_000, 9_000);
      assertThat(sessions.revoke("acme", "ended-live")).isTrue();
      sessions.addClient("acme", "old", "c1");
      sessions.addClient("acme", "live", "c1");
      assertThat(sessions.purgeExpired(5_001)).isEqualTo(3);
      assertThat(sessions.find("acme", "old")).isEmpty();
      assertThat(sessions.find("globex", "old")).isEmpty();
      assertThat(sessions.find("acme", "live")).isPresent();
      assertThat(count("sso_session", "acme")).as("live and ended-live").isEqualTo(2);
      assertThat(count("sso_session", "globex")).isZero();
      assertThat(count("sso_session_client", "acme")).as("live's client").isEqualTo(1);
      assertThat(sessions.clients("acme", "live")).containsExactly("c1");
      assertThat(sessions.purgeExpired(5_001)).isZero();
    }

    @Test
    @DisplayName("a session is purged once its expiry second has passed (expires_at < now), as"
        + " every store purges; SessionService already refuses it from that second on")
    void purgeExpiredWhenNowIsItsExpirySecondThenKeptUntilTheNextSecond() {
      session("acme", "s1", "u1", 1_000, 5_000);
      assertThat(sessions.purgeExpired(5_000)).isZero();
      assertThat(sessions.find("acme", "s1")).isPresent();
      assertThat(sessions.purgeExpired(5_001)).isEqualTo(1);
      assertThat(sessions.find("acme", "s1")).isEmpty();
    }
  }

  @Nested
  @DisplayName("consents")
  class Consents {

    private dev.gatehouse.server.session.JdbcConsentStore consents;

    @BeforeEach
    void store() {
      consents = new dev.gatehouse.server.session.JdbcConsentStore(db.jdbc());
    }

    @Test
    void grantWhenGrantedBeforeThenScopesAddUpPerClientAndTenant() {
      consents.grant("acme", "u1", "c1", Set.of("openid"), 1_000);
      consents.grant("acme", "u1", "c1", Set.of("email"), 2_000);
      consents.grant("acme", "u1", "c2", Set.of("profile"), 2_000);
      assertThat(consents.granted("acme", "u1", "c1")).containsExactlyInAnyOrder("openid",
          "email");
      assertThat(consents.granted("acme", "u1", "c2")).containsExactly("profile");
      assertThat(consents.granted("globex", "u1", "c1")).isEmpty();
    }

    @Test
    @DisplayName("the clients a user allowed are theirs only, in that tenant only")
    void clientsWhenSeveralUsersAndTenantsAllowedThenOnlyThatUsersInThatTenant() {
      consents.grant("acme", "u1", "c2", Set.of("openid"), 1_000);
      consents.grant("acme", "u1", "c1", Set.of("openid"), 1_000);
      consents.grant("acme", "u2", "c3", Set.of("openid"), 1_000);
      consents.grant("globex", "u1", "c4", Set.of("openid"), 1_000);
      assertThat(consents.clients("acme", "u1")).containsExactly("c1", "c2");
      assertThat(consents.clients("globex", "u1")).containsExactly("c4");
      assertThat(consents.clients("globex", "u2")).isEmpty();
    }

    @Test
    @DisplayName("deleting a user forgets their consents to every client, only theirs, only in"
        + " that tenant")
    void deleteAllWhenUserAllowedSeveralClientsThenAllOfTheirsGoAndNoOneElses() {
      consents.grant("acme", "u1", "c1", Set.of("openid"), 1_000);
      consents.grant("acme", "u1", "c2", Set.of("email"), 1_000);
      consents.grant("acme", "u2", "c1", Set.of("openid"), 1_000);
      consents.grant("globex", "u1", "c1", Set.of("openid"), 1_000);
      assertThat(consents.deleteAll("acme", "u1")).isEqualTo(2);
      assertThat(consents.granted("acme", "u1", "c1")).isEmpty();
      assertThat(consents.granted("acme", "u1", "c2")).isEmpty();
      assertThat(consents.granted("acme", "u2", "c1")).containsExactly("openid");
      assertThat(consents.granted("globex", "u1", "c1")).containsExactly("openid");
      assertThat(consents.deleteAll("acme", "u1")).isZero();
    }

    /**
     * Runs {@code grant} while another transaction has run {@code sql} and not committed, and
     * commits that one once the grant waits for it (as the database reports who blocks whom): the
     * grant has then read the row as it was before the other change, and writes after it. The
     * race the concurrent test below meets by chance, lost every time.
     */
    private void grantMeeting(String sql, Object[] args, Runnable grant) throws Exception {
      try (java.sql.Connection other = db.dataSource().getConnection()) {
        other.setAutoCommit(false);
        Jdbc.update(other, sql, args);
        long blocker = Jdbc.query(other, db.isPostgres() ? "select pg_backend_pid()"
            : "select session_id()", rs -> rs.getLong(1)).get(0);
        // H2 names no blocker of an insert that meets an uncommitted key: it retries the
        // statement until the key is committed or rolled back, so its executing statement tells.
        String blocked = db.isPostgres()
            ? "select count(*) from pg_stat_activity where ? = any(pg_blocking_pids(pid))"
            : "select count(*) from information_schema.sessions where blocker_id = ?1 or"
                + " (session_id <> ?1 and executing_statement like 'insert into user_consent%')";
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
            new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
          try {
            grant.run();
          } catch (Throwable e) {
            failure.set(e);
          }
        });
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (db.jdbc().queryOne(blocked, rs -> rs.getLong(1), db.isPostgres() ? (int) blocker
            : blocker).orElseThrow() == 0) {
          assertThat(t.isAlive()).as("the grant waits for the other transaction, not %s",
              failure.get()).isTrue();
          assertThat(System.nanoTime()).as("waited for the grant to block").isLessThan(deadline);
          Thread.sleep(5);
        }
        other.commit();
        t.join();
        assertThat(failure.get()).isNull();
      }
    }

    @Test
    @DisplayName("a first grant whose insert meets another first grant, committed meanwhile:"
        + " retried as an update, both scopes kept")
    void grantWhenAnotherFirstGrantCommitsUnderItsInsertThenRetriedAndBothScopesKept()
        throws Exception {
      grantMeeting("insert into user_consent (tenant_id, user_id, client_id, scope, granted_at)"
          + " values (?, ?, ?, ?, ?)", new Object[] {"acme", "u1", "c1", "email", 500},
          () -> consents.grant("acme", "u1", "c1", Set.of("openid"), 1_000));
      assertThat(consents.granted("acme", "u1", "c1")).containsExactlyInAnyOrder("email",
          "openid");
    }

    @Test
    @DisplayName("a grant whose update meets another grant's, committed meanwhile: it reads"
        + " again and adds its scope to the other's")
    void grantWhenAnotherGrantChangedTheRowSinceItWasReadThenReadAgainAndBothScopesKept()
        throws Exception {
      consents.grant("acme", "u1", "c1", Set.of("profile"), 500);
      grantMeeting("update user_consent set scope = ? where tenant_id = ? and user_id = ?"
          + " and client_id = ?", new Object[] {"profile email", "acme", "u1", "c1"},
          () -> consents.grant("acme", "u1", "c1", Set.of("openid"), 1_000));
      assertThat(consents.granted("acme", "u1", "c1")).containsExactlyInAnyOrder("profile",
          "email", "openid");
    }

    @Test
    @DisplayName("two grants of one consent at once (two tabs), alone or in a caller's transaction:"
        + " both succeed, both scopes kept")
    void grantWhenTwoAtOnceThenNeitherFailsAndTheScopesAddUp() throws Exception {
      for (int round = 0; round < 40; round++) {
        String user = "racer" + round;
        boolean outer = round % 2 == 1;
        boolean existing = round % 4 >= 2;
        if (existing) {
          // Both then update the same row: one compare-and-set must fail and read again.
          consents.grant("acme", user, "c1", Set.of("profile"), 500);
        }
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (String scope : List.of("openid", "email")) {
          threads.add(Thread.ofPlatform().start(() -> {
            try {
              start.await();
              if (outer) {
                // As sign-in writes it: in the transaction that writes its event.
                db.jdbc().inTransaction(c -> {
                  consents.grant("acme", user, "c1", Set.of(scope), 1_000);
                  return null;
                });
              } else {
                consents.grant("acme", user, "c1", Set.of(scope), 1_000);
              }
            } catch (Throwable e) {
              failures.add(e);
            }
          }));
        }
        for (Thread t : threads) {
          t.join();
        }
        assertThat(failures).as("round %d", round).isEmpty();
        assertThat(consents.granted("acme", user, "c1")).as("round %d", round)
            .containsExactlyInAnyOrderElementsOf(existing ? List.of("profile", "openid", "email")
                : List.of("openid", "email"));
      }
    }
  }
}
