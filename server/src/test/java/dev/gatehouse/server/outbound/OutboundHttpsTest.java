package dev.gatehouse.server.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * TLS over a pinned address: the connection goes to the address the guard checked, and the
 * certificate is still verified against the host name of the URL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboundHttpsTest {

  private HttpsServer receiver;
  private SSLContext trusting;
  private final List<String> hosts = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("gatehouse-tls");
    Path ks = dir.resolve("receiver.p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool")
        .toString(), "-genkeypair", "-keystore", ks.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-alias", "r", "-keyalg", "EC", "-dname", "CN=hooks.example",
        "-ext", "SAN=dns:hooks.example", "-validity", "2").inheritIO().start();
    assertThat(p.waitFor()).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "changeit".toCharArray());
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    receiver = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setHttpsConfigurator(new HttpsConfigurator(server));
    receiver.createContext("/", x -> {
      hosts.add(x.getRequestHeaders().getFirst("Host"));
      x.getRequestBody().readAllBytes();
      x.sendResponseHeaders(204, -1);
      x.close();
    });
    receiver.start();

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("r", keys.getCertificate("r"));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tmf.getTrustManagers(), null);
  }

  @AfterAll
  void stop() {
    receiver.stop(0);
  }

  private OutboundHttp.Outcome post(String host) {
    OutboundGuard guard = new OutboundGuard(List.of(Cidr.parse("127.0.0.1/32")),
        name -> new InetAddress[] {InetAddress.getLoopbackAddress()});
    return new OutboundHttp(guard, trusting).post("https://" + host + ":"
        + receiver.getAddress().getPort() + "/hook", Map.of(), new byte[0], Duration.ofSeconds(3));
  }

  @Test
  void postWhenCertificateNamesTheUrlHostThenDeliveredToThePinnedAddress() {
    assertThat(post("hooks.example")).isEqualTo(new OutboundHttp.Answered(204));
    assertThat(hosts).contains("hooks.example:" + receiver.getAddress().getPort());
  }

  @Test
  void postWhenCertificateNamesAnotherHostThenFailed() {
    assertThat(post("other.example")).isInstanceOf(OutboundHttp.Failed.class);
  }

  @Test
  void postWhenCertificateIsNotTrustedThenFailed() {
    OutboundGuard guard = new OutboundGuard(List.of(Cidr.parse("127.0.0.1/32")),
        name -> new InetAddress[] {InetAddress.getLoopbackAddress()});
    assertThat(new OutboundHttp(guard).post("https://hooks.example:"
        + receiver.getAddress().getPort() + "/hook", Map.of(), new byte[0],
        Duration.ofSeconds(3))).isInstanceOf(OutboundHttp.Failed.class);
  }
}
