package dev.gatehouse.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.server.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Back-pressure of the event queue: a writer that falls behind slows requests, loses nothing. */
class EventQueueTest {

  /** A sink that records what it is given and can be held (stalled) or made to fail. */
  static final class Target implements EventSink {
    final List<EventOutbox.Event> written = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean stall = new AtomicBoolean();
    final AtomicInteger failures = new AtomicInteger();
    final CountDownLatch entered = new CountDownLatch(1);

    @Override
    public void append(List<EventOutbox.Event> events) {
      entered.countDown();
      if (stall.get()) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("database down");
      }
      written.addAll(events);
    }
  }

  static EventOutbox.Event event(int i) {
    return new EventOutbox.Event("t", "token.issued", "{\"n\":" + i + "}", 0);
  }

  @Test
  void appendWhenWriterStalledThenRequestsWaitAndNothingIsLost() throws Exception {
    Target target = new Target();
    target.stall.set(true);
    try (EventQueue queue = new EventQueue(target, 4, Duration.ofSeconds(30), "test")) {
      queue.append(List.of(event(0)));
      assertThat(target.entered.await(5, TimeUnit.SECONDS)).isTrue();  // writer holds event 0
      for (int i = 1; i <= 4; i++) {
        queue.append(List.of(event(i)));  // fills the queue without waiting
      }
      ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
      List<Future<?>> waiting = new ArrayList<>();
      for (int i = 5; i < 10; i++) {
        int n = i;
        waiting.add(requests.submit(() -> queue.append(List.of(event(n)))));
      }
      while (queue.waits() < 5) {
        Thread.onSpinWait();
      }
      assertThat(waiting).noneMatch(Future::isDone);  // back-pressure: the requests wait

      target.release.countDown();
      for (Future<?> f : waiting) {
        f.get(10, TimeUnit.SECONDS);
      }
      assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(target.written).hasSize(10);
      assertThat(queue.refused()).isZero();
      requests.shutdown();
    }
  }

  @Test
  void appendWhenQueueStaysFullPastTheBoundThenUnavailableAndNotQueued() throws Exception {
    Target target = new Target();
    target.stall.set(true);
    try (EventQueue queue = new EventQueue(target, 1, Duration.ofMillis(50), "test")) {
      queue.append(List.of(event(0)));
      assertThat(target.entered.await(5, TimeUnit.SECONDS)).isTrue();
      queue.append(List.of(event(1)));
      assertThatThrownBy(() -> queue.append(List.of(event(2))))
          .isInstanceOf(StoreException.class);
      assertThat(queue.refused()).isEqualTo(1);
      target.release.countDown();
      assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
      // What was accepted is written; the refused event was never accepted (its request failed).
      assertThat(target.written).extracting(EventOutbox.Event::payload)
          .containsExactly("{\"n\":0}", "{\"n\":1}");
    }
  }

  @Test
  void writeWhenTargetFailsThenRetriedUntilWrittenInOrder() throws Exception {
    Target target = new Target();
    target.failures.set(3);
    try (EventQueue queue = new EventQueue(target, 100, Duration.ofSeconds(5), "test")) {
      for (int i = 0; i < 50; i++) {
        queue.append(List.of(event(i)));
      }
      assertThat(queue.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(target.written).extracting(EventOutbox.Event::payload)
          .containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> "{\"n\":" + i + "}")
              .toList());
      assertThat(queue.stalled()).isFalse();
    }
  }

  @Test
  void closeWritesWhatIsQueued() {
    Target target = new Target();
    EventQueue queue = new EventQueue(target, 10_000, Duration.ofSeconds(5), "test");
    for (int i = 0; i < 5_000; i++) {
      queue.append(List.of(event(i)));
    }
    queue.close();
    assertThat(target.written).hasSize(5_000);
    assertThatThrownBy(() -> queue.append(List.of(event(1)))).isInstanceOf(StoreException.class);
  }
}
