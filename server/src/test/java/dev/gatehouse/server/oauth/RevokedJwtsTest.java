package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.store.Database;
import dev.gatehouse.server.tenant.JdbcTenantStore;
import dev.gatehouse.server.tenant.Tenant;
import dev.gatehouse.server.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A node's copy of the revocation list, read from the revocation table of a real database. */
@DisplayName("the revocation list each node keeps")
class RevokedJwtsTest {

  private static final long NOW = 2_000;

  private Database db;
  private JdbcTokenStore store;
  private RevokedJwts list;

  @BeforeEach
  void open() {
    db = Database.open(TestDatabase.H2.freshUrl(), null, null, 2, null);
    JdbcTenantStore tenants = new JdbcTenantStore(db.jdbc());
    tenants.insert(new Tenant("acme", "Acme", 100));
    tenants.insert(new Tenant("globex", "Globex", 100));
    store = new JdbcTokenStore(db.jdbc());
    list = new RevokedJwts(store::revokedJwtsSince, clockAt(NOW));
  }

  @AfterEach
  void close() {
    list.close();
    db.close();
  }

  private static Clock clockAt(long epochSecond) {
    return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
  }

  @Test
  void pollWhenFirstThenEveryUnexpiredRevocationOfEveryTenantIsKnownAndTheListIsCurrent() {
    store.revokeJwt("acme", "j1", 5_000);
    store.revokeJwt("globex", "j2", 5_000);
    store.revokeJwt("acme", "gone", 1_000);
    assertThat(list.current()).isFalse();

    list.poll();

    assertThat(list.current()).isTrue();
    assertThat(list.contains("acme", "j1")).isTrue();
    assertThat(list.contains("globex", "j2")).isTrue();
    assertThat(list.contains("acme", "j2")).as("another tenant's jti").isFalse();
    assertThat(list.contains("acme", "gone")).as("expired before now").isFalse();
    assertThat(list.size()).isEqualTo(2);
  }

  @Test
  @DisplayName("a revocation by another node is read by the next poll, without any message")
  void pollWhenAnotherNodeRevokedSinceThenKnown() {
    list.poll();
    assertThat(list.contains("acme", "later")).isFalse();

    new JdbcTokenStore(db.jdbc()).revokeJwt("acme", "later", 5_000);
    list.poll();

    assertThat(list.contains("acme", "later")).isTrue();
  }

  @Test
  @DisplayName("a row stamped before the last poll but committed after it is still read")
  void pollWhenRowStampedBeforeTheLastPollThenReadWithinTheOverlap() {
    list.poll();
    long stampedEarlier = System.currentTimeMillis() - RevokedJwts.OVERLAP.toMillis() / 2;
    db.jdbc().update("insert into revoked_jwt (tenant_id, jti, expires_at, revoked_at)"
        + " values (?, ?, ?, ?)", "acme", "late", 5_000, stampedEarlier);

    list.poll();

    assertThat(list.contains("acme", "late")).isTrue();
  }

  @Test
  @DisplayName("a row of a node of the previous version (no time) is read on every poll")
  void pollWhenRowHasNoStampThenRead() {
    list.poll();
    db.jdbc().update("insert into revoked_jwt (tenant_id, jti, expires_at) values (?, ?, ?)",
        "acme", "legacy", 5_000);

    list.poll();

    assertThat(list.contains("acme", "legacy")).isTrue();
  }

  @Test
  void pollWhenTokensExpiredSinceThenTheirEntriesLeave() {
    store.revokeJwt("acme", "short", 3_000);
    store.revokeJwt("acme", "long", 9_000);
    list.poll();
    assertThat(list.contains("acme", "short")).isTrue();

    RevokedJwts later = new RevokedJwts(store::revokedJwtsSince, clockAt(4_000));
    later.add("acme", "short", 3_000);
    later.poll();

    assertThat(later.contains("acme", "short")).isFalse();
    assertThat(later.contains("acme", "long")).isTrue();
  }

  @Test
  @DisplayName("a list whose reads fail is never current: the caller asks the database")
  void currentWhenReadsFailThenFalseAndAddedRevocationsStillKnown() {
    AtomicInteger reads = new AtomicInteger();
    RevokedJwts failing = new RevokedJwts((since, now, visitor) -> {
      reads.incrementAndGet();
      throw new IllegalStateException("database away");
    }, clockAt(NOW));
    failing.add("acme", "j1", 5_000);

    failing.poll();

    assertThat(reads).hasValue(1);
    assertThat(failing.current()).isFalse();
    assertThat(failing.ageSeconds()).isEqualTo(-1);
    assertThat(failing.contains("acme", "j1")).as("what it heard stays known").isTrue();
  }

  @Test
  void forgetTenantWhenDeletedThenOnlyItsEntriesLeave() {
    store.revokeJwt("acme", "j1", 5_000);
    store.revokeJwt("globex", "j1", 5_000);
    list.poll();

    list.forgetTenant("acme");

    assertThat(list.contains("acme", "j1")).isFalse();
    assertThat(list.contains("globex", "j1")).isTrue();
  }

  @Test
  @DisplayName("started, the list reads the table at once and stays current by itself")
  void startWhenRunningThenCurrentAndPollsNewRevocations() throws InterruptedException {
    list.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!list.current() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(list.current()).isTrue();
    store.revokeJwt("acme", "j3", 5_000);
    while (!list.contains("acme", "j3") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(list.contains("acme", "j3")).isTrue();
  }
}
