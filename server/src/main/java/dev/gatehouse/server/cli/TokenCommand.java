package dev.gatehouse.server.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse token revoke}: an administrator revokes any token of a tenant. */
@Command(name = "token", description = "Act on issued tokens.",
    subcommands = {TokenCommand.Revoke.class})
final class TokenCommand {

  @ParentCommand
  Main main;

  @Command(name = "revoke", description = "Revoke an access token (JWT or opaque).")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand
    TokenCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Parameters(index = "0", paramLabel = "TOKEN")
    String token;

    @Override
    public Integer call() throws Exception {
      AdminClient.print(parent.main.admin().call("POST", "/admin/v1/tenants/" + tenant
          + "/tokens/revoke", Map.of("token", token)));
      return 0;
    }
  }
}
