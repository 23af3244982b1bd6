package dev.gatehouse.server.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TcpProxy;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node whose PostgreSQL goes away (a real network fault: the connection runs through a
 * {@link TcpProxy} that the test cuts) keeps answering what needs no database, refuses writes with
 * 503 and Retry-After, reports not ready with the reason, and recovers within 5 s of the database's
 * return.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageTest {

  private static final Pattern HOST_PORT = Pattern.compile("^jdbc:postgresql://([^:/]+):(\\d+)/");

  private TcpProxy proxy;
  private TestServer server;
  private String jwtAuth;
  private String opaqueAuth;
  private String pepToken;

  @BeforeAll
  void start() {
    String url = TestDatabase.POSTGRES.freshUrl();
    Matcher m = HOST_PORT.matcher(url);
    assertThat(m.find()).as(url).isTrue();
    proxy = TcpProxy.to(m.group(1), Integer.parseInt(m.group(2)));
    String proxied = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/"
        + url.substring(m.end());
    server = TestServer.start(TestDatabase.POSTGRES, Map.of("GATEHOUSE_DB_URL", proxied,
        "GATEHOUSE_POLICY_REFRESH_SECONDS", "1"));
    server.createTenant("acme");
    jwtAuth = auth(server.createClient("acme", Map.of("name", "api")));
    opaqueAuth = auth(server.createClient("acme", Map.of("name", "legacy",
        "token_format", "opaque")));
    JsonNode pep = server.createClient("acme", Map.of("name", "pep", "scope", "authorize"));
    pepToken = server.postForm("/t/acme/oauth2/token",
        "grant_type=client_credentials&scope=authorize", auth(pep)).json()
        .get("access_token").asText();
    TestServer.Response p = server.admin("PUT", "/admin/v1/tenants/acme/policies",
        Map.of("policies", "permit(principal, action == Action::\"view\", resource);",
            "message", "everyone may view"));
    assertThat(p.status()).as(p.toString()).isEqualTo(200);
  }

  @AfterEach
  void reconnect() throws InterruptedException {
    proxy.restore();
    // The next test starts from a healthy node.
    for (int i = 0; i < 200 && server.get("/health/ready").status() != 200; i++) {
      Thread.sleep(50);
    }
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private static String auth(JsonNode client) {
    return TestServer.basic(client.get("client_id").asText(),
        client.get("client_secret").asText());
  }

  private TestServer.Response token(String auth) {
    return server.postForm("/t/acme/oauth2/token", "grant_type=client_credentials", auth);
  }

  private TestServer.Response introspect(String token) {
    return server.postForm("/t/acme/oauth2/introspect", "token=" + token, jwtAuth);
  }

  private TestServer.Response decide() {
    return server.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/t/acme/v1/authorize"))
        .header("Authorization", "Bearer " + pepToken)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"principal\":\"User::\\\"alice\\\"\","
            + "\"action\":\"Action::\\\"view\\\"\",\"resource\":\"Doc::\\\"d1\\\"\"}"))
        .build());
  }

  @Test
  void whenDatabaseDownThenJwtIssuanceIntrospectionAndCachedDecisionsKeepWorking()
      throws Exception {
    String before = token(jwtAuth).json().get("access_token").asText();
    assertThat(introspect(before).json().get("active").asBoolean()).isTrue();
    assertThat(decide().json().get("decision").asText()).isEqualTo("allow");

    proxy.cut();
    // Introspected until the node has met the outage (a database call failed or was refused by
    // the breaker: the revocation list polls every second), then ten more times: every answer
    // before and after that moment is active. No fixed wait: the breaker's own metrics tell.
    long failedBefore = databaseCallsFailedOrRefused();
    long deadline = System.nanoTime() + 20_000_000_000L;
    int afterOutageMet = 0;
    while (afterOutageMet < 10 && System.nanoTime() < deadline) {
      boolean met = databaseCallsFailedOrRefused() > failedBefore;
      TestServer.Response r = introspect(before);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.json().get("active").asBoolean()).as(r.toString()).isTrue();
      if (met) {
        afterOutageMet++;
      } else {
        Thread.sleep(100);
      }
    }
    assertThat(afterOutageMet).as("introspections after the node met the outage").isEqualTo(10);
    TestServer.Response issued = token(jwtAuth);
    assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
    String during = issued.json().get("access_token").asText();
    assertThat(introspect(during).json().get("active").asBoolean()).isTrue();
    TestServer.Response d = decide();
    assertThat(d.status()).as(d.toString()).isEqualTo(200);
    assertThat(d.json().get("decision").asText()).isEqualTo("allow");
  }

  @Test
  void whenDatabaseDownThenWritesAnswer503WithRetryAfter() {
    proxy.cut();
    TestServer.Response opaque = token(opaqueAuth);
    assertThat(opaque.status()).as(opaque.toString()).isEqualTo(503);
    assertThat(opaque.header("Retry-After")).isNotBlank();
    // RFC 6749 §4.1.2.1: temporarily_unavailable.
    assertThat(opaque.json().get("error").asText()).isEqualTo("temporarily_unavailable");

    TestServer.Response admin = server.admin("POST", "/admin/v1/tenants", Map.of("name", "new"));
    assertThat(admin.status()).as(admin.toString()).isEqualTo(503);
    assertThat(admin.header("Retry-After")).isNotBlank();
    assertThat(admin.header("Content-Type")).startsWith("application/problem+json");
    assertThat(admin.json().get("status").asInt()).isEqualTo(503);
    assertThat(admin.text()).doesNotContain("Exception").doesNotContain("jdbc");
  }

  @Test
  void whenDatabaseDownThenNotReadyWithTheReason() {
    assertThat(server.get("/health/ready").status()).isEqualTo(200);
    proxy.cut();
    TestServer.Response r = server.get("/health/ready");
    assertThat(r.status()).as(r.toString()).isEqualTo(503);
    assertThat(r.json().get("status").asText()).isEqualTo("DOWN");
    assertThat(r.json().at("/checks/database").asText()).isEqualTo("DOWN");
    assertThat(r.json().get("reason").asText()).startsWith("database unreachable");
    assertThat(server.get("/health/live").status()).isEqualTo(200);
  }

  @Test
  void whenDatabaseDownThenTheBreakerOpensAndFailuresAreFast() {
    proxy.cut();
    for (int i = 0; i < 8; i++) {
      token(opaqueAuth);
    }
    // Opened: open, or already half-open (1 s after opening, a background call may be probing:
    // the event writer's retry, the webhook worker); never still closed.
    assertThat(server.scrape()).containsAnyOf(
        "resilience4j_circuitbreaker_state{name=\"database\",state=\"open\"} 1.0",
        "resilience4j_circuitbreaker_state{name=\"database\",state=\"half_open\"} 1.0");
    // While open (1 s at a time between half-open probes), requests are refused by the breaker
    // without waiting for the pool's 1.5 s connection timeout.
    long refusedBefore = notPermitted();
    for (int i = 0; i < 20 && notPermitted() == refusedBefore; i++) {
      TestServer.Response r = token(opaqueAuth);
      assertThat(r.status()).isEqualTo(503);
    }
    assertThat(notPermitted()).isGreaterThan(refusedBefore);
  }

  /** Calls to the database that failed or that its breaker refused, as /metrics counts them. */
  private long databaseCallsFailedOrRefused() {
    long n = notPermitted();
    for (String line : server.scrape().split("\n")) {
      if (line.startsWith("resilience4j_circuitbreaker_calls_seconds_count{")
          && line.contains("kind=\"failed\"") && line.contains("name=\"database\"")) {
        n += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return n;
  }

  private long notPermitted() {
    Matcher m = Pattern.compile("resilience4j_circuitbreaker_not_permitted_calls_total\\{"
        + "kind=\"not_permitted\",name=\"database\"} ([0-9.E]+)")
        .matcher(server.scrape());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void whenDatabaseReturnsThenWritesAndReadinessRecoverWithinFiveSeconds() throws Exception {
    proxy.cut();
    for (int i = 0; i < 8; i++) {
      token(opaqueAuth);
    }
    // The outage has been met: the breaker is open (no fixed wait for it).
    long openBy = System.nanoTime() + 10_000_000_000L;
    while (!server.scrape().contains(
        "resilience4j_circuitbreaker_state{name=\"database\",state=\"open\"} 1.0")
        && System.nanoTime() < openBy) {
      token(opaqueAuth);
      Thread.sleep(50);
    }
    proxy.restore();
    long t0 = System.nanoTime();
    long recovered = -1;
    while (System.nanoTime() - t0 < 10_000_000_000L) {
      if (token(opaqueAuth).status() == 200 && server.get("/health/ready").status() == 200) {
        recovered = (System.nanoTime() - t0) / 1_000_000;
        break;
      }
      Thread.sleep(50);
    }
    assertThat(recovered).as("ms to recover").isBetween(0L, 5_000L);
    TestServer.Response admin = server.admin("POST", "/admin/v1/tenants", Map.of("name", "later"));
    assertThat(admin.status()).as(admin.toString()).isEqualTo(201);
  }
}
