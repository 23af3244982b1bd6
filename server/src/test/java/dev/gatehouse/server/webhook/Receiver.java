package dev.gatehouse.server.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver of webhooks for tests (the JDK's server on port 0): records every request
 * and answers each path with the status its script says (a list of statuses, the last repeated).
 */
final class Receiver implements AutoCloseable {

  /** One request as received. */
  record Request(String path, Map<String, String> headers, byte[] body) {}

  private final HttpServer server;
  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, List<Integer>> scripts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      Map<String, String> headers = new ConcurrentHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
      requests.add(new Request(path, headers, exchange.getRequestBody().readAllBytes()));
      List<Integer> script = scripts.getOrDefault(path, List.of(204));
      int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).getAndIncrement();
      int status = script.get(Math.min(n, script.size() - 1));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  /** Answers {@code path} with these statuses in turn, then the last one forever. */
  void script(String path, Integer... statuses) {
    scripts.put(path, List.of(statuses));
    counts.remove(path);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Request> to(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
