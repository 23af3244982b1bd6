package dev.gatehouse.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --help} worked only at the top level: {@code serve --help} said "Unknown option", {@code
 * client create --help} complained about missing options and {@code gatehouse help} was refused.
 */
class CliHelpTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static void collect(CommandLine cmd, List<String> prefix, List<List<String>> all) {
    all.add(prefix);
    cmd.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        List<String> p = new ArrayList<>(prefix);
        p.add(name);
        collect(sub, p, all);
      }
    });
  }

  @Test
  void helpWhenAnyCommandThenUsageAndExitZero() {
    List<List<String>> commands = new ArrayList<>();
    collect(Main.commandLine(), List.of(), commands);
    assertThat(commands).hasSizeGreaterThan(30);
    for (List<String> path : commands) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Run r = run(args.toArray(String[]::new));
      assertThat(r.code()).as("%s --help: %s", path, r.err()).isZero();
      assertThat(r.out()).as("%s --help", path).startsWith("Usage: gatehouse")
          .contains("-h, --help");
      assertThat(r.err()).as("%s --help", path).isEmpty();
      // picocli wraps at 80 columns: an example must not be broken in the middle.
      assertThat(r.out().lines()).as("%s --help", path).allMatch(l -> l.length() <= 80);
    }
  }

  @Test
  void helpWhenHelpCommandThenUsageOfTheNamedCommandWithExamples() {
    Run top = run("help");
    assertThat(top.code()).isZero();
    assertThat(top.out()).contains("Commands:").contains("serve").contains("Examples:");

    Run create = run("help", "client", "create");
    assertThat(create.code()).isZero();
    assertThat(create.out()).startsWith("Usage: gatehouse client create")
        .contains("--tenant").contains("Examples:").contains("--redirect-uri https://");
  }

  @Test
  void helpWhenUnknownCommandThenErrorNamingIt() {
    Run r = run("help", "client", "nosuch");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no command `client nosuch`");
  }

  @Test
  void helpWhenRequiredOptionsMissingThenStillUsageNotAnError() {
    Run r = run("client", "create", "-h");
    assertThat(r.code()).isZero();
    assertThat(r.err()).doesNotContain("Missing required");
  }
}
