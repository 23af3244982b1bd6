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

  @Test
  void parseWhenServesOwnOptionsThenTakenWithoutPicocli() {
    ServeCommand c = new ServeCommand();
    assertThat(c.parse(new String[] {"--port", "0", "--data=d", "--config", "g.yaml"})).isTrue();
    assertThat(c.port).isZero();
    assertThat(c.data).isEqualTo(java.nio.file.Path.of("d"));
    assertThat(c.config).isEqualTo(java.nio.file.Path.of("g.yaml"));
    assertThat(new ServeCommand().parse(new String[] {})).isTrue();
  }

  @Test
  void parseWhenAnythingElseThenLeftToPicocliWhichExplainsIt() {
    assertThat(new ServeCommand().parse(new String[] {"--port", "eighty"})).isFalse();
    assertThat(new ServeCommand().parse(new String[] {"--port"})).isFalse();
    assertThat(new ServeCommand().parse(new String[] {"--port", "--data", "d"})).isFalse();
    assertThat(new ServeCommand().parse(new String[] {"--verbose"})).isFalse();
    assertThat(new ServeCommand().parse(new String[] {"extra"})).isFalse();
  }

  @Test
  void serveWhenAnOptionIsWrongThenPicocliSaysWhichInOneLine() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.err;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    int code;
    try {
      ServeCommand c = new ServeCommand();
      c.main = new Main();
      code = c.parse(new String[] {"--port", "eighty"}) ? c.run()
          : new picocli.CommandLine(c).setCommandName("gatehouse serve")
              .execute("--port", "eighty");
    } finally {
      System.setErr(old);
    }
    assertThat(code).isNotZero();
    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("--port")
        .contains("eighty");
  }
}
