package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main listener accepted up to 10,000 connections whatever the heap, and each open connection
 * holds about 22 KiB of it: 9,000 idle connections ran a node with the default 192 MiB heap out
 * of memory, and every thread of it, the listener's included, died with {@code
 * OutOfMemoryError}. The cap now follows the heap ({@code server.max-connections: auto}); here a
 * node with a 64 MiB heap takes a flood of 4,000 connections from one address (as behind a proxy,
 * with the per-address cap off) and must come out alive.
 */
class ConnectionFloodExhaustsHeapTest {

  private static final int FLOOD = 4_000;

  @Test
  void floodWhenMoreConnectionsThanTheHeapHoldsThenNodeStaysUpAndRecovers(@TempDir Path dir)
      throws Exception {
    int port = freePort();
    int management = freePort();
    Path log = dir.resolve("node.log");
    ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
        "-Xmx64m", "-XX:+UseSerialGC", "-Xss512k", "-Dlogback.configurationFile=logback.xml",
        "-cp", System.getProperty("java.class.path"), "dev.gatehouse.server.cli.Main",
        "--data", dir.resolve("data").toString(), "serve", "--port", String.valueOf(port))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("GATEHOUSE_MANAGEMENT_PORT", String.valueOf(management));
    pb.environment().put("GATEHOUSE_SERVER_MAX_CONNECTIONS_PER_IP", "0");
    pb.environment().remove("GATEHOUSE_SERVER_MAX_CONNECTIONS");
    Process node = pb.start();
    List<Socket> flood = new ArrayList<>();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      assertThat(waitFor(http, "http://127.0.0.1:" + port + "/health/ready", 60))
          .as("ready; log:%n%s", tail(log)).isTrue();

      ConcurrentLinkedQueue<Socket> opened = new ConcurrentLinkedQueue<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < FLOOD; i++) {
          pool.submit(() -> {
            Socket s = new Socket();
            try {
              // Beyond the cap, connections wait in the accept backlog or time out here.
              s.connect(new InetSocketAddress("127.0.0.1", port), 3_000);
              opened.add(s);
            } catch (IOException e) {
              s.close();
            }
            return null;
          });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      }
      flood.addAll(opened);
      Thread.sleep(3_000);

      assertThat(node.isAlive()).as("alive; log:%n%s", tail(log)).isTrue();
      assertThat(waitFor(http, "http://127.0.0.1:" + management + "/health/live", 10))
          .as("the management listener answers during the flood").isTrue();
      assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
      // Half of a 64 MiB heap at 32 KiB a connection (the JVM reports a little less than -Xmx).
      java.util.regex.Matcher cap = java.util.regex.Pattern.compile("at most (\\d+) connections")
          .matcher(Files.readString(log));
      assertThat(cap.find()).isTrue();
      assertThat(Integer.parseInt(cap.group(1))).isBetween(900, 1024);

      for (Socket s : flood) {
        s.close();
      }
      assertThat(waitFor(http, "http://127.0.0.1:" + port + "/health/live", 30))
          .as("the main listener answers once the flood is gone; log:%n%s", tail(log)).isTrue();
      assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
    } finally {
      for (Socket s : flood) {
        s.close();
      }
      node.destroy();
      if (!node.waitFor(10, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    }
  }

  private static boolean waitFor(HttpClient http, String url, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // Not up yet, or busy: try again.
      }
      Thread.sleep(200);
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    String all = Files.readString(log, StandardCharsets.UTF_8);
    return all.substring(Math.max(0, all.length() - 3000));
  }
}
