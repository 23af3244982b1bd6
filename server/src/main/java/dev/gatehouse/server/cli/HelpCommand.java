package dev.gatehouse.server.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse help [COMMAND...]}: the usage of any command, however deep ({@code help client
 * create}); picocli's own help command only looks one level down.
 */
@Command(name = "help", helpCommand = true,
    description = "Show the usage of a command, e.g. `help client create`.")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command to explain.")
  String[] commands = {};

  private CommandLine self;
  private PrintWriter out;
  private CommandLine.Help.Ansi ansi;

  @Override
  public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme,
      PrintWriter out, PrintWriter err) {
    this.self = helpCommandLine;
    this.out = out;
    this.ansi = colorScheme.ansi();
  }

  @Override
  public void run() {
    CommandLine target = self.getParent();
    for (String name : commands) {
      CommandLine sub = target.getSubcommands().get(name);
      if (sub == null) {
        throw new CommandLine.ParameterException(self, "no command `"
            + String.join(" ", commands) + "`; `gatehouse help` lists them");
      }
      target = sub;
    }
    target.usage(out, ansi);
  }
}
