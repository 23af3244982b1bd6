package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.http.AdmissionLimiter.EndpointClass;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Load shedding per endpoint class: a full class is answered 503 with Retry-After while the other
 * classes are admitted. A slot is held by a request whose body is still arriving, which is how a
 * real slow request holds one too.
 */
class AdmissionLimiterTest {

  @Nested
  class Classes {

    @Test
    void pathsFallIntoTheClassOfTheirEndpoint() {
      assertThat(AdmissionLimiter.classify("/t/acme/oauth2/token")).isEqualTo(EndpointClass.TOKEN);
      assertThat(AdmissionLimiter.classify("/t/acme/oauth2/revoke")).isEqualTo(EndpointClass.TOKEN);
      assertThat(AdmissionLimiter.classify("/t/acme/oauth2/introspect"))
          .isEqualTo(EndpointClass.INTROSPECT);
      assertThat(AdmissionLimiter.classify("/t/acme/userinfo")).isEqualTo(EndpointClass.INTROSPECT);
      assertThat(AdmissionLimiter.classify("/t/acme/v1/authorize/batch"))
          .isEqualTo(EndpointClass.POLICY);
      assertThat(AdmissionLimiter.classify("/t/acme/access/v1/evaluation"))
          .isEqualTo(EndpointClass.POLICY);
      assertThat(AdmissionLimiter.classify("/t/acme/login")).isEqualTo(EndpointClass.SIGNIN);
      assertThat(AdmissionLimiter.classify("/t/acme/oauth2/authorize/resume"))
          .isEqualTo(EndpointClass.SIGNIN);
      assertThat(AdmissionLimiter.classify("/t/acme/account/totp")).isEqualTo(EndpointClass.SIGNIN);
      assertThat(AdmissionLimiter.classify("/t/acme/mfa")).isEqualTo(EndpointClass.SIGNIN);
      assertThat(AdmissionLimiter.classify("/admin/v1/tenants")).isEqualTo(EndpointClass.ADMIN);
    }

    @Test
    void healthDiscoveryAndKeysAreNeverLimited() {
      for (String p : new String[] {"/health/ready", "/health/live", "/metrics",
          "/t/acme/jwks", "/t/acme/.well-known/openid-configuration", "/t/acme/loginx",
          "/t/acme", "/"}) {
        assertThat(AdmissionLimiter.classify(p)).as(p).isEqualTo(EndpointClass.UNLIMITED);
      }
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OverHttp {

    private TestServer server;
    private String auth;

    @BeforeAll
    void start() {
      server = TestServer.start(TestDatabase.H2, Map.of("GATEHOUSE_ADMISSION_INTROSPECT", "1",
          "GATEHOUSE_ADMISSION_QUEUE_MS", "100"));
      server.createTenant("acme");
      JsonNode c = server.createClient("acme", Map.of("name", "api"));
      auth = TestServer.basic(c.get("client_id").asText(), c.get("client_secret").asText());
    }

    @AfterAll
    void stop() {
      if (server != null) {
        server.close();
      }
    }

    /** An introspection whose body has not finished arriving: it holds the class's one slot. */
    private Socket slowIntrospection() throws Exception {
      URI u = URI.create(server.httpUrl());
      Socket s = new Socket(u.getHost(), u.getPort());
      OutputStream out = s.getOutputStream();
      out.write(("POST /t/acme/oauth2/introspect HTTP/1.1\r\nHost: " + u.getHost() + "\r\n"
          + "Authorization: " + auth + "\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 20\r\n\r\ntoken=")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return s;
    }

    private TestServer.Response introspect(String token) {
      return server.postForm("/t/acme/oauth2/introspect", "token=" + token, auth);
    }

    @Test
    void whenIntrospectionIsFullThenItIsShedWithRetryAfterWhileTokensAreStillIssued()
        throws Exception {
      String token = server.postForm("/t/acme/oauth2/token", "grant_type=client_credentials",
          auth).json().get("access_token").asText();
      try (Socket held = slowIntrospection()) {
        TestServer.Response shed = null;
        // The held request takes its slot once the server has read its header.
        for (int i = 0; i < 100; i++) {
          shed = introspect(token);
          if (shed.status() == 503) {
            break;
          }
          Thread.sleep(20);
        }
        assertThat(shed.status()).as(shed.toString()).isEqualTo(503);
        assertThat(shed.header("Retry-After")).isEqualTo("1");
        assertThat(shed.json().get("error").asText()).isEqualTo("temporarily_unavailable");

        TestServer.Response issued = server.postForm("/t/acme/oauth2/token",
            "grant_type=client_credentials", auth);
        assertThat(issued.status()).as("another class is admitted").isEqualTo(200);
        assertThat(server.get("/health/ready").status()).isEqualTo(200);
        assertThat(server.scrape())
            .containsPattern("gatehouse_admission_rejected_total\\{class=\"introspect\"} [1-9]");

        // The held request completes: its slot is free again.
        OutputStream out = held.getOutputStream();
        out.write("xxxxxxxxxxxxxx".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = held.getInputStream();
        String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(answer).isEqualTo("HTTP/1.1 200");
      }
      TestServer.Response after = null;
      for (int i = 0; i < 100; i++) {
        after = introspect(token);
        if (after.status() == 200) {
          break;
        }
        Thread.sleep(20);
      }
      assertThat(after.status()).as(after.toString()).isEqualTo(200);
      assertThat(after.json().get("active").asBoolean()).isTrue();
    }
  }
}
