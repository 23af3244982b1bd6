package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Work handed from a request's virtual thread to a platform thread, and back. */
class PlatformLaneTest {

  private final PlatformLane lane = new PlatformLane("test-lane", 2);

  @AfterEach
  void close() {
    lane.close();
    MDC.clear();
  }

  @Test
  void runWhenCalledFromAVirtualThreadThenTheWorkRunsOnAPlatformThreadWithTheLogContext()
      throws InterruptedException {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    AtomicReference<String> requestId = new AtomicReference<>();
    Thread caller = Thread.ofVirtual().start(() -> {
      MDC.put("request_id", "r-42");
      lane.run(() -> {
        ranOn.set(Thread.currentThread());
        requestId.set(MDC.get("request_id"));
      });
    });
    caller.join();

    assertThat(ranOn.get().isVirtual()).isFalse();
    assertThat(ranOn.get().getName()).startsWith("test-lane-");
    assertThat(requestId).hasValue("r-42");
  }

  @Test
  void runWhenTheWorkThrowsThenTheCallerGetsTheSameExceptionAndTheThreadKeepsNoLogContext() {
    IllegalArgumentException thrown = new IllegalArgumentException("bad form");
    MDC.put("request_id", "r-1");
    assertThatThrownBy(() -> lane.run(() -> {
      throw thrown;
    })).isSameAs(thrown);

    MDC.clear();
    AtomicReference<String> left = new AtomicReference<>("unset");
    lane.run(() -> left.set(MDC.get("request_id")));
    assertThat(left.get()).as("a later request's thread has no earlier request's id").isNull();
  }

  @Test
  void runWhenTheCallerIsInterruptedThenItWaitsForTheWorkAndKeepsTheInterrupt()
      throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    AtomicBoolean finishedBeforeReturn = new AtomicBoolean();
    AtomicBoolean interruptedAfter = new AtomicBoolean();
    Thread caller = Thread.ofVirtual().start(() -> {
      lane.run(() -> {
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        finished.set(true);
      });
      finishedBeforeReturn.set(finished.get());
      interruptedAfter.set(Thread.currentThread().isInterrupted());
    });
    started.await();
    caller.interrupt();
    Thread.sleep(50);
    assertThat(caller.isAlive()).as("still waiting for the work, which owns the exchange")
        .isTrue();
    release.countDown();
    caller.join();

    assertThat(finishedBeforeReturn).isTrue();
    assertThat(interruptedAfter).isTrue();
  }
}
