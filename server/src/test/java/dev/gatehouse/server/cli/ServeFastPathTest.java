package dev.gatehouse.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code gatehouse serve} skips building every command's model; anything that needs the full
 * command line (help, version, the inherited output option, any other command) still gets it.
 */
class ServeFastPathTest {

  @Test
  void servesOnlyWhenServeFirstThenItsIndex() {
    assertThat(Main.servesOnly(new String[] {"serve"})).isZero();
    assertThat(Main.servesOnly(new String[] {"serve", "--port", "0", "--data", "d"})).isZero();
  }

  @Test
  void servesOnlyWhenDataBeforeServeThenServeAfterIt() {
    assertThat(Main.servesOnly(new String[] {"--data", "d", "serve", "--port", "1"})).isEqualTo(2);
    assertThat(Main.servesOnly(new String[] {"--data=d", "serve"})).isEqualTo(1);
  }

  @Test
  void servesOnlyWhenHelpVersionOutputOrAnotherCommandThenFullCommandLine() {
    assertThat(Main.servesOnly(new String[] {"serve", "--help"})).isNegative();
    assertThat(Main.servesOnly(new String[] {"serve", "-h"})).isNegative();
    assertThat(Main.servesOnly(new String[] {"serve", "-V"})).isNegative();
    assertThat(Main.servesOnly(new String[] {"serve", "--output=json"})).isNegative();
    assertThat(Main.servesOnly(new String[] {"--server", "http://x", "serve"})).isNegative();
    assertThat(Main.servesOnly(new String[] {"tenant", "create", "serve"})).isNegative();
    assertThat(Main.servesOnly(new String[] {"--data"})).isNegative();
    assertThat(Main.servesOnly(new String[] {})).isNegative();
  }
}
