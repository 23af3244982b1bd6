package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.cache.SharedRedis;
import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.HostedSignIn;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestRedis;
import dev.gatehouse.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GH-20: the Redis keys of the brute-force counters held an unsalted SHA-256 of the username, so
 * anyone who can list Redis keys can confirm guessed account names offline. They are keyed now
 * (an HMAC under a key derived from the master key).
 */
class AttemptCounterKeysHoldUsernameHashTest {

  @Test
  void failedLoginWhenCountedInRedisThenKeyHoldsNoPlainHashOfTheUsername() throws Exception {
    String redisUrl = TestRedis.url();
    String username = "gh20-" + System.nanoTime();
    try (TestServer server = TestServer.start(TestDatabase.H2, Map.of(
        "GATEHOUSE_REDIS_URL", redisUrl, "GATEHOUSE_SIGNIN_LOCKOUT_BASE_DELAY_MS", "0",
        "GATEHOUSE_PASSWORDS_ARGON2_MEMORY_KIB", "1024"));
        SharedRedis redis = new SharedRedis(redisUrl)) {
      HostedSignIn t = new HostedSignIn(server, "gh20");
      Browser b = new Browser();
      TestServer.Response page = t.go(b, t.authorizeUrl(""));
      assertThat(t.submit(b, page, Map.of("username", username, "password", "wrong"))
          .status()).isEqualTo(401);

      String plain = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(username.getBytes(StandardCharsets.UTF_8)), 0, 16);
      List<String> keys = redis.call(r -> r.keys("gh:*attempts:*gh20*"), List.of());
      assertThat(keys).as("the failure was counted in Redis").isNotEmpty();
      assertThat(keys).noneMatch(k -> k.contains(plain));
    }
  }
}
