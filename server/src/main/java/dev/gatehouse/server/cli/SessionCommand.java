package dev.gatehouse.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse session list|revoke}: people's single sign-on sessions. */
@Command(name = "session", description = "List and end sign-in sessions.",
    subcommands = {SessionCommand.ListSessions.class, SessionCommand.Revoke.class})
final class SessionCommand {

  @ParentCommand
  Main main;

  static String path(String tenant) {
    return "/admin/v1/tenants/" + ConfigExport.enc(tenant) + "/sessions";
  }

  @Command(name = "list", description = "List the tenant's sessions (at most 500), or a user's.")
  static final class ListSessions implements Callable<Integer> {
    @ParentCommand
    SessionCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--user", description = "user id or username")
    String user;

    @Override
    public Integer call() throws Exception {
      AdminClient admin = parent.main.admin();
      String query = "";
      if (user != null) {
        String userPath = UserManageCommands.path(admin, tenant, user);
        query = "?user=" + userPath.substring(userPath.lastIndexOf('/') + 1);
      }
      AdminClient.print(admin.call("GET", path(tenant) + query, null));
      return 0;
    }
  }

  @Command(name = "revoke", description = "End a session: the user signs in again, its refresh"
      + " tokens stop working, and its applications get a back-channel logout.")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand
    SessionCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Parameters(index = "0", paramLabel = "SID")
    String sid;

    @Override
    public Integer call() throws Exception {
      parent.main.admin().call("DELETE", path(tenant) + "/" + ConfigExport.enc(sid), null);
      System.err.println("ended session `" + sid + "`");
      return 0;
    }
  }
}
