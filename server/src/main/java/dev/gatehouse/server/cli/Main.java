package dev.gatehouse.server.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code gatehouse} command: {@code serve} runs a node; the other commands call the admin API
 * of a running node with the bootstrap admin credentials from the data directory.
 */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, version = "gatehouse 0.1.0",
    // Every command inherits -h/--help and -V/--version: `gatehouse client create --help` works
    // without the options `client create` requires.
    scope = CommandLine.ScopeType.INHERIT,
    description = "Identity and authorization server: OAuth 2.1, OpenID Connect, Cedar.",
    subcommands = {HelpCommand.class, ServeCommand.class, MigrateCommand.class, TenantCommand.class,
        ClientCommand.class,
        KeysCommand.class, TokenCommand.class, UserCommand.class, PolicyCommand.class,
        EntitiesCommand.class, EventsCommand.class, WebhookCommand.class,
        ExportCommand.class, ApplyCommand.class, GroupCommand.class, MfaCommand.class,
        SessionCommand.class, PasswordPolicyCommand.class, DetectCommand.class})
public final class Main {

  @Option(names = "--data", description = "Data directory of the server (default: ./data)."
      + " Admin commands read the server address and credentials from it.")
  Path data;

  @Option(names = "--server", description = "Admin commands: URL of the server"
      + " (default: the one recorded in the data directory).")
  String server;

  public Main() {
    Output.chosen = null;
  }

  @Option(names = "--output", paramLabel = "json|table", scope = CommandLine.ScopeType.INHERIT,
      description = "How admin commands print answers: json (stable, for scripts) or table."
          + " Default: table on a terminal, json otherwise.")
  void output(String format) {
    Output.chosen = Output.parse(format);
  }

  /** The data directory: --data, else GATEHOUSE_DATA_DIR, else ./data. */
  Path dataDir() {
    if (data != null) {
      return data;
    }
    String env = System.getenv("GATEHOUSE_DATA_DIR");
    return Path.of(env == null || env.isBlank() ? "./data" : env);
  }

  AdminClient admin() {
    return AdminClient.from(dataDir(), server);
  }

  /** The command line with its help, examples and error lines, as {@link #main} runs it. */
  public static CommandLine commandLine() {
    return oneLineErrors(CliHelp.install(new CommandLine(new Main())));
  }

  private static CommandLine oneLineErrors(CommandLine cl) {
    return cl.setExecutionExceptionHandler((e, cmd, parse) -> {
      // One line a person can act on; never "null" for an exception without a message.
      cmd.getErr().println("gatehouse: " + (e.getMessage() != null ? e.getMessage()
          : e.getClass().getSimpleName()));
      return 1;
    });
  }

  /**
   * For {@code gatehouse [--data DIR] serve [options]} without the options every command inherits
   * (help, version, output): where {@code serve} is in {@code args}, else -1. Picocli builds the
   * model of every command and subcommand from their annotations before it parses anything, which
   * took a server's start 0.4–1.2 s; a node only needs {@code serve}'s.
   */
  static int servesOnly(String[] args) {
    int at = 0;
    if (args.length > 1 && args[0].equals("--data")) {
      at = 2;
    } else if (args.length > 0 && args[0].startsWith("--data=")) {
      at = 1;
    }
    if (args.length <= at || !args[at].equals("serve")) {
      return -1;
    }
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")
          || a.startsWith("--output")) {
        return -1;
      }
    }
    return at;
  }

  public static void main(String[] args) {
    int code;
    int serve = servesOnly(args);
    if (serve >= 0) {
      ServeCommand command = new ServeCommand();
      command.main = new Main();
      if (serve > 0) {
        command.main.data = Path.of(serve == 2 ? args[1] : args[0].substring("--data=".length()));
      }
      String[] rest = java.util.Arrays.copyOfRange(args, serve + 1, args.length);
      code = command.parse(rest) ? command.run()
          : oneLineErrors(new CommandLine(command).setCommandName("gatehouse serve"))
              .execute(rest);
    } else {
      code = commandLine().execute(args);
    }
    if (code != 0 || !ServeCommand.serving) {
      System.exit(code);
    }
  }
}
