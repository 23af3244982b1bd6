package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse mfa show|set}: a tenant's MFA policy (docs/mfa.md). */
@Command(name = "mfa", description = "A tenant's multi-factor authentication policy.",
    subcommands = {MfaCommand.Show.class, MfaCommand.Set.class})
final class MfaCommand {

  @ParentCommand
  Main main;

  @Command(name = "show", description = "Show the tenant's MFA policy.")
  static class Show extends TenantSetting {
    @ParentCommand
    MfaCommand parent;

    @Override
    Main main() {
      return parent.main;
    }

    @Override
    String setting() {
      return "/mfa-policy";
    }
  }

  @Command(name = "set", description = "Change the tenant's MFA policy; options left out keep"
      + " their value.")
  static final class Set extends Show {
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
    boolean changes() {
      return true;
    }

    @Override
    void change(ObjectNode body) {
      if (policy != null) {
        body.put("policy", policy);
      }
      if (rpId != null) {
        body.put("rp_id", rpId);
      }
      ClientManageCommands.putAll(body, "required_groups", groups);
      ClientManageCommands.putAll(body, "required_roles", roles);
      ClientManageCommands.putAll(body, "origins", origins);
    }
  }
}
