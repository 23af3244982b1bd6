package dev.gatehouse.server.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.server.observe.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management listener ({@code management.port}): {@code /health/live}, {@code /health/ready}
 * and {@code /metrics}, nothing else.
 *
 * <p>It runs on the JDK's HTTP server with platform threads of its own, not on the main server's
 * virtual threads: under a flood, every virtual thread waits in one scheduler queue on the
 * carrier threads, and a probe queued behind hundreds of requests went unanswered for seconds, so
 * an orchestrator restarted or drained a node that was only busy (docs/operations.md, experiment
 * 9). A platform thread is scheduled by the operating system beside the carriers and answers in
 * milliseconds. The listener is for orchestrators and scrapers on a private address; the JDK
 * server bounds a request's time ({@code sun.net.httpserver.maxReqTime}, set below unless given).
 */
public final class ManagementServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Threads answering probes and scrapes: a slow scrape must not hold up a probe. */
  static final int THREADS = 3;
  /** Seconds a client may take to send a request or read a response before it is closed. */
  static final String REQUEST_SECONDS = "10";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Health health;
  private final Metrics metrics;

  private ManagementServer(HttpServer server, ExecutorService executor, Health health,
      Metrics metrics) {
    this.server = server;
    this.executor = executor;
    this.health = health;
    this.metrics = metrics;
  }

  /** Listens on {@code host:port} (0: any free port) and starts answering. */
  public static ManagementServer start(String host, int port, Health health, Metrics metrics)
      throws IOException {
    // Read once by the JDK server's configuration: a slowloris client must not hold a thread.
    System.setProperty("sun.net.httpserver.maxReqTime",
        System.getProperty("sun.net.httpserver.maxReqTime", REQUEST_SECONDS));
    System.setProperty("sun.net.httpserver.maxRspTime",
        System.getProperty("sun.net.httpserver.maxRspTime", REQUEST_SECONDS));
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "gatehouse-management-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (java.net.BindException e) {
      executor.shutdownNow();
      throw new IllegalStateException("cannot listen for management on " + host + ":" + port
          + " (is another process using it? choose another with management.port or"
          + " GATEHOUSE_MANAGEMENT_PORT)", e);
    }
    ManagementServer m = new ManagementServer(server, executor, health, metrics);
    server.createContext("/", m::handle);
    server.setExecutor(executor);
    server.start();
    return m;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** A response: status, content type, body, and whether it is a health answer. */
  private record Reply(int status, String type, byte[] body, boolean probe) {}

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Reply reply;
      try {
        reply = reply(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
      } catch (RuntimeException e) {
        // A failed check is a node that should get no traffic, not an error page.
        LOG.warn("management request failed: {}", e.toString());
        reply = new Reply(503, "application/json", JSON.writeValueAsBytes(Map.of(
            "status", "DOWN", "reason", "health check failed")), true);
      }
      if (reply.status() == 405) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      }
      if (reply.probe()) {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (reply.status() != 200) {
          exchange.getResponseHeaders().set("Retry-After", "1");
        }
      }
      exchange.getResponseHeaders().set("Content-Type", reply.type());
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(reply.status(), head ? -1 : reply.body().length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply.body());
        }
      }
    }
  }

  private Reply reply(String method, String path) throws IOException {
    boolean known = path.equals("/health/live") || path.equals("/health/ready")
        || path.equals("/metrics");
    if (!known) {
      return json(404, Map.of("error", "not_found",
          "error_description", "the management listener serves /metrics and /health/*"), false);
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return json(405, Map.of("error", "method_not_allowed",
          "error_description", "only GET and HEAD"), false);
    }
    if (path.equals("/metrics")) {
      return new Reply(200, "text/plain; version=0.0.4; charset=utf-8",
          metrics.scrape().getBytes(StandardCharsets.UTF_8), false);
    }
    Health.Answer answer = path.equals("/health/live") ? health.live() : health.ready();
    return json(answer.status(), answer.body(), true);
  }

  private static Reply json(int status, Map<String, Object> body, boolean probe)
      throws IOException {
    return new Reply(status, "application/json", JSON.writeValueAsBytes(body), probe);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
