package dev.gatehouse.server.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Redis for tests: {@code GATEHOUSE_TEST_REDIS_URL} (as {@code .ci/run} sets it), else a
 * {@code redis-server} found on the PATH, started once per JVM on a free port. Without either the
 * test is skipped with the reason printed, unless {@code GATEHOUSE_REQUIRE_SERVICES=true}.
 */
public final class TestRedis {

  private static String url;
  private static String problem;

  private TestRedis() {}

  public static synchronized String url() {
    if (url != null) {
      return url;
    }
    if (problem == null) {
      String env = System.getenv("GATEHOUSE_TEST_REDIS_URL");
      try {
        url = env != null && !env.isBlank() ? check(env) : startLocal();
        return url;
      } catch (Exception e) {
        problem = e.getMessage();
      }
    }
    if (TestDatabase.requireServices()) {
      throw new IllegalStateException("Redis is required (GATEHOUSE_REQUIRE_SERVICES=true): "
          + problem);
    }
    System.err.println("[gatehouse tests] skipping Redis tests: " + problem);
    Assumptions.abort("Redis unavailable: " + problem);
    throw new AssertionError("unreachable");
  }

  private static String check(String redisUrl) throws IOException {
    java.net.URI uri = java.net.URI.create(redisUrl);
    try (Socket s = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
      return redisUrl;
    } catch (IOException e) {
      throw new IOException("GATEHOUSE_TEST_REDIS_URL=" + redisUrl + " does not answer: "
          + e.getMessage());
    }
  }

  private static String startLocal() throws Exception {
    Path server = null;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        server = candidate;
        break;
      }
    }
    if (server == null) {
      throw new IOException("no GATEHOUSE_TEST_REDIS_URL and no redis-server on the PATH");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("gatehouse-redis");
    Process p = new ProcessBuilder(server.toString(), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return "redis://127.0.0.1:" + port;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IOException("redis-server did not start on port " + port);
  }
}
