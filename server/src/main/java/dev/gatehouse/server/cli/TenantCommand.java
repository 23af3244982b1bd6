package dev.gatehouse.server.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse tenant create|list|delete}. */
@Command(name = "tenant", description = "Manage tenants.",
    subcommands = {TenantCommand.Create.class, TenantCommand.ListTenants.class,
        TenantCommand.Delete.class})
final class TenantCommand {

  @ParentCommand
  Main main;

  @Command(name = "create", description = "Create a tenant with its own issuer and keys.")
  static final class Create implements Callable<Integer> {
    @ParentCommand
    TenantCommand parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "lowercase letters, digits, hyphens")
    String name;

    @Option(names = "--display-name")
    String displayName;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      if (displayName != null) {
        body.put("display_name", displayName);
      }
      AdminClient.print(parent.main.admin().call("POST", "/admin/v1/tenants", body));
      return 0;
    }
  }

  @Command(name = "list", description = "List tenants.")
  static final class ListTenants implements Callable<Integer> {
    @ParentCommand
    TenantCommand parent;

    @Override
    public Integer call() throws Exception {
      AdminClient.print(parent.main.admin().call("GET", "/admin/v1/tenants?limit=500", null));
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a tenant and everything it owns.")
  static final class Delete implements Callable<Integer> {
    @ParentCommand
    TenantCommand parent;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
      parent.main.admin().call("DELETE", "/admin/v1/tenants/" + name, null);
      return 0;
    }
  }
}
