package dev.gatehouse.server.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.cache.InvalidationBus;
import dev.gatehouse.server.cache.SharedRedis;
import dev.gatehouse.server.events.EventOutbox;
import dev.gatehouse.server.events.EventSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attack detection on a running node: the {@link DetectionEngine} fed by an event tap, its
 * findings written as events and metrics, its answers asked on the sign-in path.
 *
 * <p>How events arrive. {@link #tap} wraps the sink features write their events to; after the
 * sink took a batch, the tap offers each event to a bounded queue (never blocking: when full,
 * events are dropped and counted in {@code gatehouse.detect.dropped}). One worker thread parses
 * and feeds them to the engine, so the request path pays for a queue offer only. The detectors
 * depend on this narrow point, not on how the outbox stores or relays events.
 *
 * <p>Many nodes. With Redis, the sign-in events ({@code login.*}, {@code account.locked},
 * {@code mfa.verified}), {@code token.issued} and {@code refresh.reused} a node sees are also
 * sent to the others on the invalidation bus (sealed with a MAC, replay-protected), so every
 * node's engine learns from every sign-in and every token, and a campaign spread over nodes is
 * one campaign. A client's token baseline must see all of its tokens: learned per node, each of
 * two nodes saw half of a client's rate and half of an abuse, and a leaked secret used a few
 * times a minute stayed under the minimum count on both (and a load balancer that does not split
 * evenly made the halves differ). Decision events stay per node (sampled, and far more of them).
 * Blocks and step-up marks live in Redis. An incident found on several nodes is written once: the
 * first node to claim it in Redis ({@code SET NX}) writes its event.
 *
 * <p>What it writes: {@code anomaly.detected} when an incident opens, {@code anomaly.resolved}
 * when it closes, {@code risk.assessed} for a risky sign-in; each with the evidence (counts,
 * addresses, hashed account names, the ids of covered events; never a secret). They reach the
 * Redis Stream and webhooks like every event.
 */
public final class DetectionService implements AutoCloseable {

  public static final String ANOMALY_DETECTED = "anomaly.detected";
  public static final String ANOMALY_RESOLVED = "anomaly.resolved";
  public static final String RISK_ASSESSED = "risk.assessed";

  private static final Logger LOG = LoggerFactory.getLogger("dev.gatehouse.security");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> READ = Set.of("login.failed", "login.succeeded",
      "account.locked", "mfa.verified", "token.issued", "refresh.reused", "policy.decision");
  private static final Set<String> SHARED = Set.of("login.failed", "login.succeeded",
      "account.locked", "mfa.verified", "token.issued", "refresh.reused");
  /** One event a message (nodes of the previous version send these). */
  private static final String TOPIC = "detect";
  /**
   * The shared events of one worker batch in one message: {@code tenant, type, created-at,
   * payload} lines, four an event (a payload is compact JSON: it has no line break). One message
   * an event put a bus message, a seal and a nonce on every token: at a few thousand tokens a
   * second that is a Redis publish and a MAC per token on the issuing node and a MAC check on
   * every other, and the seal's replay memory (100,000 nonces) no longer spans its window.
   */
  private static final String TOPIC_BATCH = "detect-batch";

  private record Item(EventOutbox.Event event, boolean remote) {}

  private final DetectionEngine engine;
  private final StepUps stepUps;
  private final EventSink out;
  private volatile InvalidationBus bus;
  private final SharedRedis redis;
  private final String prefix;
  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(100_000);
  private final Thread worker;
  private final MeterRegistry registry;
  private final Counter dropped;
  private final Counter refused;
  private final Counter steppedUp;
  private final Timer scoring;
  private volatile boolean closed;
  /** Events queued and events handled (the worker's alone), for {@link #drain}. */
  private final java.util.concurrent.atomic.LongAdder queued =
      new java.util.concurrent.atomic.LongAdder();
  private volatile long handled;
  private boolean currentRemote;
  /** The local shared events of the batch being handled (the worker's alone). */
  private final StringBuilder outgoing = new StringBuilder();

  /**
   * A service writing its events to {@code out} (the outbox, not tapped), sharing sign-in events
   * over {@code bus} and claiming incidents in {@code redis} (both may be absent: one node).
   */
  public DetectionService(DetectSettings settings, BlockList blocks, StepUps stepUps,
      EventSink out, InvalidationBus bus, SharedRedis redis, String prefix,
      MeterRegistry registry) {
    this.engine = new DetectionEngine(settings, blocks, this::found);
    this.stepUps = stepUps;
    this.out = out;
    this.redis = redis;
    this.prefix = prefix;
    this.registry = registry;
    this.dropped = Counter.builder("gatehouse.detect.dropped")
        .description("events the detectors did not see because their queue was full")
        .register(registry);
    this.refused = Counter.builder("gatehouse.detect.refused")
        .description("sign-in attempts refused by a block").register(registry);
    this.steppedUp = Counter.builder("gatehouse.detect.stepped_up")
        .description("sign-ins asked for a second factor because they were risky")
        .register(registry);
    this.scoring = Timer.builder("gatehouse.detect.scoring")
        .description("time to score one sign-in on the request path").register(registry);
    share(bus);
    this.worker = Thread.ofPlatform().daemon().name("gatehouse-detect").start(this::work);
  }

  /** Shares sign-in events with the other nodes over {@code bus} (null: this node alone). */
  public void share(InvalidationBus bus) {
    if (bus != null && this.bus == null) {
      bus.subscribe(TOPIC, this::remote);
      bus.subscribe(TOPIC_BATCH, this::remote);
      this.bus = bus;
    }
  }

  public DetectionEngine engine() {
    return engine;
  }

  public StepUps stepUps() {
    return stepUps;
  }

  /** {@code target} with the detectors listening to what it takes. */
  public EventSink tap(EventSink target) {
    return events -> {
      target.append(events);
      for (EventOutbox.Event e : events) {
        if (READ.contains(e.type())) {
          offer(new Item(e, false));
        }
      }
    };
  }

  /** The block refusing this sign-in attempt, if any (counted). */
  public Optional<Block> blocked(String tenant, String ip, String account, long now) {
    Optional<Block> b = engine.blocked(tenant, ip, account, now);
    b.ifPresent(x -> refused.increment());
    return b;
  }

  /** The risk of a sign-in whose password was right (timed; counted when it steps up). */
  public DetectionEngine.Risk assess(String tenant, String account, String ip, String userAgent,
      String device, long now) {
    long t0 = System.nanoTime();
    DetectionEngine.Risk r = engine.assess(tenant, account, ip, userAgent, device, now);
    scoring.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    if (r.stepUp()) {
      steppedUp.increment();
    }
    return r;
  }

  private void remote(String message) {
    String[] p = message.split("\n");
    for (int at = 0; at + 3 < p.length; at += 4) {
      if (!SHARED.contains(p[at + 1])) {
        return;  // sealed by one of ours, so never; but never trust the shape either
      }
      try {
        offer(new Item(new EventOutbox.Event(p[at], p[at + 1], p[at + 3],
            Long.parseLong(p[at + 2])), true));
      } catch (NumberFormatException ignored) {
        return;  // as above; and never throw on the bus thread
      }
    }
  }

  /**
   * How long the worker lets events queue after the first before it takes them. A worker that
   * waits on the queue is woken by the very next offer, a futex call and a context switch on the
   * request thread that offered: at thousands of tokens a second, with the worker faster than the
   * requests, nearly every event woke it, and the wake-ups cost the request threads about as much
   * CPU as the detectors themselves. Detection is not on the request path (a sign-in's risk is
   * scored there, synchronously); a few milliseconds' delay changes no decision.
   */
  static final long LINGER_NANOS = 5_000_000L;
  private static final int BATCH = 1_024;

  private void offer(Item i) {
    if (queue.offer(i)) {
      queued.increment();
    } else {
      dropped.increment();
    }
  }

  private void work() {
    List<Item> batch = new ArrayList<>(BATCH);
    while (!closed) {
      try {
        Item first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        if (queue.size() < BATCH - 1) {
          java.util.concurrent.locks.LockSupport.parkNanos(this, LINGER_NANOS);
        }
        queue.drainTo(batch, BATCH - 1);
        for (Item i : batch) {
          try {
            handle(i);
          } catch (RuntimeException e) {
            // one event the detectors choke on must not cost them the rest of the batch
            LOG.warn("detectors failed on an event: {}", e.toString());
          }
        }
        handled += batch.size();
        share();
      } catch (InterruptedException e) {
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void handle(Item i) {
    EventOutbox.Event e = i.event();
    Observation o;
    try {
      o = Observation.of(null, e.tenantId(), e.type(), e.createdAt(), e.payload());
    } catch (java.io.IOException ex) {
      return;
    }
    if (o == null) {
      return;
    }
    currentRemote = i.remote();
    engine.accept(o);
    if (!i.remote() && bus != null && SHARED.contains(e.type())) {
      if (!outgoing.isEmpty()) {
        outgoing.append('\n');
      }
      outgoing.append(e.tenantId()).append('\n').append(e.type()).append('\n')
          .append(e.createdAt()).append('\n').append(e.payload());
    }
  }

  /** Sends the shared events of the batch just handled to the other nodes, in one message. */
  private void share() {
    if (!outgoing.isEmpty()) {
      try {
        bus.publish(TOPIC_BATCH, outgoing.toString());
      } catch (RuntimeException e) {
        LOG.warn("detectors could not share events with the other nodes: {}", e.toString());
      } finally {
        outgoing.setLength(0);
      }
    }
  }

  /** A detection from the engine (on the worker thread): a metric, and an event if due. */
  private void found(Detection d) {
    Counter.builder("gatehouse.detect.detections").description("detections by kind")
        .tag("kind", d.kind()).tag("status", d.status()).tag("action", d.action())
        .register(registry).increment();
    if (d.action().equals("none")) {
      return;
    }
    if (d.status().equals("assessed") && currentRemote) {
      return;  // the node that served the sign-in writes its assessment
    }
    if (!d.status().equals("assessed") && redis != null) {
      String claim = prefix + "detect:once:" + d.tenant() + ":" + d.kind() + ":"
          + Integer.toHexString(d.subject().hashCode()) + ":" + d.status();
      String ok = redis.call(c -> c.set(claim, "1",
          io.lettuce.core.SetArgs.Builder.nx().ex(engine.settings().quietSeconds())), "OK");
      if (!"OK".equals(ok)) {
        return;
      }
    }
    String type = switch (d.status()) {
      case "open" -> ANOMALY_DETECTED;
      case "closed" -> ANOMALY_RESOLVED;
      default -> RISK_ASSESSED;
    };
    Map<String, Object> m = new LinkedHashMap<>(Replay.fields(d));
    List<String> ids = d.covers();
    m.put("event_ids", ids.size() > 2000 ? ids.subList(0, 2000) : ids);
    try {
      out.append(List.of(new EventOutbox.Event(d.tenant(), type, JSON.writeValueAsString(m),
          d.time())));
      LOG.info("security event {} tenant={} kind={} subject={} action={}", type, d.tenant(),
          d.kind(), d.subject(), d.action());
    } catch (RuntimeException | java.io.IOException ex) {
      LOG.warn("event={} tenant={} could not be written: {}", type, d.tenant(), ex.toString());
    }
  }

  /** Events the detectors have read so far, this node's and the other nodes'. */
  public long handled() {
    return handled;
  }

  /** Waits until every event queued so far has been handled, at most 5 s (for tests). */
  public void drain() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (handled < queued.sum() && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
  }

  @Override
  public void close() {
    closed = true;
    worker.interrupt();
  }
}
