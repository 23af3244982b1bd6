package dev.gatehouse.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The business meters the dashboards and alert rules read (deploy/monitoring), by the names and
 * labels docs/observability.md lists: counted when the thing happens, present at 0 before it does
 * (so that a rate is 0, not "no data"), and with no label a client could fill.
 */
class BusinessMetricsTest {

  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+|NaN)$")
        .matcher(scrape);
    assertThat(m.find()).as("series %s in the scrape", series).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void tokensErrorsAndIntrospectionsWhenRequestedThenCountedByGrantFormatErrorAndResult() {
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      server.createTenant("acme");
      JsonNode api = server.createClient("acme", Map.of("name", "api"));
      JsonNode opaque = server.createClient("acme", Map.of("name", "op",
          "token_format", "opaque", "audience", api.get("client_id").asText()));
      String apiAuth = TestServer.basic(api.get("client_id").asText(),
          api.get("client_secret").asText());
      String before = server.scrape();
      double jwt = value(before,
          "gatehouse_tokens_issued_total{format=\"jwt\",grant=\"client_credentials\"}");
      double badClient = value(before, "gatehouse_token_errors_total{error=\"invalid_client\"}");

      String token = server.postForm("/t/acme/oauth2/token", "grant_type=client_credentials",
          TestServer.basic(opaque.get("client_id").asText(),
              opaque.get("client_secret").asText())).json().get("access_token").asText();
      assertThat(server.postForm("/t/acme/oauth2/token", "grant_type=client_credentials",
          TestServer.basic(api.get("client_id").asText(), "wrong")).status()).isEqualTo(401);
      assertThat(server.postForm("/t/acme/oauth2/token", "grant_type=made_up_" + System.nanoTime(),
          apiAuth).status()).isEqualTo(400);
      server.postForm("/t/acme/oauth2/introspect", "token=" + token, apiAuth);
      server.postForm("/t/acme/oauth2/introspect", "token=not-a-token", apiAuth);

      String after = server.scrape();
      assertThat(value(after,
          "gatehouse_tokens_issued_total{format=\"opaque\",grant=\"client_credentials\"}"))
          .isEqualTo(1);
      assertThat(value(after,
          "gatehouse_tokens_issued_total{format=\"jwt\",grant=\"client_credentials\"}"))
          .as("the admin token of the first scrape came before").isEqualTo(jwt);
      assertThat(value(after, "gatehouse_token_errors_total{error=\"invalid_client\"}"))
          .isEqualTo(badClient + 1);
      assertThat(value(after, "gatehouse_token_errors_total{error=\"unsupported_grant_type\"}"))
          .isEqualTo(1);
      assertThat(value(after, "gatehouse_introspections_total{result=\"active\"}")).isEqualTo(1);
      assertThat(value(after, "gatehouse_introspections_total{result=\"inactive\"}"))
          .isEqualTo(1);
      // A made-up grant type is refused without a series of its own.
      assertThat(after).doesNotContain("made_up_");
    }
  }

  @Test
  void scrapeWhenNothingHappenedYetThenEveryAlertedSeriesIsThereAtZero() {
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      server.adminToken();
      String s = server.scrape();
      for (String result : new String[] {"succeeded", "failed", "locked", "throttled"}) {
        assertThat(value(s, "gatehouse_signins_total{result=\"" + result + "\"}")).isZero();
      }
      assertThat(value(s,
          "gatehouse_mfa_challenges_total{factor=\"totp\",result=\"failed\"}")).isZero();
      assertThat(value(s, "gatehouse_policy_decision_errors_total")).isZero();
      assertThat(s).contains("gatehouse_policy_decision_seconds_bucket{le=\"0.001\"}");
      assertThat(s).contains("http_server_requests_seconds_bucket{method=\"POST\",route="
          + "\"/t/{tenant}/oauth2/token\",status=\"200\",le=\"0.1\"}");
      assertThat(s).contains("cache_gets_total{cache=\"tenants\",result=\"hit\"}");
      assertThat(value(s, "gatehouse_keys_rotation_period_seconds")).isEqualTo(90 * 86_400);
      assertThat(s).contains("gatehouse_tenants ").contains("gatehouse_keys_oldest_age_seconds ")
          .contains("gatehouse_keys_next_rotation_days ")
          .contains("gatehouse_keys_rotation_overdue_tenants ");
      System.out.println("SCRAPE-BEGIN\n" + s + "\nSCRAPE-END");
    }
  }
}
