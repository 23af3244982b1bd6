package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse mfa policy show|set}: a tenant's MFA policy (docs/mfa.md). */
@Command(name = "mfa", description = "A tenant's multi-factor authentication policy.",
    subcommands = {MfaCommand.Show.class, MfaCommand.Set.class})
final class MfaCommand {

  @ParentCommand
  Main main;

  static String path(String tenant) {
    return "/admin/v1/tenants/" + ConfigExport.enc(tenant) + "/mfa-policy";
  }

  @Command(name = "show", description = "Show the tenant's MFA policy.")
  static final class Show implements Callable<Integer> {
    @ParentCommand
    MfaCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Override
    public Integer call() throws Exception {
      AdminClient.print(parent.main.admin().call("GET", path(tenant), null));
      return 0;
    }
  }

  @Command(name = "set", description = "Change the tenant's MFA policy; options left out keep"
      + " their value.")
  static final class Set implements Callable<Integer> {
    @ParentCommand
    MfaCommand parent;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--policy", description = "off, optional, required or groups")
    String policy;

    @Option(names = "--required-group", description = "with --policy groups: members of this"
        + " group need a second factor; repeatable (replaces them)")
    List<String> groups;

    @Option(names = "--required-role", description = "with --policy groups: users with this role"
        + " need a second factor; repeatable (replaces them)")
    List<String> roles;

    @Option(names = "--rp-id", description = "WebAuthn relying party id (default: the issuer's"
        + " host)")
    String rpId;

    @Option(names = "--origin", description = "an allowed WebAuthn origin; repeatable")
    List<String> origins;

    @Override
    public Integer call() throws Exception {
      AdminClient admin = parent.main.admin();
      JsonNode current = admin.call("GET", path(tenant), null);
      ObjectNode body = ((ObjectNode) current).deepCopy();
      if (policy != null) {
        body.put("policy", policy);
      }
      if (rpId != null) {
        body.put("rp_id", rpId);
      }
      ClientManageCommands.putAll(body, "required_groups", groups);
      ClientManageCommands.putAll(body, "required_roles", roles);
      ClientManageCommands.putAll(body, "origins", origins);
      AdminClient.print(admin.call("PUT", path(tenant), body));
      return 0;
    }
  }
}
