package dev.gatehouse.server.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The claims asked for by name, and their stored form. */
class RequestedClaimsTest {

  @Test
  void namesWhenUnknownOrSubThenLeftOutAndOrderKept() {
    assertThat(RequestedClaims.names(List.of("email", "shoe_size", "sub", "name", "email")))
        .containsExactly("email", "name");
  }

  @Test
  void parseWhenStoredThenTheReleasableNames() {
    assertThat(RequestedClaims.parse("email name shoe_size")).containsExactly("email", "name");
    assertThat(RequestedClaims.parse(null)).isEmpty();
    assertThat(RequestedClaims.parse("")).isEmpty();
    assertThat(RequestedClaims.parse("  ")).isEmpty();
  }

  @Test
  void joinWhenNamesThenSpaceSeparatedAndNullForNone() {
    assertThat(RequestedClaims.join(Set.of())).isNull();
    assertThat(RequestedClaims.join(new java.util.LinkedHashSet<>(List.of("email", "name"))))
        .isEqualTo("email name");
    assertThat(RequestedClaims.parse(RequestedClaims.join(Set.of("phone_number"))))
        .containsExactly("phone_number");
  }

  @Test
  void isEmptyWhenEitherSetHasAClaimThenFalse() {
    assertThat(RequestedClaims.NONE.isEmpty()).isTrue();
    assertThat(new RequestedClaims(Set.of("name"), Set.of()).isEmpty()).isFalse();
    assertThat(new RequestedClaims(Set.of(), Set.of("name")).isEmpty()).isFalse();
  }
}
