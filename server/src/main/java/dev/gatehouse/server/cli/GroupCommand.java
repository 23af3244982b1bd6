package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse group create|list|delete|members|add-member|remove-member}. */
@Command(name = "group", description = "Manage groups and their members.",
    subcommands = {GroupCommand.Create.class, GroupCommand.ListGroups.class,
        GroupCommand.Delete.class, GroupCommand.Members.class, GroupCommand.AddMember.class,
        GroupCommand.RemoveMember.class})
final class GroupCommand {

  @ParentCommand
  Main main;

  static String path(String tenant, String group) {
    return "/admin/v1/tenants/" + ConfigExport.enc(tenant) + "/groups"
        + (group == null ? "" : "/" + ConfigExport.enc(group));
  }

  /** The options every group subcommand shares. */
  abstract static class GroupCall implements Callable<Integer> {
    @ParentCommand
    GroupCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;
  }

  @Command(name = "create", description = "Create a group, optionally inside a parent group"
      + " (members of a child count as members of its parents).")
  static final class Create extends GroupCall {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--parent")
    String groupParent;

    @Option(names = "--description")
    String description;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = AdminClient.JSON.createObjectNode().put("name", name);
      if (groupParent != null) {
        body.put("parent", groupParent);
      }
      if (description != null) {
        body.put("description", description);
      }
      AdminClient.print(parent.main.admin().call("POST", path(tenant, null), body));
      return 0;
    }
  }

  @Command(name = "list", description = "List a tenant's groups.")
  static final class ListGroups extends GroupCall {
    @Override
    public Integer call() throws Exception {
      AdminClient.print(parent.main.admin().call("GET", path(tenant, null), null));
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a group; its children lose their parent.")
  static final class Delete extends GroupCall {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
      parent.main.admin().call("DELETE", path(tenant, name), null);
      System.err.println("deleted group `" + name + "`");
      return 0;
    }
  }

  @Command(name = "members", description = "List the direct members of a group.")
  static final class Members extends GroupCall {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
      AdminClient.print(parent.main.admin().call("GET", path(tenant, name) + "/members", null));
      return 0;
    }
  }

  @Command(name = "add-member", description = "Add a user (id or username) to a group.")
  static final class AddMember extends GroupCall {
    @Parameters(index = "0", paramLabel = "GROUP")
    String name;

    @Option(names = "--user", required = true, description = "user id or username")
    String user;

    @Override
    public Integer call() throws Exception {
      return member(this, name, user, "PUT");
    }
  }

  @Command(name = "remove-member", description = "Remove a user (id or username) from a group.")
  static final class RemoveMember extends GroupCall {
    @Parameters(index = "0", paramLabel = "GROUP")
    String name;

    @Option(names = "--user", required = true, description = "user id or username")
    String user;

    @Override
    public Integer call() throws Exception {
      return member(this, name, user, "DELETE");
    }
  }

  private static int member(GroupCall c, String group, String user, String method) {
    AdminClient admin = c.parent.main.admin();
    String userPath = UserManageCommands.path(admin, c.tenant, user);
    String id = userPath.substring(userPath.lastIndexOf('/') + 1);
    admin.call(method, path(c.tenant, group) + "/members/" + id, null);
    System.err.println((method.equals("PUT") ? "added `" : "removed `") + user
        + (method.equals("PUT") ? "` to `" : "` from `") + group + "`");
    return 0;
  }
}
