package dev.gatehouse.server.regression;

import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A node on H2 for one test class ({@code @RegisterExtension static SignInNode node = ...}), with
 * cheap Argon2 parameters: the sign-in regressions check many passwords.
 */
final class SignInNode implements BeforeAllCallback, AfterAllCallback {

  private final Map<String, String> env = new HashMap<>(Map.of(
      "GATEHOUSE_PASSWORDS_ARGON2_MEMORY_KIB", "1024"));
  private TestServer server;

  SignInNode(Map<String, String> settings) {
    env.putAll(settings);
  }

  SignInNode() {
    this(Map.of());
  }

  TestServer server() {
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = TestServer.start(TestDatabase.H2, env);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    server.close();
  }
}
