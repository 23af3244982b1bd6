package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Requests no HTTP client library would send, written to the socket by hand: what the HTTP layer
 * rejects before routing still gets a JSON error body and a 4xx, never an empty 500.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedHttpTest {

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabase.H2);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void headerWithoutColonThenBadRequestWithJsonError() throws IOException {
    String response = raw("GET /health/live HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400");
    assertThat(response).contains("application/json").contains("\"error\":\"invalid_request\"");
  }

  @Test
  void garbageRequestLineThenBadRequestWithJsonError() throws IOException {
    String response = raw("GARBAGE\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400").contains("\"error\":\"invalid_request\"");
  }

  @Test
  void declaredBodyBeyondServerLimitThen413WithJsonError() throws IOException {
    String response = raw("POST /t/system/oauth2/token HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 99999999\r\n"
        + "Connection: close\r\n\r\nabc");
    assertThat(response).startsWith("HTTP/1.1 413").contains("too large")
        .contains("application/json");
  }

  @Test
  void declaredBodyBeyondEndpointLimitThen413WithOAuthError() throws IOException {
    String body = "grant_type=client_credentials&x=" + "a".repeat(70_000);
    String response = raw("POST /t/system/oauth2/token HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
        + "\r\nConnection: close\r\n\r\n" + body);
    assertThat(response).startsWith("HTTP/1.1 413").contains("\"error\":\"invalid_request\"");
  }

  private String raw(String request) throws IOException {
    URI base = URI.create(server.baseUrl());
    try (Socket s = new Socket("127.0.0.1", base.getPort())) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
          if (out.toString(StandardCharsets.ISO_8859_1).contains("}")) {
            break;
          }
        }
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // The server closed or stopped talking: what arrived is the answer.
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
