package dev.gatehouse.server.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ObservationTest {

  @Test
  void ofReadsTheDetectorsFieldsAndSkipsNestedValues() throws IOException {
    Observation o = Observation.of(null, "acme", "policy.decision", 42, "{\"context\":{\"ip\":"
        + "\"10.9.9.9\",\"x\":[1,{\"ip\":\"10.8.8.8\"}]},\"principal\":\"User::\\\"alice\\\"\","
        + "\"resource\":\"Doc::\\\"d1\\\"\",\"decision\":\"deny\",\"ip\":\"203.0.113.7\","
        + "\"device\":null,\"request_id\":\"r-1\",\"policies\":[\"p1\",\"p2\"]}");
    assertThat(o.ip()).isEqualTo("203.0.113.7");  // the top-level field, not the nested ones
    assertThat(o.principal()).isEqualTo("User::\"alice\"");
    assertThat(o.resource()).isEqualTo("Doc::\"d1\"");
    assertThat(o.deny()).isTrue();
    assertThat(o.device()).isNull();
    assertThat(o.id()).isEqualTo("r-1");
    assertThat(o.time()).isEqualTo(42);
  }

  @Test
  void ofWhenASecondFactorWasShownThenItsSessionIsRead() throws IOException {
    Observation o = Observation.of("e9", "acme", "mfa.verified", 7,
        "{\"user_id\":\"u1\",\"sid\":\"s-1\",\"amr\":\"pwd otp\"}");
    assertThat(o.sid()).isEqualTo("s-1");
    assertThat(o.userId()).isEqualTo("u1");
  }

  @Test
  void ofWhenTheTypeIsNotReadThenNullWithoutParsing() throws IOException {
    assertThat(Observation.of(null, "acme", "admin.client.created", 1, "not json")).isNull();
  }

  @Test
  void ofWhenThePayloadIsNotAnObjectThenRefused() {
    assertThatThrownBy(() -> Observation.of(null, "acme", "token.issued", 1, "[1]"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void ofATreeAndOfItsTextAreTheSame() throws IOException {
    // Replay reads NDJSON trees, the node's tap reads payload text: one observation either way.
    String json = "{\"client_id\":\"c1\",\"ip\":\"198.51.100.4\",\"grant_type\":"
        + "\"client_credentials\",\"expires_at\":1700000000,\"refresh_token\":false}";
    assertThat(Observation.of("e1", "acme", "token.issued", 5, new ObjectMapper().readTree(json)))
        .isEqualTo(Observation.of("e1", "acme", "token.issued", 5, json));
  }
}
