package dev.gatehouse.server.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.store.Database;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A write that waits for a lock held by someone else (a long transaction, a {@code LOCK TABLE}, a
 * migration) is answered 503 with Retry-After once the lock timeout passes, well inside a client's
 * usual 5 s timeout, instead of holding the request until the lock goes; paths that need no such
 * lock keep working meanwhile, and the write succeeds again once the lock is released.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockTimeoutOnPostgresTest {

  private String url;
  private TestServer server;
  private String jwtAuth;
  private String opaqueAuth;

  @BeforeAll
  void start() {
    url = TestDatabase.POSTGRES.freshUrl();
    server = TestServer.start(TestDatabase.POSTGRES, Map.of("GATEHOUSE_DB_URL", url));
    server.createTenant("acme");
    jwtAuth = auth(server.createClient("acme", Map.of("name", "api")));
    opaqueAuth = auth(server.createClient("acme", Map.of("name", "legacy",
        "token_format", "opaque")));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void whenATableIsLockedThenItsWritesAnswer503WithinTheLockTimeoutAndRecover() throws Exception {
    assertThat(token(opaqueAuth).status()).isEqualTo(200);
    try (Connection holder = DriverManager.getConnection(url);
         Statement s = holder.createStatement()) {
      holder.setAutoCommit(false);
      s.execute("lock table opaque_token in access exclusive mode");

      long t0 = System.nanoTime();
      TestServer.Response blocked = token(opaqueAuth);
      long waitedMs = (System.nanoTime() - t0) / 1_000_000;

      assertThat(blocked.status()).as(blocked.toString()).isEqualTo(503);
      assertThat(blocked.header("Retry-After")).isNotBlank();
      assertThat(blocked.json().get("error").asText()).isEqualTo("temporarily_unavailable");
      assertThat(waitedMs).as("answered after the lock timeout, before a 5 s client timeout")
          .isBetween(Database.LOCK_TIMEOUT.toMillis() - 100, 4_500L);
      // A JWT needs no row of that table: still issued while the lock is held.
      assertThat(token(jwtAuth).status()).isEqualTo(200);
      holder.rollback();
    }
    assertThat(token(opaqueAuth).status()).isEqualTo(200);
  }

  private TestServer.Response token(String auth) {
    return server.postForm("/t/acme/oauth2/token", "grant_type=client_credentials", auth);
  }

  private static String auth(JsonNode client) {
    return TestServer.basic(client.get("client_id").asText(),
        client.get("client_secret").asText());
  }
}
