package dev.gatehouse.server.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse tenant create|update|list|delete}. */
@Command(name = "tenant", description = "Manage tenants.",
    subcommands = {TenantCommand.Create.class, TenantCommand.Update.class,
        TenantCommand.ListTenants.class, TenantCommand.Delete.class})
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

  @Command(name = "update", description = "Change a tenant's display name and the branding of its"
      + " hosted pages. An empty value (\"\") removes a setting.")
  static final class Update implements Callable<Integer> {
    @ParentCommand
    TenantCommand parent;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--display-name")
    String displayName;

    @Option(names = "--logo-url", description = "https URL or data:image/...;base64,... URI")
    String logoUrl;

    @Option(names = "--primary-color", description = "#rrggbb of buttons; their text colour is"
        + " chosen for contrast")
    String primaryColor;

    @Option(names = "--accent-color", description = "#rrggbb of links and focus rings; at least"
        + " 4.5:1 against white")
    String accentColor;

    @Option(names = "--support-url", description = "https URL of the tenant's help page")
    String supportUrl;

    @Option(names = "--privacy-url", description = "https URL of the tenant's privacy notice")
    String privacyUrl;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> body = new LinkedHashMap<>();
      if (displayName != null) {
        body.put("display_name", displayName);
      }
      put(body, "logo_url", logoUrl);
      put(body, "primary_color", primaryColor);
      put(body, "accent_color", accentColor);
      put(body, "support_url", supportUrl);
      put(body, "privacy_url", privacyUrl);
      AdminClient.print(parent.main.admin().call("PATCH", "/admin/v1/tenants/" + name, body));
      return 0;
    }

    /** Given: set it; given empty: remove it (JSON null); not given: leave it. */
    private static void put(Map<String, Object> body, String field, String value) {
      if (value != null) {
        body.put(field, value.isEmpty() ? null : value);
      }
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

  @Command(name = "delete", description = "Delete a tenant and everything it owns (clients,"
      + " keys, users, policies, ...). Asks to type the tenant's name unless --yes.")
  static final class Delete implements Callable<Integer> {
    @ParentCommand
    TenantCommand parent;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--yes", description = "Do not ask (for scripts).")
    boolean yes;

    @Override
    public Integer call() throws Exception {
      AdminClient admin = parent.main.admin();
      if (!yes && !Confirm.typed(name, "Delete tenant `" + name + "` and everything it owns"
          + " (" + Confirm.contents(admin, name) + ")?")) {
        System.err.println("gatehouse: tenant `" + name + "` not deleted (pass --yes to delete"
            + " without asking)");
        return 1;
      }
      admin.call("DELETE", "/admin/v1/tenants/" + name, null);
      System.err.println("deleted tenant `" + name + "`");
      return 0;
    }
  }
}
