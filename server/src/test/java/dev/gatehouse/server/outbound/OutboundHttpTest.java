package dev.gatehouse.server.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboundHttpTest {

  private HttpServer receiver;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private int port;

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", x -> {
      requests.add(x.getRequestURI().getPath() + " host=" + x.getRequestHeaders().getFirst("Host"));
      x.getRequestBody().readAllBytes();
      if (x.getRequestURI().getPath().equals("/moved")) {
        x.getResponseHeaders().add("Location", "http://127.0.0.1:" + port + "/elsewhere");
        x.sendResponseHeaders(307, -1);
      } else {
        x.sendResponseHeaders(204, -1);
      }
      x.close();
    });
    receiver.start();
    port = receiver.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  private static OutboundHttp loopbackAllowed(OutboundGuard.Resolver resolver) {
    return new OutboundHttp(new OutboundGuard(List.of(Cidr.parse("127.0.0.1/32")), resolver));
  }

  @Test
  void postWhenNameResolvesPublicAtRegistrationAndLoopbackLaterThenNoConnection()
      throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    OutboundGuard guard = new OutboundGuard(List.of(), host -> new InetAddress[] {
        InetAddress.getByName(lookups.getAndIncrement() == 0 ? "93.184.216.34" : "127.0.0.1")});
    String url = "http://rebind.example:" + port + "/hook";
    assertThat(guard.problem(url)).isNull();

    OutboundHttp.Outcome o = new OutboundHttp(guard).post(url, Map.of(), new byte[0],
        Duration.ofSeconds(2));

    assertThat(o).isInstanceOf(OutboundHttp.Refused.class);
    assertThat(requests).isEmpty();
  }

  @Test
  void postWhenAllowedThenConnectsToTheCheckedAddressAndSendsTheNameAsHost() {
    AtomicInteger lookups = new AtomicInteger();
    OutboundHttp http = loopbackAllowed(host -> {
      lookups.incrementAndGet();
      return new InetAddress[] {InetAddress.getLoopbackAddress()};
    });

    OutboundHttp.Outcome o = http.post("http://hooks.example:" + port + "/in?x=1",
        Map.of("webhook-id", "1"), "{}".getBytes(), Duration.ofSeconds(2));

    assertThat(o).isEqualTo(new OutboundHttp.Answered(204));
    assertThat(requests).containsExactly("/in host=hooks.example:" + port);
    assertThat(lookups).hasValue(1);
  }

  @Test
  void postWhenReceiverRedirectsThenNotFollowed() {
    OutboundHttp http = loopbackAllowed(host -> new InetAddress[] {
        InetAddress.getLoopbackAddress()});

    OutboundHttp.Outcome o = http.post("http://127.0.0.1:" + port + "/moved", Map.of(),
        new byte[0], Duration.ofSeconds(2));

    assertThat(o).isEqualTo(new OutboundHttp.Answered(307));
    assertThat(requests).hasSize(1);
    assertThat(OutboundHttp.publicError(o)).isEqualTo("HTTP 307");
  }

  @Test
  void postWhenTargetAcceptsButNeverAnswersThenFailedWithinTheDeadline() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        try (Socket s = silent.accept()) {
          Thread.sleep(5_000);
        } catch (Exception ignored) {
          // The test is over.
        }
      });
      OutboundHttp http = loopbackAllowed(InetAddress::getAllByName);
      long t0 = System.nanoTime();

      OutboundHttp.Outcome o = http.post("http://127.0.0.1:" + silent.getLocalPort() + "/",
          Map.of(), new byte[0], Duration.ofMillis(300));

      assertThat(o).isInstanceOf(OutboundHttp.Failed.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      assertThat(OutboundHttp.publicError(o)).isEqualTo("delivery failed");
    }
  }

  @Test
  void postWhenHeaderHoldsALineBreakThenNothingIsSent() {
    OutboundHttp http = loopbackAllowed(InetAddress::getAllByName);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.post(
        "http://127.0.0.1:" + port + "/", Map.of("x", "a\r\nInjected: 1"), new byte[0],
        Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThat(requests).isEmpty();
  }
}
