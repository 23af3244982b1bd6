package dev.gatehouse.server.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse user create|list|factors}. */
@Command(name = "user", description = "Manage users.",
    subcommands = {UserCommand.Create.class, UserCommand.ListUsers.class,
        UserCommand.Factors.class, UserManageCommands.Get.class, UserManageCommands.Update.class,
        UserManageCommands.Delete.class, UserManageCommands.SetPassword.class,
        UserManageCommands.SetRoles.class})
final class UserCommand {

  @ParentCommand
  Main main;

  @Command(name = "create", description = "Create a user; the password is read from standard"
      + " input so that it stays out of the shell history and process list.")
  static final class Create implements Callable<Integer> {
    @ParentCommand
    UserCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--username", required = true)
    String username;

    @Option(names = "--password-stdin", description = "Read the password from the first line of"
        + " standard input.")
    boolean passwordStdin;

    @Option(names = "--email")
    String email;

    @Option(names = "--display-name")
    String displayName;

    @Option(names = "--claim", description = "A standard claim (OpenID Connect Core section"
        + " 5.1), repeatable: given_name=Alice, phone_number_verified=true,"
        + " address.locality=Paris")
    List<String> claims;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("username", username);
      if (claims != null) {
        body.put("claims", ClaimOptions.parse(claims));
      }
      if (email != null) {
        body.put("email", email);
      }
      if (displayName != null) {
        body.put("display_name", displayName);
      }
      if (passwordStdin) {
        String line = new BufferedReader(new InputStreamReader(System.in,
            StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
          throw new IllegalStateException("--password-stdin: no password on standard input");
        }
        body.put("password", line);
      }
      AdminClient.print(parent.main.admin().call("POST", "/admin/v1/tenants/" + tenant
          + "/users", body));
      return 0;
    }
  }

  @Command(name = "list", description = "List users, optionally those whose username or email"
      + " starts with --query.")
  static final class ListUsers implements Callable<Integer> {
    @ParentCommand
    UserCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--query")
    String query;

    @Override
    public Integer call() throws Exception {
      String q = query == null ? "" : "&q=" + java.net.URLEncoder.encode(query,
          StandardCharsets.UTF_8);
      AdminClient.print(parent.main.admin().call("GET", "/admin/v1/tenants/" + tenant
          + "/users?limit=500" + q, null));
      return 0;
    }
  }

  /** {@code gatehouse user factors list|reset}: a user's second factors (docs/mfa.md). */
  @Command(name = "factors", description = "List or reset a user's second factors.",
      subcommands = {FactorsList.class, FactorsReset.class})
  static final class Factors {
    @ParentCommand
    UserCommand parent;
  }

  @Command(name = "list", description = "Show a user's authenticator app, passkeys and the"
      + " number of unused recovery codes.")
  static final class FactorsList implements Callable<Integer> {
    @ParentCommand
    Factors parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--user", required = true, description = "the user id")
    String user;

    @Override
    public Integer call() throws Exception {
      AdminClient.print(parent.parent.main.admin().call("GET", "/admin/v1/tenants/" + tenant
          + "/users/" + user + "/factors", null));
      return 0;
    }
  }

  @Command(name = "reset", description = "Remove every second factor of a user (authenticator"
      + " app, passkeys, recovery codes).")
  static final class FactorsReset implements Callable<Integer> {
    @ParentCommand
    Factors parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--user", required = true, description = "the user id")
    String user;

    @Override
    public Integer call() throws Exception {
      AdminClient.print(parent.parent.main.admin().call("DELETE", "/admin/v1/tenants/" + tenant
          + "/users/" + user + "/factors", null));
      return 0;
    }
  }
}
