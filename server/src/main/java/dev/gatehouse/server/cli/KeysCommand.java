package dev.gatehouse.server.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse keys rotate|list}. */
@Command(name = "keys", description = "Manage a tenant's signing keys.",
    subcommands = {KeysCommand.Rotate.class, KeysCommand.ListKeys.class})
final class KeysCommand {

  @ParentCommand
  Main main;

  @Command(name = "rotate", description = "Promote the next key to active; the old key stays"
      + " published until its tokens expire.")
  static final class Rotate implements Callable<Integer> {
    @ParentCommand
    KeysCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--alg", description = "Rotate only this algorithm: ES256, RS256 or EdDSA"
        + " (default: every algorithm the tenant has keys of).")
    String alg;

    @Override
    public Integer call() throws Exception {
      AdminClient.print(parent.main.admin().call("POST", "/admin/v1/tenants/" + tenant
          + "/keys/rotate", alg == null ? Map.of() : Map.of("alg", alg)));
      return 0;
    }
  }

  @Command(name = "list", description = "List keys: kid, algorithm, state.")
  static final class ListKeys implements Callable<Integer> {
    @ParentCommand
    KeysCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Override
    public Integer call() throws Exception {
      AdminClient.print(parent.main.admin().call("GET", "/admin/v1/tenants/" + tenant + "/keys",
          null));
      return 0;
    }
  }
}
