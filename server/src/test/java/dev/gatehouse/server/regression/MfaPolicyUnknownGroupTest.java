package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The MFA policy {@code groups} accepted groups that do not exist: a misspelt group silently
 * required a second factor of nobody. It is a 400 problem naming the group.
 */
class MfaPolicyUnknownGroupTest {

  @Test
  void mfaPolicyWhenRequiredGroupDoesNotExistThenProblem400NamingIt() {
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      server.createTenant("acme");
      assertThat(server.admin("POST", "/admin/v1/tenants/acme/groups", Map.of("name", "admins"))
          .status()).isEqualTo(201);

      TestServer.Response refused = server.admin("PUT", "/admin/v1/tenants/acme/mfa-policy",
          Map.of("policy", "groups", "required_groups", List.of("admins", "admnis")));
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.header("content-type")).startsWith("application/problem+json");
      assertThat(refused.json().get("detail").asText()).contains("`admnis`")
          .doesNotContain("`admins`");
      assertThat(server.admin("GET", "/admin/v1/tenants/acme/mfa-policy", null).json()
          .get("policy").asText()).isNotEqualTo("groups");

      TestServer.Response accepted = server.admin("PUT", "/admin/v1/tenants/acme/mfa-policy",
          Map.of("policy", "groups", "required_groups", List.of("admins")));
      assertThat(accepted.status()).isEqualTo(200);
    }
  }
}
