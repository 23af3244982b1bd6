package dev.gatehouse.server.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.server.store.Database;
import dev.gatehouse.server.store.PoolShare;
import dev.gatehouse.server.store.StoreException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A cache load that waits for the database holds no lock of the cache: a revocation written for
 * the same key meanwhile (from the invalidation bus) is neither held up nor overwritten by the
 * load's older answer; the load runs under the caller's database share, and inside a transaction
 * on the caller's thread, so that it sees the transaction's own rows.
 */
class OffLockLoadsTest {

  private static AsyncCache<String, String> cache() {
    return Caffeine.newBuilder().maximumSize(100).executor(OffLockLoads.EXECUTOR).buildAsync();
  }

  @Test
  void whenALoadWaitsThenAWriteOfTheSameKeyIsNotHeldUpAndWins() throws Exception {
    AsyncCache<String, String> cache = cache();
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<String> loaderGot = new AtomicReference<>();
    Thread reader = Thread.ofVirtual().start(() -> loaderGot.set(OffLockLoads.get(cache, "jti",
        k -> {
          loading.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return "not revoked";
        })));
    assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();

    // A synchronous cache runs the load inside ConcurrentHashMap.compute: this put would wait
    // for the load to finish, i.e. for the database.
    CompletableFuture<Void> write = CompletableFuture.runAsync(
        () -> cache.synchronous().put("jti", "revoked"));
    write.get(2, TimeUnit.SECONDS);

    release.countDown();
    reader.join(5_000);
    assertThat(loaderGot.get()).isEqualTo("not revoked");
    assertThat(cache.synchronous().getIfPresent("jti")).as("the older answer does not overwrite")
        .isEqualTo("revoked");
  }

  @Test
  void whenALoadFailsThenTheCallerGetsItsExceptionAndNothingIsCached() {
    AsyncCache<String, String> cache = cache();
    assertThatThrownBy(() -> OffLockLoads.get(cache, "k", k -> {
      throw StoreException.busy("all in use");
    })).isInstanceOf(StoreException.class).hasMessage("all in use");
    // The failed load leaves the map as it completes (a caller at that very moment may share
    // its failure); the next load then runs.
    String got = null;
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (got == null && System.nanoTime() < deadline) {
      try {
        got = OffLockLoads.get(cache, "k", k -> "v");
      } catch (StoreException stillTheFailedOne) {
        Thread.onSpinWait();
      }
    }
    assertThat(got).isEqualTo("v");
  }

  @Test
  void whenTheCallerIsBoundToAShareThenTheLoadRunsElsewhereUnderIt() {
    AsyncCache<String, String> cache = cache();
    PoolShare share = new PoolShare("introspect", 2);
    AtomicReference<Thread> loader = new AtomicReference<>();
    AtomicReference<PoolShare> loaderShare = new AtomicReference<>();
    share.run(() -> OffLockLoads.get(cache, "k", k -> {
      loader.set(Thread.currentThread());
      loaderShare.set(PoolShare.current());
      return "v";
    }));
    assertThat(loader.get()).isNotSameAs(Thread.currentThread());
    assertThat(loaderShare.get()).isSameAs(share);
  }

  @Test
  void whenInATransactionThenTheLoadJoinsItOnTheCallersThread() {
    Database db = Database.open("jdbc:h2:mem:offlock-" + UUID.randomUUID()
        + ";DB_CLOSE_DELAY=-1", "", "", 2, null);
    try {
      db.jdbc().update("create table t (v varchar(10))");
      AsyncCache<String, String> cache = cache();
      String seen = db.jdbc().inTransaction(c -> {
        dev.gatehouse.server.store.Jdbc.update(c, "insert into t values ('mine')");
        return OffLockLoads.get(cache, "k", k -> db.jdbc()
            .query("select v from t", rs -> rs.getString(1)).stream().findFirst().orElse(null));
      });
      assertThat(seen).as("the transaction's own uncommitted row").isEqualTo("mine");
    } finally {
      db.close();
    }
  }
}
