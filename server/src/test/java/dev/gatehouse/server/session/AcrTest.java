package dev.gatehouse.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AcrTest {

  @Test
  @DisplayName("OIDC Core §5.5.1.1: the first requested essential value the session satisfies")
  void reportedWhenEssentialValuesRequestedThenTheFirstSatisfiedElseWhatWasAchieved() {
    assertThat(Acr.reported(Acr.MFA, List.of(Acr.PWD, Acr.MFA))).isEqualTo(Acr.PWD);
    assertThat(Acr.reported(Acr.MFA, List.of("urn:other", Acr.MFA))).isEqualTo(Acr.MFA);
    assertThat(Acr.reported(Acr.PWD, List.of(Acr.MFA))).isEqualTo(Acr.PWD);
    assertThat(Acr.reported(Acr.PWD, List.of())).isEqualTo(Acr.PWD);
  }

  @Test
  void satisfiesWhenTheSameLevelThenYes() {
    assertThat(Acr.satisfies(Acr.PWD, Acr.PWD)).isTrue();
    assertThat(Acr.satisfies(Acr.MFA, Acr.MFA)).isTrue();
  }

  @Test
  void satisfiesWhenTwoFactorsAndAPasswordIsAskedThenYes() {
    assertThat(Acr.satisfies(Acr.MFA, Acr.PWD)).isTrue();
  }

  @Test
  void satisfiesWhenAPasswordAndTwoFactorsAreAskedThenNo() {
    assertThat(Acr.satisfies(Acr.PWD, Acr.MFA)).isFalse();
  }

  @Test
  void satisfiesWhenTheValueIsNotOneWeIssueThenNo() {
    assertThat(Acr.satisfies(Acr.MFA, "urn:example:acr:gold")).isFalse();
    assertThat(Acr.satisfies(null, Acr.PWD)).isFalse();
    assertThat(Acr.satisfies("urn:example:acr:gold", Acr.PWD)).isFalse();
  }
}
