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
 * A node cut off from its database (a partition: other nodes may still revoke) answers JWT
 * introspection from what it knows only within {@code tokens.revocation-max-staleness-seconds};
 * past it, introspection fails closed (503, temporarily_unavailable) while issuance goes on, and
 * it answers again once the database is back, without a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationStalenessTest {

  private static final Pattern HOST_PORT = Pattern.compile("^jdbc:postgresql://([^:/]+):(\\d+)/");

  private TcpProxy proxy;
  private TestServer server;
  private String auth;

  @BeforeAll
  void start() {
    String url = TestDatabase.POSTGRES.freshUrl();
    Matcher m = HOST_PORT.matcher(url);
    assertThat(m.find()).as(url).isTrue();
    proxy = TcpProxy.to(m.group(1), Integer.parseInt(m.group(2)));
    server = TestServer.start(TestDatabase.POSTGRES, Map.of("GATEHOUSE_DB_URL",
        "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + url.substring(m.end()),
        "GATEHOUSE_TOKENS_REVOCATION_MAX_STALENESS_SECONDS", "2"));
    server.createTenant("acme");
    JsonNode c = server.createClient("acme", Map.of("name", "api"));
    auth = TestServer.basic(c.get("client_id").asText(), c.get("client_secret").asText());
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

  private String issue() {
    TestServer.Response r = server.postForm("/t/acme/oauth2/token",
        "grant_type=client_credentials", auth);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("access_token").asText();
  }

  private TestServer.Response introspect(String token) {
    return server.postForm("/t/acme/oauth2/introspect", "token=" + token, auth);
  }

  @Test
  void whenCutOffPastTheBoundThenIntrospectionFailsClosedAndRecoversAfterTheHeal()
      throws Exception {
    // Client, keys and tenant cached: issuance needs no database during the cut.
    assertThat(introspect(issue()).json().get("active").asBoolean()).isTrue();
    proxy.cut();
    long cut = System.nanoTime();
    TestServer.Response early = introspect(issue());
    if ((System.nanoTime() - cut) / 1_000_000 < 1_500) {
      // Within the bound: the node's knowledge is recent enough to answer.
      assertThat(early.status()).as(early.toString()).isEqualTo(200);
      assertThat(early.json().get("active").asBoolean()).isTrue();
    }
    TestServer.Response late = null;
    for (int i = 0; i < 100; i++) {
      late = introspect(issue());
      if (late.status() == 503) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(late.status()).as(late.toString()).isEqualTo(503);
    assertThat(late.header("Retry-After")).isNotBlank();
    assertThat(late.json().get("error").asText()).isEqualTo("temporarily_unavailable");
    assertThat((System.nanoTime() - cut) / 1_000_000).as("ms until failing closed")
        .isGreaterThanOrEqualTo(2_000);
    assertThat(server.get("/health/ready").status()).isEqualTo(503);

    proxy.restore();
    TestServer.Response healed = null;
    for (int i = 0; i < 100; i++) {
      healed = introspect(issue());
      if (healed.status() == 200) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(healed.status()).as(healed.toString()).isEqualTo(200);
    assertThat(healed.json().get("active").asBoolean()).isTrue();
  }
}
