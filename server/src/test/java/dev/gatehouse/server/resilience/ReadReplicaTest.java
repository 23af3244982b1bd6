package dev.gatehouse.server.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TcpProxy;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code db.read-url}: lag-tolerant reads (admin listings) go to the read pool, everything a client
 * must see at once stays on the primary, and a replica that goes away falls back to the primary.
 * The "replica" is the same PostgreSQL reached through a {@link TcpProxy}, so it can be cut.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadReplicaTest {

  private static final Pattern HOST_PORT = Pattern.compile("^jdbc:postgresql://([^:/]+):(\\d+)/");
  private static final Pattern READ_ACQUIRES = Pattern.compile(
      "hikaricp_connections_acquire_seconds_count\\{pool=\"gatehouse-read\"[^}]*} (\\d+)");

  private TcpProxy replica;
  private TestServer server;
  private String opaqueAuth;

  @BeforeAll
  void start() {
    String url = TestDatabase.POSTGRES.freshUrl();
    Matcher m = HOST_PORT.matcher(url);
    assertThat(m.find()).as(url).isTrue();
    replica = TcpProxy.to(m.group(1), Integer.parseInt(m.group(2)));
    server = TestServer.start(TestDatabase.POSTGRES, Map.of("GATEHOUSE_DB_URL", url,
        "GATEHOUSE_DB_READ_URL", "jdbc:postgresql://127.0.0.1:" + replica.port() + "/"
            + url.substring(m.end())));
    server.createTenant("acme");
    JsonNode c = server.createClient("acme", Map.of("name", "legacy", "token_format", "opaque"));
    opaqueAuth = TestServer.basic(c.get("client_id").asText(), c.get("client_secret").asText());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (replica != null) {
      replica.close();
    }
  }

  private long readAcquires() {
    Matcher m = READ_ACQUIRES.matcher(server.scrape());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void whenReadUrlSetThenAdminListingsReadTheReplica() {
    long before = readAcquires();
    TestServer.Response r = server.admin("GET", "/admin/v1/tenants", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).contains("\"acme\"");
    assertThat(server.admin("GET", "/admin/v1/tenants/acme/policies/versions", null).status())
        .isEqualTo(200);
    assertThat(readAcquires()).isGreaterThanOrEqualTo(before + 2);
  }

  @Test
  void whenReadUrlSetThenTokensAndIntrospectionStayOnThePrimary() {
    long before = readAcquires();
    for (int i = 0; i < 5; i++) {
      TestServer.Response t = server.postForm("/t/acme/oauth2/token",
          "grant_type=client_credentials", opaqueAuth);
      assertThat(t.status()).isEqualTo(200);
      String token = t.json().get("access_token").asText();
      // Read-your-writes: the token just stored is found at once.
      TestServer.Response in = server.postForm("/t/acme/oauth2/introspect", "token=" + token,
          opaqueAuth);
      assertThat(in.json().get("active").asBoolean()).isTrue();
    }
    assertThat(readAcquires()).isEqualTo(before);
  }

  @Test
  void whenReplicaUnreachableThenReadsFallBackToThePrimary() {
    replica.cut();
    try {
      TestServer.Response r = server.admin("GET", "/admin/v1/tenants", null);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.text()).contains("\"acme\"");
      assertThat(server.get("/health/ready").status()).as("the primary is what readiness needs")
          .isEqualTo(200);
    } finally {
      replica.restore();
    }
  }
}
