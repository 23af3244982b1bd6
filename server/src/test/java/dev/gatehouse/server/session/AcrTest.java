package dev.gatehouse.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AcrTest {

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
