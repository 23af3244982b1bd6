package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.cache.InvalidationBus;
import dev.gatehouse.server.detect.DetectSettings;
import dev.gatehouse.server.detect.DetectionService;
import dev.gatehouse.server.detect.InMemoryBlockList;
import dev.gatehouse.server.detect.StepUps;
import dev.gatehouse.server.events.EventOutbox;
import dev.gatehouse.server.events.EventSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GH-13: {@code token.issued} stayed on the node that issued the token, so behind a load balancer
 * each of two nodes learned half of a client's tokens and saw half of an abuse: eight tokens from
 * new subnets in a minute, four a node, stayed under the five a node needed, and the leaked
 * secret went unnoticed. Every node must see all of a client's tokens, as it sees all sign-ins.
 */
class TokenBaselinesSplitOverNodesTest {

  private static final long T0 = 1_793_491_200L;

  /** A bus joining the nodes of one test: each message reaches every other node's listeners. */
  private static final class Bus implements InvalidationBus {
    private final List<Bus> all;
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger published =
        new java.util.concurrent.atomic.AtomicInteger();

    Bus(List<Bus> all) {
      this.all = all;
      all.add(this);
    }

    @Override
    public void publish(String topic, String key) {
      published.incrementAndGet();
      for (Bus other : all) {
        if (other != this) {
          other.listeners.getOrDefault(topic, List.of()).forEach(l -> l.accept(key));
        }
      }
    }

    @Override
    public void subscribe(String topic, Consumer<String> listener) {
      listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
    }

    @Override
    public void close() {}
  }

  private final List<EventOutbox.Event> written = Collections.synchronizedList(new ArrayList<>());
  private final List<DetectionService> nodes = new ArrayList<>();
  private final List<Bus> buses = new CopyOnWriteArrayList<>();
  private final List<EventSink> taps = new ArrayList<>();

  private void startNodes(int n) {
    for (int i = 0; i < n; i++) {
      DetectionService s = new DetectionService(DetectSettings.DEFAULTS,
          new InMemoryBlockList(100), new StepUps(null, "gh:", null, Clock.systemUTC()),
          written::addAll, new Bus(buses), null, "gh:", new SimpleMeterRegistry());
      nodes.add(s);
      taps.add(s.tap(events -> { }));
    }
  }

  @AfterEach
  void stop() {
    nodes.forEach(DetectionService::close);
  }

  private int seq;

  /** A token of {@code client} issued at {@code time} to {@code ip}, by the nodes in turn. */
  private void token(long time, String ip, String client) {
    int node = seq++ % taps.size();
    taps.get(node).append(List.of(new EventOutbox.Event("acme", "token.issued",
        "{\"client_id\":\"" + client + "\",\"ip\":\"" + ip + "\",\"request_id\":\"r" + seq
            + "\"}", time)));
  }

  /** What the nodes wrote so far (their workers append while we look). */
  private List<EventOutbox.Event> written() {
    synchronized (written) {
      return List.copyOf(written);
    }
  }

  private void drain() throws InterruptedException {
    for (DetectionService s : nodes) {
      s.drain();
    }
    for (DetectionService s : nodes) {
      s.drain();
    }
  }

  @Test
  void tokenAbuseWhenSpreadOverTwoNodesThenFoundAsOnOne() throws Exception {
    startNodes(2);
    // A service's tokens from its own two subnets, one from each every two minutes for a day.
    long t = T0;
    for (int m = 0; m < 24 * 60; m += 2) {
      t = T0 + m * 60L;
      token(t, "203.0.113." + (m % 5), "svc");
      token(t, "198.51.100." + (m % 5), "svc");
    }
    drain();
    // Its secret leaked: eight tokens in a minute from subnets it never used, four a node.
    for (int i = 0; i < 8; i++) {
      token(t + 60 + i * 5, "185." + (10 + i % 4) + ".1." + (1 + i), "svc");
    }
    // Both nodes hear all eight, one of them a little later (its worker, then the bus).
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (written().stream().noneMatch(e -> e.payload().contains("token_abuse"))
        && System.nanoTime() < deadline) {
      drain();
    }

    assertThat(written()).anySatisfy(e -> {
      assertThat(e.type()).isEqualTo(DetectionService.ANOMALY_DETECTED);
      assertThat(e.payload()).contains("\"kind\":\"token_abuse\"")
          .contains("\"subject\":\"client:svc\"");
    });
  }

  @Test
  void sharedEventsWhenManyThenAFewBusMessagesCarryThemAll() throws Exception {
    startNodes(2);
    int tokens = 2_000;
    for (int i = 0; i < tokens; i++) {
      token(T0 + i / 100, "203.0.113." + (i % 5), "svc");
    }
    drain();
    // One message a worker batch, not one a token: a bus message costs a seal, a MAC check on
    // every node and a place in the replay memory.
    int messages = buses.stream().mapToInt(b -> b.published.get()).sum();
    assertThat(messages).isPositive().isLessThan(tokens / 4);
    // ... and every token still reached the other node: each read all 2,000 (its own half and
    // the other's).
    for (DetectionService node : nodes) {
      assertThat(node.handled()).isEqualTo(tokens);
    }
  }
}
