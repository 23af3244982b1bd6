package dev.gatehouse.server.cli;

import dev.gatehouse.cedar.cli.CedarCli;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse policy ...}: Cedar policy tools. */
@Command(name = "policy", description = "Cedar policies.",
    subcommands = {PolicyCommand.Corpus.class})
final class PolicyCommand {

  @ParentCommand
  Main main;

  /** Runs a folder of Cedar conformance tests (the cedar-integration-tests format). */
  @Command(name = "corpus", description = "Run every Cedar conformance test in DIR; ends with"
      + " `N passed, M failed`.")
  static final class Corpus implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    @Override
    public Integer call() {
      return CedarCli.run(new String[] {"corpus", dir.toString()}, System.out, System.err);
    }
  }
}
