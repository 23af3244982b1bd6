package dev.gatehouse.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.crypto.Secrets;
import dev.gatehouse.server.testing.RedisAttacker;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestRedis;
import dev.gatehouse.server.testing.TestServer;
import dev.gatehouse.server.web.RedisAttemptCounter;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Redis ACL that docs/operations.md gives operators, read from that page and applied to a real
 * Redis under a name of this test's own: two nodes using it issue, cache, revoke, count attempts,
 * publish events and hear each other, and Redis logs no command, key or channel it refused them.
 * (Only the user is created; the page's {@code ACL SETUSER default off} is not run on a shared
 * Redis.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisAclTest {

  private static final Pattern ACL = Pattern.compile(
      "ACL SETUSER gatehouse ((?:[^\\n]*\\\\\\n)*[^\\n]*)");

  private final String user = "gatehouse-acl-test-" + Secrets.random(6).toLowerCase();
  private final String password = Secrets.random(24);
  private final String dbUrl = TestDatabase.H2.freshUrl();
  private TestServer first;
  private TestServer a;
  private TestServer b;
  private RedisAttacker admin;
  private String aclUrl;
  private String installation;

  @BeforeAll
  void start() throws IOException {
    String url = TestRedis.url();
    Map<String, String> env = new HashMap<>(TestServer.clusterEnv(dbUrl, url));
    // The first node creates the installation (its id goes into the ACL) with the default user.
    first = TestServer.start(TestDatabase.H2, env);
    admin = new RedisAttacker(url, dbUrl);
    installation = admin.installation();
    List<String> rules = documentedRules();
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(user);
    rules.forEach(args::add);
    assertThat(admin.redis().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args))
        .isEqualTo("OK");
    URI u = URI.create(url);
    aclUrl = "redis://" + user + ":" + password + "@" + u.getHost() + ":"
        + (u.getPort() < 0 ? 6379 : u.getPort());
    env.put("GATEHOUSE_REDIS_URL", aclUrl);
    env.put("GATEHOUSE_DATA_DIR", first.dataDir().toString());
    a = TestServer.start(TestDatabase.H2, env);
    b = TestServer.start(TestDatabase.H2, env);
  }

  /** The rules of the page's {@code ACL SETUSER gatehouse}, with this test's password and id. */
  private List<String> documentedRules() throws IOException {
    String page = Files.readString(Path.of("..", "docs", "operations.md"));
    Matcher m = ACL.matcher(page);
    assertThat(m.find()).as("docs/operations.md gives an ACL SETUSER gatehouse").isTrue();
    String rules = m.group(1).replace("\\\n", " ")
        .replace(">LONG-RANDOM-PASSWORD", ">" + password)
        .replace("0123456789abcdef", installation);
    return List.of(rules.trim().split("\\s+"));
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {b, a, first}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
    if (admin != null) {
      admin.redis().aclDeluser(user);
      admin.close();
    }
  }

  @Test
  void nodesUnderTheDocumentedAclWhenDoingEverythingThenRedisRefusesThemNothing()
      throws Exception {
    // Pub/sub: b hears a tenant a creates (b had answered `unknown` before).
    assertThat(b.get("/t/acl-probe/jwks").status()).isEqualTo(404);
    a.createTenant("acl-probe");
    long deadline = System.currentTimeMillis() + 5_000;
    while (b.get("/t/acl-probe/jwks").status() != 200 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(b.get("/t/acl-probe/jwks").status()).isEqualTo(200);

    // The cache, the revocation list and the event stream.
    JsonNode app = a.createClient("acl-probe", Map.of("name", "app"));
    String basic = TestServer.basic(app.get("client_id").asText(),
        app.get("client_secret").asText());
    String token = b.postForm("/t/acl-probe/oauth2/token", "grant_type=client_credentials", basic)
        .json().get("access_token").asText();
    assertThat(a.admin("POST", "/admin/v1/tenants/acl-probe/tokens/revoke",
        Map.of("token", token)).status()).isEqualTo(200);
    assertThat(admin.redis().get(admin.key("acl-probe", "client", app.get("client_id").asText())))
        .as("the client row cached through the ACL user").startsWith("m1.");
    assertThat(admin.redis().keys(admin.key("acl-probe", "revoked", "*"))).hasSize(1);

    // The attempt counter's script.
    try (SharedRedis redis = new SharedRedis(aclUrl)) {
      RedisAttemptCounter counter = new RedisAttemptCounter(redis, L2Cache.prefix(installation));
      counter.increment("acl-probe", Duration.ofSeconds(30), false);
      assertThat(admin.redis().get(L2Cache.prefix(installation) + "attempts:acl-probe"))
          .isEqualTo("1");
    }
    // The outbox relay publishes in the background: wait for this installation's stream.
    String stream = dev.gatehouse.server.events.EventIds.stream(installation);
    deadline = System.currentTimeMillis() + 15_000;
    while (admin.redis().xlen(stream) == 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }

    List<Map<String, Object>> refused = admin.redis().aclLog().stream()
        .filter(e -> user.equals(String.valueOf(e.get("username")))).toList();
    assertThat(refused).as("commands, keys or channels the ACL refused the nodes").isEmpty();
    assertThat(admin.redis().xrevrange(stream,
        io.lettuce.core.Range.create("-", "+"), io.lettuce.core.Limit.create(0, 50)))
        .as("events published through the ACL user").isNotEmpty();
  }
}
