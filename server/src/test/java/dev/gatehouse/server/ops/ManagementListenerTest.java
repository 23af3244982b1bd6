package dev.gatehouse.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The management listener: health and metrics for orchestrators and scrapers, answered on
 * threads of its own so that a node whose request threads are all busy still answers its probes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("the management listener")
class ManagementListenerTest {

  private TestServer server;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<String> call(String method, String path, Duration timeout)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + server.node().managementPort() + path)).timeout(timeout)
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthWhenStartedThenLiveAndReadyWithNoStoreAndTheChecks() throws Exception {
    HttpResponse<String> live = call("GET", "/health/live", Duration.ofSeconds(5));
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(TestServer.JSON.readTree(live.body()).get("status").asText()).isEqualTo("UP");

    HttpResponse<String> ready = call("GET", "/health/ready", Duration.ofSeconds(5));
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(TestServer.JSON.readTree(ready.body()).get("checks").get("database").asText())
        .isEqualTo("UP");
  }

  @Test
  void headWhenProbedThenStatusWithoutBody() throws Exception {
    HttpResponse<String> head = call("HEAD", "/health/ready", Duration.ofSeconds(5));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void requestWhenAnotherPathOrMethodThenJson404Or405AndNothingOfTheMainListener()
      throws Exception {
    for (String path : List.of("/t/system/jwks", "/admin/v1/tenants", "/", "/health")) {
      HttpResponse<String> r = call("GET", path, Duration.ofSeconds(5));
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(TestServer.JSON.readTree(r.body()).get("error").asText()).isEqualTo("not_found");
    }
    HttpResponse<String> post = call("POST", "/health/ready", Duration.ofSeconds(5));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  @DisplayName("a probe is answered while every virtual-thread carrier is busy")
  void probeWhenEveryCarrierThreadIsBusyThenAnsweredAtOnce() throws Exception {
    // Virtual threads are not preempted: as many spinning ones as there are carriers hold the
    // scheduler as a flood of requests does, and anything served on virtual threads waits.
    AtomicBoolean spin = new AtomicBoolean(true);
    List<Thread> spinners = new ArrayList<>();
    int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
        Runtime.getRuntime().availableProcessors());
    try {
      for (int i = 0; i < carriers; i++) {
        spinners.add(Thread.ofVirtual().start(() -> {
          long until = System.nanoTime() + 8_000_000_000L;
          while (spin.get() && System.nanoTime() < until) {
            Thread.onSpinWait();
          }
        }));
      }
      Thread.sleep(200);  // let them take the carriers

      HttpResponse<String> live = call("GET", "/health/live", Duration.ofSeconds(2));
      HttpResponse<String> ready = call("GET", "/health/ready", Duration.ofSeconds(2));

      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(ready.statusCode()).isEqualTo(200);
    } finally {
      spin.set(false);
      for (Thread t : spinners) {
        t.join();
      }
    }
  }
}
