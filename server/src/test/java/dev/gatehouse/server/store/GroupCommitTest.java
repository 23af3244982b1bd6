package dev.gatehouse.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Rows that requests wait for share transactions: each request returns only after its own row was
 * written, a bad row fails only its own request, and a write that cannot happen fails them all.
 */
class GroupCommitTest {

  private final List<List<String>> transactions = Collections.synchronizedList(new ArrayList<>());

  private void write(List<String> rows) {
    if (rows.contains("bad")) {
      throw new IllegalStateException("duplicate key");
    }
    transactions.add(List.copyOf(rows));
    try {
      Thread.sleep(5);  // a commit takes time: the next requests gather meanwhile
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int written() {
    synchronized (transactions) {
      return transactions.stream().mapToInt(List::size).sum();
    }
  }

  @Test
  void submitWhenManyAtOnceThenEachReturnsWrittenAndTheyShareTransactions() throws Exception {
    try (GroupCommit<String> commit = new GroupCommit<>("test", Duration.ofSeconds(10),
        this::write); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> requests = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String row = "t" + i;
        requests.add(pool.submit(() -> {
          go.await();
          commit.submit(row);
          // Returned: its row is in a transaction that was written.
          synchronized (transactions) {
            assertThat(transactions.stream().anyMatch(t -> t.contains(row))).isTrue();
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : requests) {
        f.get();
      }
    }
    assertThat(written()).isEqualTo(400);
    assertThat(transactions.size()).isLessThan(400);
  }

  @Test
  void submitWhenOneRowOfABatchIsBadThenOnlyItsRequestFails() throws Exception {
    try (GroupCommit<String> commit = new GroupCommit<>("test", Duration.ofSeconds(10),
        this::write); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> good = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String row = "t" + i;
        good.add(pool.submit(() -> {
          go.await();
          commit.submit(row);
          return null;
        }));
      }
      Future<?> bad = pool.submit(() -> {
        go.await();
        commit.submit("bad");
        return null;
      });
      go.countDown();
      for (Future<?> f : good) {
        f.get();
      }
      assertThatThrownBy(bad::get).hasRootCauseMessage("duplicate key");
    }
    assertThat(written()).isEqualTo(50);
  }

  @Test
  void submitWhenTheWriteFailsThenTheRequestFailsWithItsCause() {
    try (GroupCommit<String> commit = new GroupCommit<>("test", Duration.ofSeconds(10), rows -> {
      throw StoreException.overloaded("database down");
    })) {
      assertThatThrownBy(() -> commit.submit("t")).isInstanceOf(StoreException.class)
          .hasMessageContaining("database down");
    }
  }
}
