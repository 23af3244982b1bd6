package dev.gatehouse.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

  @Test
  void problemWhenShorterThanMinimumThenRefused() {
    assertThat(PasswordPolicy.DEFAULT.problem("short1", "u", null)).contains("at least 8");
  }

  @Test
  void problemWhenCommonPasswordInAnyCaseThenRefused() {
    assertThat(PasswordPolicy.DEFAULT.problem("Password123", "u", null)).contains("too common");
    assertThat(new PasswordPolicy(8, false).problem("Password123", "u", null)).isNull();
  }

  @Test
  void problemWhenEqualToUsernameOrEmailThenRefused() {
    assertThat(PasswordPolicy.DEFAULT.problem("alice@example.com", "alice",
        "Alice@example.com")).contains("username or email");
  }

  @Test
  void problemWhenLongEnoughAndUncommonThenAccepted() {
    assertThat(PasswordPolicy.DEFAULT.problem("purple-otter-sings", "alice", null)).isNull();
  }

  @Test
  void problemWhenLongerThanMaximumThenRefused() {
    assertThat(PasswordPolicy.DEFAULT.problem("x".repeat(257), "u", null)).contains("at most");
  }

  @Test
  void policyWhenMinimumOutOfRangeThenInvalid() {
    assertThatThrownBy(() -> new PasswordPolicy(0, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
